"""How a question is built: two questions in one (`이미지 태그 붙이고 push 하는 법`) get both answers from the notes;
a what-is question naming a section (`컨테이너라는 게 정확히 뭔가요?`) gets that section."""

from __future__ import annotations

import pytest

from bot.explain import answer as answer_module
from bot.explain.parts import asks_what, halves, wanted
from tests.explain.conftest import Ask


@pytest.mark.parametrize(
    ("question", "split"),
    [
        ("이미지 태그 붙이고 push 하는 법", ("이미지 태그 붙이", "push 하는 법")),
        ("how do I name my container and also set an env var", ("how do I name my container", "set an env var")),
        ("-p 옵션이랑 도커파일 EXPOSE는 무슨 차이", ("-p 옵션이", "도커파일 EXPOSE는 무슨 차이")),
        ("컨테이너 안에 들어가고 끝나면 삭제", ("컨테이너 안에 들어가", "끝나면 삭제")),  # 안에: inside, no negation
    ],
)
def test_a_question_splits_at_its_joints(question: str, split: tuple[str, str]) -> None:
    assert halves(question)[0] == split


@pytest.mark.parametrize("question", [
    "이미지 실행은 안 하고 받기만 하려면",  # one request with a condition
    "rm 말고 rmi 쓰는 거 맞지",
    "remove it without stopping it and restart",
    "what is docker",  # no joint at all
    "컨테이너 삭제하고 싶은데 볼륨도 같이 지워져?",  # -고 싶다 is "want to", no joint
    "remove a container and its volumes",  # a noun phrase after "and"
    "컨테이너 삭제하고 이미지 지우고 볼륨 정리하고 네트워크 끊고 로그 보기",  # a list, not two questions
])
def test_a_question_that_negates_or_has_no_joint_stays_whole(question: str) -> None:
    assert halves(question) == []


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("이미지 실행은 안 하고 받기만 하려면", "이미지 받기만 하려면"),
        ("이미지 자체를 지우고 싶은데 rm 말고 따로 있지 않았나?", "이미지 자체를 지우고 싶은데 따로 있지 않았나?"),
        ("돌고 있는 컨테이너 잠깐 멈추고 싶어 지우진 말고", "돌고 있는 컨테이너 잠깐 멈추고 싶어"),
        ("멈추지 않고 설정 바꾸기", "설정 바꾸기"),
        ("freeze a container for a bit without stopping it", "freeze a container for a bit it"),
        ("컨테이너 안에 들어가려면", "컨테이너 안에 들어가려면"),  # 안에: inside, no negation
        ("rm말고", "rm말고"),  # nothing would be left
        # what is done without is the question itself, and "X만 말고" is "not only X"
        ("인터넷 없이 이미지 옮기기", "인터넷 없이 이미지 옮기기"),
        ("how to run docker without sudo", "how to run docker without sudo"),
        ("build without using the cache", "build without using the cache"),
        ("이미지만 말고 컨테이너도 다 지우기", "이미지만 말고 컨테이너도 다 지우기"),
        ("빌드 안 해도 되나요?", "빌드 안 해도 되나요?"),
    ],
)
def test_what_a_question_does_not_want_is_left_out(question: str, left: str) -> None:
    assert wanted(question) == left


async def test_a_question_is_answered_for_what_it_wants(ask: Ask) -> None:
    (reply,) = await ask("!explain 이미지 자체를 지우고 싶은데 rm 말고 따로 있지 않았나?")
    assert reply.title == "rmi · 명령어", reply.plain_text()



async def test_both_halves_are_answered_each_under_its_title(ask: Ask) -> None:
    (reply,) = await ask("!explain 이미지 태그 붙이고 push 하는 법")
    assert reply.title == "-t · 명령어 + 도커 이미지 전송"
    text = reply.plain_text()
    assert "`-t` 태그. 도커 이미지에 태그를 넣는다." in text
    assert "만들어진 이미지를 도커 허브에 이미지를 전송한다" in text
    assert not reply.choices
    assert text.count("📄 Source:") == 2


