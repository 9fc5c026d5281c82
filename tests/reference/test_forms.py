"""Question forms for the reference: a member's phrasing finds the page whose forms it resembles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.notes import NotesError
from bot.notes.forms import parse_forms
from bot.reference.forms import ReferenceForms

FORMS = """
forms:
  kill:
    - 컨테이너가 응답이 없을 때 강제로 끄는 법
    - force stop a container that hangs
  stop:
    - 컨테이너 멈추는 법
    - stop a running container gracefully
  "builder#HEALTHCHECK":
    - 컨테이너가 살아있는지 주기적으로 검사하려면
    - how do I add a health check to my image
"""


def test_a_paraphrase_finds_its_page_through_korean_verb_forms() -> None:
    forms = ReferenceForms(parse_forms("reference.questions.yaml", FORMS.encode()))
    best = forms.match("응답 없는 컨테이너 강제로 꺼야 돼")[0]
    assert best.key == "kill" and best.page == "kill" and best.heading is None
    assert forms.match("컨테이너 멈추려면")[0].key == "stop"
    health = forms.match("health check 넣는 법")[0]
    assert (health.page, health.heading) == ("builder", "HEALTHCHECK")


def test_a_question_sharing_only_common_words_scores_low() -> None:
    forms = ReferenceForms(parse_forms("reference.questions.yaml", FORMS.encode()))
    exact = forms.match("force stop a container that hangs")[0].score
    loose = forms.match("container")
    assert exact > 0.9
    assert not loose or loose[0].score < 0.5
    assert forms.match("점심 메뉴 추천해줘") == []


def test_an_absent_file_has_no_forms_and_a_bad_one_is_named(tmp_path: Path) -> None:
    assert ReferenceForms.load(tmp_path / "none.yaml").match("컨테이너 멈추려면") == []
    bad = tmp_path / "reference.questions.yaml"
    bad.write_text("forms:\n  kill: not a list\n", encoding="utf-8")
    with pytest.raises(NotesError, match=r"reference\.questions\.yaml.*kill"):
        ReferenceForms.load(bad)
