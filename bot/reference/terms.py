"""Terms as the reference index stores and queries them.

Both sides go through :func:`index_terms`, so they agree: lower-case; ``--tail`` is ``tail``;
a compound such as ``join-token``, ``container_prune`` or ``--log-driver`` is kept whole
(``join_token``) and as its parts (``join``, ``token``); plurals fold to the singular
(``logs`` → ``log``, ``policies`` → ``policy``) so "restart policy" finds "Restart policies".
The FTS5 tokenizer is ``unicode61`` with ``_`` as a token character, so a whole compound stays one token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+(?:[-_][^\W_]+)*")


def fold(term: str) -> str:
    """A crude English singular: enough to meet "policies" with "policy" and "logs" with "log"."""
    if len(term) > 4 and term.endswith("ies"):
        return term[:-3] + "y"
    if len(term) > 3 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
        return term[:-1]
    return term


def index_terms(text: str) -> list[str]:
    """The terms of ``text``: each word folded; compounds whole and split."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        parts = re.split(r"[-_]", match.group())
        if len(parts) > 1:
            out.append("_".join([*parts[:-1], fold(parts[-1])]))
        out.extend(fold(part) for part in parts)
    return out


def query_terms(words: Iterable[str]) -> list[str]:
    """Distinct terms for a search, in order; a compound counts once (whole), its parts being implied."""
    seen: list[str] = []
    for word in words:
        for match in _WORD.finditer(word.lower()):
            parts = re.split(r"[-_]", match.group())
            term = "_".join([*parts[:-1], fold(parts[-1])])
            if term not in seen:
                seen.append(term)
    return seen


def fts_quote(term: str) -> str:
    """One FTS5 string: never raw text in MATCH (``run -d`` would read as a column filter)."""
    return '"' + term.replace('"', '""') + '"'
