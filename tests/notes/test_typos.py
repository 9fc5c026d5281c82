"""The typo fixer: slips of known words are fixed, other words one letter away are not."""

from __future__ import annotations

import pytest

from bot.notes.query import TypoFixer

FIXER = TypoFixer(["boot", "mode", "images", "build", "볼륨", "컨테이너", "없으면"])


@pytest.mark.parametrize(("typed", "meant"), [("imgaes", "images"), ("biuld", "build"), ("볼룸", "볼륨"),
                                               ("컨테니어", "컨테이너")])
def test_slips_of_known_words_are_fixed(typed: str, meant: str) -> None:
    assert FIXER.fix(typed) == meant


@pytest.mark.parametrize("word", ["root", "node", "넣으면"])  # boot, mode, 없으면: another first letter
def test_a_word_with_another_first_letter_is_another_word(word: str) -> None:
    assert FIXER.fix(word) is None
