"""Typed-answer matching.

Order: normalise both sides (NFKC, curly quotes, backticks, spaces, trailing punctuation),
then exact, then aliases, then — for prose only — a loose form without punctuation or
spaces (``CD-ROM`` = ``cdrom``) and a fuzzy ratio ≥ 90 for answers of 6+ characters,
compared on Hangul decomposed into jamo (NFD), so ``컨테이나`` is close to ``컨테이너``.
Code answers never match loosely: flags keep their case (``-p`` ≠ ``-P``), other words
(commands, Dockerfile instructions) do not (``from`` = ``FROM``), and there is no substring
or fuzzy match, so ``docker running`` is not ``docker run``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.quiz.model import MatchKind, Question
from bot.textsafe import strip_invisible

FUZZY_MIN_CHARS = 6
FUZZY_MIN_RATIO = 90.0
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "「": '"', "」": '"'})
_TRAILING = ".,!?;:。、!?…"
_LOOSE_DROP = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MatchResult:
    correct: bool
    near_miss: bool = False  # accepted, but not as typed: say the canonical answer
    canonical: str = ""


def normalize(text: str) -> str:
    """The comparable form of a typed answer: NFKC, straight quotes, no backticks, one space, no end punctuation."""
    text = unicodedata.normalize("NFKC", strip_invisible(text)).translate(_QUOTES)
    text = text.replace("`", "")
    text = " ".join(text.split())
    text = text.rstrip(_TRAILING).rstrip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    return text


def _code_form(text: str) -> str:
    """Flags keep their case; every other word is folded."""
    return " ".join(word if word.startswith("-") else word.casefold() for word in normalize(text).split(" "))


def _loose(text: str) -> str:
    return _LOOSE_DROP.sub("", normalize(text).casefold())


def _jamo(text: str) -> str:
    return unicodedata.normalize("NFD", normalize(text).casefold())


def match_text(given: str, answers: tuple[str, ...], kind: MatchKind) -> MatchResult:
    """Compare ``given`` with the canonical answer ``answers[0]`` and its aliases."""
    canonical = answers[0]
    if not normalize(given):
        return MatchResult(False, canonical=canonical)
    if kind is MatchKind.CODE:
        typed = _code_form(given)
        for answer in answers:
            if typed == _code_form(answer):
                return MatchResult(True, canonical=canonical)
        return MatchResult(False, canonical=canonical)
    typed = normalize(given).casefold()
    for answer in answers:
        if typed == normalize(answer).casefold():
            return MatchResult(True, canonical=canonical)
    loose = _loose(given)
    if loose:
        for answer in answers:
            if loose == _loose(answer):
                return MatchResult(True, near_miss=True, canonical=canonical)
    jamo = _jamo(given)
    for answer in answers:
        if len(normalize(answer)) >= FUZZY_MIN_CHARS and fuzz.ratio(jamo, _jamo(answer)) >= FUZZY_MIN_RATIO:
            return MatchResult(True, near_miss=True, canonical=canonical)
    return MatchResult(False, canonical=canonical)


def match_answer(given: str, question: Question) -> MatchResult:
    return match_text(given, question.answers, question.match)
