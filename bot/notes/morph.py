"""Korean morphology through python-mecab-ko (its dictionary ships in the wheel; nothing is downloaded).

Only what search needs: for a run of Hangul, the content morphemes with their lemma (verb stems as
the dictionary gives them: 지우는 → 지우, 확인하려면 → 확인) and a coarse role. The analyser loads on
first use (~0.1 s), so commands that never search do not pay for it; results are cached per run.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Parts of speech (Sejong tags as mecab-ko-dic uses them) by what they do for a search.
_NOUNS = frozenset({"NNG", "NNP", "XR", "SL", "SH", "UNKNOWN"})
_VERBS = frozenset({"VV", "VA"})
_ADVERBS = frozenset({"MAG"})
_HANGUL_RUN = re.compile(r"[가-힣]+")


@dataclass(frozen=True, slots=True)
class Morph:
    """One content morpheme: its lemma and whether it names a thing, an action or a manner."""

    surface: str
    lemma: str
    role: str  # "noun" | "verb" | "adverb"


_lock = threading.Lock()
_tagger: Any = None


def _mecab() -> Any:
    global _tagger
    with _lock:
        if _tagger is None:
            import mecab  # python-mecab-ko: imported on first use, keeps start-up light

            _tagger = mecab.MeCab()
        return _tagger


@lru_cache(maxsize=20_000)
def content_morphs(run: str) -> tuple[Morph, ...]:
    """Content morphemes of one Hangul run (particles, endings and copulas dropped)."""
    out: list[Morph] = []
    for word in _mecab().parse(run):
        feature = word.feature
        pos = str(feature.pos)
        head = pos.split("+", 1)[0]
        if head in _NOUNS:
            role = "noun"
        elif head in _VERBS:
            role = "verb"
        elif head in _ADVERBS:
            role = "adverb"
        else:
            continue
        lemma = str(word.surface)
        expression = feature.expression
        if "+" in pos and expression and head in _VERBS:
            lemma = str(expression).split("+", 1)[0].split("/", 1)[0]
        out.append(Morph(surface=str(word.surface), lemma=lemma, role=role))
    return tuple(out)


def lemma_terms(text: str) -> list[str]:
    """Lemmas of the Hangul words in ``text`` for the index (깨지고 → 깨지), so verb forms meet."""
    out: list[str] = []
    for run in _HANGUL_RUN.findall(text):
        out += [m.lemma for m in content_morphs(run) if m.role == "verb" or len(m.lemma) >= 2]
    return out
