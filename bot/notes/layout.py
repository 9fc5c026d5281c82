"""Words typed with the keyboard in the wrong language (한/영 slips), read back as meant.

A member who forgets to switch the Korean 2-set (두벌식) layout on or off types ``ehzj zjsxpdlsj`` for 도커 컨테이너
and ``애찯ㄱ ㅔㄴ`` for docker ps. Each key has one letter in either layout, so the slip is undone exactly: Latin
keys are composed into Hangul syllables the way the Korean input method does, and Hangul is taken apart into the
keys that typed it. Which words were slips is decided by :func:`retyped`, with what the notes know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_KEYS = "qwertyuiopasdfghjklzxcvbnm"
_JAMO = "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ"
_SHIFTED = {"Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ"}
_JAMO_OF = {**dict(zip(_KEYS, _JAMO, strict=True)), **{k.upper(): j for k, j in zip(_KEYS, _JAMO, strict=True)},
            **_SHIFTED}
_KEY_OF = {**{j: k for k, j in zip(_KEYS, _JAMO, strict=True)}, **{j: k for k, j in _SHIFTED.items()}}

_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# Two keys that make one vowel, or one final consonant.
_VOWEL_PAIRS = {"ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ", "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ"}
_FINAL_PAIRS = {"ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ", "ㄹㅅ": "ㄽ",
                "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ"}
_SPLIT = {one: two for two, one in (*_VOWEL_PAIRS.items(), *_FINAL_PAIRS.items())}
_SYLLABLES = (0xAC00, 0xD7A3)

# Whole words only: not a piece of a URL, a path, an identifier or a word with digits (ehzj.com, ehzj_1).
_LATIN = re.compile(r"(?<![\w./:@#-])[A-Za-z]{2,}(?![\w/:@#-]|\.\w)")
_HANGUL = re.compile(r"(?<![A-Za-z0-9_./:@#-])[가-힣ㄱ-ㅣ]+(?![A-Za-z0-9_/:@#-])")
_BARE = re.compile(r"[ㄱ-ㅣ]")
_COMPANION_SYLLABLES = 3


def hangul(keys: str) -> str | None:
    """What ``keys`` type on the Korean layout (``ehzj`` → 도커), or None unless every key ends in a whole syllable
    (a consonant alone or a vowel alone is no slip: ``ls`` → ㅣㄴ)."""
    try:
        letters = [_JAMO_OF[k] for k in keys]
    except KeyError:
        return None
    out: list[str] = []
    i, n = 0, len(letters)
    while i < n:
        if letters[i] not in _INITIALS or i + 1 >= n or letters[i + 1] not in _VOWELS:
            return None
        initial, vowel = letters[i], letters[i + 1]
        i += 2
        if i < n and vowel + letters[i] in _VOWEL_PAIRS:
            vowel, i = _VOWEL_PAIRS[vowel + letters[i]], i + 1
        final = ""
        if i < n and letters[i] in _FINALS and not _starts_syllable(letters, i):
            final, i = letters[i], i + 1
            if i < n and final + letters[i] in _FINAL_PAIRS and not _starts_syllable(letters, i):
                final, i = _FINAL_PAIRS[final + letters[i]], i + 1
        out.append(chr(_SYLLABLES[0] + (_INITIALS.index(initial) * 21 + _VOWELS.index(vowel)) * 28
                       + _FINALS.index(final)))
    return "".join(out)


def _unshifted(word: str) -> str:
    """``Ehzj`` → ehzj: a capital at the start of a word and nowhere else is a phone's sentence case."""
    return word.lower() if word[0].isupper() and word[1:].islower() else word


def _starts_syllable(letters: list[str], i: int) -> bool:
    return i + 1 < len(letters) and letters[i + 1] in _VOWELS


def keys(text: str) -> str | None:
    """The keys that type ``text`` on the Korean layout (애찯ㄱ → docker), or None for a letter it has no key for."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if _SYLLABLES[0] <= code <= _SYLLABLES[1]:
            index = code - _SYLLABLES[0]
            parts = [_INITIALS[index // 588], _VOWELS[index % 588 // 28], _FINALS[index % 28]]
        else:
            parts = [char]
        for part in parts:
            for letter in _SPLIT.get(part, part):
                if letter not in _KEY_OF:
                    return None
                out.append(_KEY_OF[letter])
    return "".join(out)


def _as_korean(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each Latin word of ``text`` that types whole Hangul syllables, with what it types."""
    for m in _LATIN.finditer(text):
        if (typed := hangul(_unshifted(m.group()))) is not None:
            yield m, typed


def _as_latin(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each Hangul word of ``text`` with a bare consonant or vowel in it, with the keys (lower-case) that type it."""
    for m in _HANGUL.finditer(text):
        if _BARE.search(m.group()) and (typed := keys(m.group())) is not None:
            yield m, typed.lower()


def slips(text: str) -> bool:
    """Whether ``text`` has a word that may be a layout slip at all (most questions have none: no need to ask
    what the notes know)."""
    return any(_as_korean(text)) or any(_as_latin(text))


def retyped(text: str, is_korean: Callable[[str], bool], is_latin: Callable[[str], bool],
            is_docker: Callable[[str], bool]) -> str:
    """``text`` with its layout slips undone.

    Latin words that are no word known in Latin letters (``is_latin``) and type a Korean word known (``is_korean``)
    are Korean typed in the wrong layout, when at least one of them has two syllables or more (``ehzj zjsxpdlsj
    tkrwp djEjgrp gody`` → 도커 컨테이너 삭제 어떻게 해요; ``go`` alone types 해, and ``clean`` beside them types no
    word); so then are the other unknown Latin words that type three whole syllables or more, words the notes do
    not know or a spacing slip (``ehzj fhrm qhsmsqjq`` → 도커 로그 보는법). A capital only at the start of a word
    is a phone's, not Shift (``Ehzj`` → 도커).

    A Hangul word with a bare consonant or vowel in it (no Korean word has one; ㅋㅋ types no Docker word) that types
    a Docker word is that word (``애찯ㄱ ㅔㄴ`` → docker ps); whole syllables may be a real word (그 types `rm`), so
    they stay.
    """
    unknown = [(m, typed) for m, typed in _as_korean(text) if not is_latin(m.group().lower())]
    latin = [(m, typed) for m, typed in unknown if is_korean(typed)]
    # A sentence is typed in one layout: beside a Korean word known, a longer one the notes do not know is Korean
    # too (few English words type three whole syllables; `clean` types two).
    if any(len(typed) >= 2 for _, typed in latin):
        latin = [(m, typed) for m, typed in unknown if is_korean(typed) or len(typed) >= _COMPANION_SYLLABLES]
    else:
        latin = []
    korean = [(m, typed) for m, typed in _as_latin(text) if is_docker(typed)]
    out, end = [], 0
    for m, typed in sorted(latin + korean, key=lambda pair: pair[0].start()):
        out += [text[end:m.start()], typed]
        end = m.end()
    return "".join(out) + text[end:]