@pytest.mark.parametrize(
    ("question", "title"),
    [("백그라운드로 띄우고 포트 연결하는 법", "-d · 명령어 + -p · 명령어"),
     ("name the container and remove it when it exits", "-rm · 명령어 + -name · 명령어")],
)
async def test_a_two_part_question_sure_as_a_whole_still_gets_both_halves(ask: Ask, question: str, title: str) -> None:
    # The whole question is sure of one half's entry; the other half's comes with it, not only one.
    (reply,) = await ask(f"!explain {question}")
    assert reply.title == title and reply.plain_text().count("📄 Source:") == 2


async def test_two_entries_of_one_section_are_marked_in_it_once_with_v(ask: Ask) -> None:
    (short,) = await ask("!explain 컨테이너 이름 정하고 다른 컨테이너랑 링크하는 법")
    assert short.title == "-name · 명령어 + -link · 명령어"
    (reply,) = await ask("!explain -v 컨테이너 이름 정하고 다른 컨테이너랑 링크하는 법")
    text = reply.plain_text()
    assert text.count("- `ps` 리스트 출력") == 1
    assert "👉 `-name` 이름 지정" in text and "👉 `-link` 컨테이너 연결" in text


async def test_a_half_the_notes_do_not_answer_is_no_second_answer(ask: Ask) -> None:
    (reply,) = await ask("!explain 컨테이너 이름 붙이고 오늘 점심 뭐 먹지")
    assert " + " not in (reply.title or "")
    (reply,) = await ask("!explain 이미지 실행은 안 하고 받기만 하려면")
    assert " + " not in (reply.title or "")


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("회사에서 쓴다길래 공부 시작했는데 컨테이너가 대체 뭔가요? VM이랑 같은 거예요?", "컨테이너"),
        ("newbie question: what even is a Dockerfile? is it a script?", "Dockerfile"),
        ("이미지라는 게 정확히 뭔가요? 그냥 파일이에요?", "이미지"),
    ],
)
async def test_a_what_is_question_naming_a_section_gets_it(
    ask: Ask, monkeypatch: pytest.MonkeyPatch, question: str, section: str
) -> None:
    (reply,) = await ask(f"!explain {question}")
    assert f"📄 Source: docker-guide-ko.md › {section}\n" in reply.plain_text(), reply.plain_text()
    # without the rule (nor the sentence of a longer one that asks, nor a story's): choices, or another answer
    monkeypatch.setattr(answer_module, "CONCEPT_KNOWN", 1.1)
    monkeypatch.setattr(answer_module, "SENTENCE_HITS", 0)
    monkeypatch.setattr(answer_module, "STORY_SURE", 1.1)
    (unsure,) = await ask(f"!explain {question}")
    assert unsure.choices or f"› {section}\n" not in unsure.plain_text()


@pytest.mark.parametrize(("question", "asks"), [
    ("이미지라는 게 정확히 뭔가요?", True),
    ("what is a container actually?", True),
    ("what's the right way to update the running container", False),  # how to do, not what it is
    ("컨테이너 지우는 법", False),
])
def test_what_is_questions_are_told_from_how_to_ones(question: str, asks: bool) -> None:
    assert asks_what(question) is asks


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("어제 처음으로 도커를 깔아봤어요. 튜토리얼을 따라 하는데 이미지를 지우라고 하네요. "
         "이미지 지우는 명령어가 뭔가요?", "rmi · 명령어"),
        ("I'm new here and still confused. How do I see the list of containers that are running right now?",
         "ps · 명령어"),
        ("팀 프로젝트로 웹앱을 만들고 있어요. 컨테이너에 이름을 붙이고 싶은데 어떻게 하나요? "
         "매번 랜덤 이름이라 헷갈려요.", "-name · 명령어"),
    ],
)
async def test_a_story_around_a_question_is_answered_by_the_sentence_that_asks(
    ask: Ask, question: str, title: str
) -> None:
    (reply,) = await ask(f"!explain {question}")
    assert reply.title == title, reply.plain_text()


async def test_a_story_with_no_question_in_it_is_not_answered(ask: Ask) -> None:
    (reply,) = await ask("!explain 도커 스터디 첫날이에요. 잘 부탁드립니다!")
    assert reply.title == "Not in the notes" and not reply.choices, reply.plain_text()
