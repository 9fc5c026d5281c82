"""Quiz action ids: what is written reads back the same, and stale or foreign ids read as nothing."""

from __future__ import annotations

from bot.quiz import actions


def test_every_written_id_reads_back() -> None:
    assert actions.parse(actions.answer(12, 3)) == actions.Answer(12, 3)
    assert actions.parse(actions.type_answer(7)) == actions.TypeAnswer(7)
    assert actions.parse(actions.review_pick("t-mc", 1)) == actions.ReviewPick("t-mc", 1)
    assert actions.parse(actions.review_show("t-free")) == actions.ReviewShow("t-free")
    assert actions.parse(actions.review_grade("t-free", 4)) == actions.ReviewGrade("t-free", 4)


def test_ids_without_the_quiz_shape_read_as_nothing() -> None:
    stale = ("quiz", "quiz:a:1", "quiz:a:1:x", "quiz:a:²:1", "quiz:type:", "quiz:type:1:2", "quiz:r", "quiz:zz:1")
    for action in stale:
        assert actions.parse(action) is None, action


def test_a_review_number_that_is_not_one_is_kept_as_none() -> None:
    assert actions.parse("quiz:r:t-mc:x") == actions.ReviewPick("t-mc", None)
    assert actions.parse("quiz:rg:t-free:1:2") == actions.ReviewGrade("t-free", None)
