"""The typo fixer: slips of known words are fixed, other words one letter away are not."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_DATA_DIR as DATA
from bot.notes.lexicon import Language
from bot.notes.query import TypoFixer
from bot.notes.search import typo_target

FIXER = TypoFixer(["boot", "mode", "images", "build", "볼륨", "컨테이너", "없으면"])


@pytest.mark.parametrize(("typed", "meant"), [("imgaes", "images"), ("biuld", "build"), ("볼룸", "볼륨"),
                                               ("컨테니어", "컨테이너")])
def test_slips_of_known_words_are_fixed(typed: str, meant: str) -> None:
    assert FIXER.fix(typed) == meant


@pytest.mark.parametrize("word", ["root", "node", "넣으면"])  # boot, mode, 없으면: another first letter
def test_a_word_with_another_first_letter_is_another_word(word: str) -> None:
    assert FIXER.fix(word) is None


@pytest.mark.parametrize(("word", "target"), [("되니", False), ("있던", False), ("컨테이너", True), ("삭제", True),
                                              ("지우", True), ("images", True)])
def test_only_words_with_a_meaning_of_their_own_are_what_a_slip_meant(word: str, target: bool) -> None:
    # 되니 and 있던 are verb forms of the notes' text: "되냐" is chat, not a slip of them.
    assert typo_target(word, Language.load(DATA)) is target

