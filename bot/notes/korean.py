"""Korean-aware text helpers: tokens, particle stripping, 2-character chunks and jamo for typos.

No dictionary or morphological analyser: particles are stripped from the end of a Hangul word
only when a known stem remains (or, at index time, always as an *extra* term), compound words
are caught by overlapping 2-character chunks, and typos are compared on jamo (NFD) strings.
"""

from __future__ import annotations

import re
import unicodedata

HANGUL = re.compile(r"[가-힣]")
# Flags need a space (or the start) before them so `읽기-쓰기` and `docker-compose` stay words.
TOKEN = re.compile(r"(?<![\w-])--?[A-Za-z][A-Za-z0-9-]*|[A-Za-z][A-Za-z0-9]*|[가-힣]+|\d+")

# Longest first, so `에서` is tried before `서` would be (and `으로` before `로`).
PARTICLES = tuple(
    sorted(
        {
            "이란", "란", "이라는", "라는", "이야", "야", "이에요", "예요", "인가요", "가요", "이다", "입니다",
            "에서는", "에서", "에게", "으로는", "으로", "로는", "로", "와", "과", "이랑", "랑", "하고",
            "의", "에", "은", "는", "이", "가", "을", "를", "도", "만", "까지", "부터", "처럼", "보다",
            "이나", "나", "들", "들이", "들을", "들은", "들의", "끼리", "마다", "께서",
            # verb endings after a noun: 삭제하는 → 삭제, 실행하려면 → 실행
            "하는", "하려면", "하기", "하면", "해서", "하나요", "할때", "한", "합니다", "해요", "해줘",
            "되면", "될때", "되는", "된", "될", "됐을", "되었을", "되어", "됨", "되나요", "시키기", "시키는",
        },
        key=len,
        reverse=True,
    )
)


PARTICLE_SET = frozenset(PARTICLES)
# The same particles by length, longest first: one set lookup per length instead of one `endswith` each.
_PARTICLES_BY_LENGTH = tuple(
    (n, frozenset(p for p in PARTICLES if len(p) == n)) for n in sorted({len(p) for p in PARTICLES}, reverse=True)
)


def is_hangul(word: str) -> bool:
    return bool(HANGUL.search(word))


def normalize(text: str) -> str:
    """NFKC (full-width letters, compatibility jamo stay) and no invisible controls."""
    return unicodedata.normalize("NFKC", text)


def tokens(text: str) -> list[str]:
    """Words, flags (``-v``, ``--rm``), Hangul runs and numbers, in order, case kept."""
    return TOKEN.findall(text)


def strip_particle(word: str) -> str:
    """``이미지가`` → ``이미지``; leaves at least two syllables; non-Hangul words unchanged."""
    if not is_hangul(word):
        return word
    for length, particles in _PARTICLES_BY_LENGTH:
        if len(word) - length >= 2 and word[-length:] in particles:
            return word[:-length]
    return word


def stems(word: str) -> list[str]:
    """The word, and the word without its particle when it has one (``컨테이너들을`` → 컨테이너).

    One step only: stripping again would eat into the noun (컨테이나 → 컨테이 → 컨테).
    """
    stripped = strip_particle(word)
    return [word] if stripped == word else [word, stripped]


def chunks(word: str) -> list[str]:
    """Overlapping 2-syllable chunks of a Hangul word (``도커파일`` → 도커, 커파, 파일)."""
    if len(word) < 2 or not is_hangul(word):
        return []
    if len(word) == 2:
        return [word]
    return [word[i : i + 2] for i in range(len(word) - 1)]


def jamo(word: str) -> str:
    """Hangul syllables decomposed into jamo, so ``볼룸`` and ``볼륨`` differ by one letter."""
    return unicodedata.normalize("NFD", word)


def index_terms(text: str) -> list[str]:
    """Terms stored for full-text search: lower-cased tokens plus Hangul stems, flags without dashes."""
    out: list[str] = []
    for token in tokens(normalize(text)):
        word = token.lstrip("-").lower()
        if not word:
            continue
        out.append(word)
        if is_hangul(word):
            out.extend(stems(word)[1:])
    return out
