"""Pattern pieces shared by the rules that read a question's own words (:mod:`~bot.explain.sweep`,
:mod:`~bot.explain.ports`, :mod:`~bot.explain.pulls`, :mod:`~bot.explain.restarts`)."""

from __future__ import annotations


def english(*words: str) -> str:
    """English words (or phrases, as patterns) matched whole: no Latin letter on either side. Unlike ``\\b`` this
    lets a Korean particle follow ("port를", "container들"), since Hangul counts as a word character to ``\\b``."""
    return rf"(?<![A-Za-z])(?:{'|'.join(words)})(?![A-Za-z])"
