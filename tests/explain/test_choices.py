"""Choices when unsure, learned picks, Docker's reference as a second source, and gaps (core level)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.context import scope_key
from bot.core import Core
from bot.explain import answer as answer_module
from bot.explain import store as store_module
from bot.explain.command import explainer
from bot.explain.store import ExplainStore
from bot.notes import NotesError
from bot.notes.lexicon import Lexicon
from bot.replies import Reply
from tests.explain.conftest import Ask
from tests.invocations import CollectingResponder, invocation


def _text(replies: list[Reply]) -> str:
    assert len(replies) == 1, replies
    return replies[0].plain_text()


async def _click(core: Core, action: str, *, scope: str = "test") -> list[Reply]:
    responder = CollectingResponder()
    inv = invocation("clicker", channel="test", scope=scope, responder=responder)
    await core.handle_action(inv, action)
    return responder.sent


async def test_unsure_question_offers_up_to_three_entries_and_a_pick_is_learned(ask: Ask, core: Core) -> None:
    replies = await ask("!explain 컨테이너 공유")
    reply = replies[0]
    assert reply.title == "Did you mean one of these?"
    assert 1 <= len(reply.choices) <= 3
    labels = [c.label for c in reply.choices]
    assert any("-link · 명령어" in label for label in labels), labels
    link_choice = next(c for c in reply.choices if "-link · 명령어" in c.label)
    assert len(link_choice.action) <= 100

    shown = _text(await _click(core, link_choice.action))
    assert "`-link` 컨테이너 연결" in shown

    again = _text(await ask("!explain 컨테이너 공유"))  # the same question, another member: answered directly
    assert "`-link` 컨테이너 연결" in again
    assert "Members here picked this" in again
    elsewhere = (await ask("!explain 컨테이너 공유", scope="other-server"))[0]
    assert elsewhere.choices, "a pick is learned per server"


async def test_a_reference_page_is_offered_beside_entries_and_a_pick_of_it_is_learned(ask: Ask, core: Core) -> None:
    question = "!explain 볼륨 하나 필요 없어져서 지우고 싶어"
    reply = (await ask(question))[0]
    page = next(c for c in reply.choices if c.label.endswith("docker volume rm · Docker reference"))
    assert len(reply.choices) <= 3 and "Remove one or more volumes" in reply.plain_text()
    shown = _text(await _click(core, page.action))
    assert shown.startswith("Docker reference · docker volume rm")
    # Stored in an entry place's five parts, so a process of an older version on the same state file reads it as
    # an entry it cannot find instead of failing.
    row = await core.db.fetchone("SELECT place FROM explain_picks")
    assert row is not None
    _file, section, kind, _heading, _number = json.loads(row[0])  # how an older version unpacks a place
    assert (section, kind) == ("volume_rm", "reference")
    again = _text(await ask(question))  # learned: the page answers directly, labelled as the reference
    assert again.startswith("Docker reference · docker volume rm") and "Members here picked this" in again
    listed = _text(await ask("!explain learned", manager=True))
    assert "docker volume rm · Docker reference" in listed
    # The notes still lack it: it stays among the gaps until they answer it.
    assert "볼륨 하나 필요 없어져서 지우고 싶어" in _text(await ask("!explain gaps", manager=True))
    assert "Forgot 1 pick" in _text(await ask("!explain forget 볼륨 하나 필요 없어져서 지우고 싶어", manager=True))
    assert (await ask(question))[0].choices


async def test_managers_can_list_and_forget_picks(ask: Ask, core: Core) -> None:
    reply = (await ask("!explain 컨테이너 공유"))[0]
    await _click(core, reply.choices[-1].action)  # a bad pick
    assert "Members here picked this" in _text(await ask("!explain 컨테이너 공유"))
    assert "Only managers" in _text(await ask("!explain forget 컨테이너 공유"))
    listed = _text(await ask("!explain learned", manager=True))
    assert "컨테이너 공유" in listed
    assert "Forgot 1 pick" in _text(await ask("!explain forget 컨테이너 공유", manager=True))
    assert (await ask("!explain 컨테이너 공유"))[0].choices


async def test_stale_or_foreign_clicks_get_a_clear_reply(ask: Ask, core: Core) -> None:
    reply = (await ask("!explain 컨테이너 공유"))[0]
    assert "another server" in _text(await _click(core, reply.choices[0].action, scope="elsewhere"))
    assert "expired" in _text(await _click(core, "explain:pick:999999:0"))
    assert "expired" in _text(await _click(core, "explain:pick:²:0"))


@pytest.mark.parametrize(
    ("query", "title"),
    [("컨테이너 로그 보는 법", "Docker reference · docker logs"),
     ("how do I see container logs", "Docker reference · docker logs"),
     ("healthcheck 설정", "Docker reference · Dockerfile HEALTHCHECK"),
     ("도커 네트워크 새로 만드는 법", "Docker reference · docker network create"),
     ("ARG 는 어떻게 쓰는 거야", "Docker reference · Dockerfile ARG"),  # a Docker word that names its section
     ("이미지 history 보는 법", "Docker reference · docker history")],
)
async def test_docker_words_the_notes_lack_are_answered_from_the_reference(ask: Ask, query: str, title: str) -> None:
    text = _text(await ask(f"!explain {query}"))
    assert text.startswith(title)
    assert "not the study notes" in text
    assert "📄 Source: docker-guide-ko.md" not in text  # never mixed into a notes answer


async def test_a_paraphrase_naming_no_docker_word_finds_its_reference_page_by_question_forms(ask: Ask) -> None:
    text = _text(await ask("!explain 응답 없는 컨테이너 강제로 꺼야 돼"))
    assert text.startswith("Docker reference · docker kill"), text
    assert "not the study notes" in text


async def test_a_question_the_notes_only_seem_to_answer_goes_to_the_reference_page_it_asks_for(ask: Ask) -> None:
    # The notes' COPY (a Dockerfile instruction) shares words with it; the question is `docker cp`.
    text = _text(await ask("!explain 컨테이너 안에 있는 파일을 내 컴퓨터로 복사하려면"))
    assert text.startswith("Docker reference · docker cp"), text
    assert "`COPY`" in _text(await ask("!explain COPY 명령어 뭐야"))  # named: the notes' own entry


async def test_a_reference_page_the_notes_also_hold_is_answered_from_the_notes(ask: Ask) -> None:
    text = _text(await ask("!explain 떠 있는 컨테이너 안에서 명령 하나 돌리려면"))  # forms point to `docker exec`
    assert "`exec` 실행중인 컨테이너에 명령어를 내림" in text and "Docker reference" not in text


async def test_notes_answer_wins_over_the_reference_when_they_hold_it(ask: Ask) -> None:
    text = _text(await ask("!explain 컨테이너 지우는 법"))
    assert "`rm` 컨테이너 제거" in text and "Docker reference" not in text


async def test_a_command_page_wins_when_the_notes_entry_only_shares_its_name(ask: Ask) -> None:
    text = _text(await ask("!explain docker run 메모리 제한"))  # the notes' `run` entry says nothing of limits
    assert "Docker reference · docker run" in text and "`run` 컨테이너를 새로 만들어서 실행" not in text


async def test_looking_more_like_the_notes_than_the_reference_makes_the_notes_sure(ask: Ask, core: Core) -> None:
    question = "docker run 할때 env variable 주는 법"
    alone = await core.notes.search(question)
    assert not alone.found  # the notes alone would offer choices
    # Their forms for `-e` look more like it than any page of Docker's reference does: answered outright.
    reply = (await ask(f"!explain {question}"))[0]
    assert not reply.choices and "`-e`" in reply.plain_text(), reply.plain_text()


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # `docker swarm`'s page only lists its subcommands; the forms of `docker swarm init` fit the question.
        ("swarm 클러스터 처음 만드는 법", "docker swarm init"),
        # `prune` has a page per object: the one the question names.
        ("안 쓰는 이미지들 한번에 싹 정리하는 명령어", "docker image prune"),
        ("이미지 정리하는 법", "docker image prune"),
        ("볼륨 뭐뭐 있는지 리스트 보는 법", "docker volume ls"),  # not `ps`, whose entry says nothing of volumes
        ("docker inspect 로 container IP 확인 가능?", "docker inspect"),  # not `docker context inspect`
        ("plugin에 태그 붙여서 push 하는 법", "docker plugin push"),  # a specialist's group, named
        ("docker volume rm 했는데 in use 에러 나요", "docker volume rm"),  # typed out: the notes' VOLUME is not it
        ("docker volume rm이 뭐야", "docker volume rm"),  # a particle right after it
        ("docker swarm join-token 뭐야", "docker swarm join-token"),
        ("SHELL 명령어", "Dockerfile SHELL"),  # in capitals; `shell` alone is the notes' terminal (-it)
        ("Dockerfile USER 지시어 뭐야", "Dockerfile USER"),  # an instruction in capitals names itself
    ],
)
async def test_a_command_group_answers_with_the_subcommand_the_question_is_about(
    ask: Ask, question: str, title: str
) -> None:
    text = _text(await ask(f"!explain {question}"))
    assert text.startswith(f"Docker reference · {title}\n"), text


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("새 named volume 하나 만드는 법", "Docker reference · docker volume create\n"),
        ("안 쓰는 볼륨 정리하는 명령", "Docker reference · docker volume prune\n"),
        ("볼륨 지우기", "Docker reference · docker volume rm\n"),
        # `ps` lists containers: a list of images is `docker images`; running images are containers
        ("이미지 목록 보기", "Docker reference · docker images\n"),
        ("컨테이너 목록 보기", "`ps` 리스트 출력"),
        ("실행 중인 이미지 확인", "`ps` 리스트 출력"),
        ("docker ps로 이미지 이름 보기", "`ps` 리스트 출력"),
        ("이미지 만들 때 볼륨 지정", "Source: docker-guide-ko.md › Dockerfile › command\n"),  # building: VOLUME
        # no doing, or a Dockerfile: the instruction
        ("볼륨이 뭐야", "Source: docker-guide-ko.md › Dockerfile › command\n"),
        ("도커파일에서 볼륨 만드는 법", "Source: docker-guide-ko.md › Dockerfile › command\n"),
    ],
)
async def test_doing_something_to_a_thing_is_the_command_for_that_thing(
    ask: Ask, question: str, answer: str
) -> None:
    assert answer in _text(await ask(f"!explain {question}"))


async def test_instructions_named_in_capitals_come_before_the_section_listing_them(
    ask: Ask, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "!explain what's the difference between RUN and CMD, they both seem to just run commands"
    assert "`CMD` 도커 컨테이너가" in _text(await ask(question))
    monkeypatch.setattr(answer_module, "_named_first", lambda question, result: result)
    assert "docker-guide-ko.md › Dockerfile › command\n" in _text(await ask(question))  # the section, otherwise


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("포트 지정하는 옵션", "`-p` 포트 포워딩"),  # an option: no Dockerfile instruction
        ("볼륨 지정하는 flag는?", "`-v` 호스트와 컨테이너의"),  # (flag with a particle, as typed in Korean)
        ("Dockerfile에서 포트 여는 옵션", "`EXPOSE` 컨테이너 실행됐을 때"),  # a Dockerfile's, or in capitals: EXPOSE
        ("EXPOSE 옵션", "`EXPOSE` 컨테이너 실행됐을 때"),
        ("workdir option", "`WORKDIR` run, cmd"),  # no flag does what WORKDIR does
    ],
)
async def test_a_question_asking_for_an_option_gets_a_flag_not_an_instruction(
    ask: Ask, question: str, answer: str
) -> None:
    assert answer in _text(await ask(f"!explain {question}"))


async def test_an_everyday_word_that_is_also_an_instruction_is_no_docker_word(ask: Ask) -> None:
    # `user` in lower case is a word here (`USER` names the instruction): the notes answer it.
    text = _text(await ask("!explain what's the format of an image name with the registry, user and tag"))
    assert "docker-guide-ko.md › 이미지 › 이미지 이름" in text, text


@pytest.mark.parametrize(("question", "group"), [
    # Its words are all in a form of `docker plugin push` ("plugin에 태그 붙여서 push 하는 법"), but it names no plugin.
    ("이미지 태그 붙여서 push 하는 법", "plugin"),
    ("compose services 설정하는 법", "docker service"),  # compose's services, not swarm's
    ("stack overflow에서 봤는데 docker run -d가 뭐야", "docker stack"),
    ("how do I configure logging driver", "docker config"),
])
async def test_a_specialists_command_group_answers_only_when_named(ask: Ask, question: str, group: str) -> None:
    text = _text(await ask(f"!explain {question}"))
    assert group not in text.lower(), text


@pytest.mark.parametrize(
    ("question", "title", "rules"),
    [
        # No Docker word, and no form of `docker logs` word for word: its forms' letter runs are what fit.
        ("how can I read what my container printed before it crashed", "docker logs",
         ("REF_ALIKE_SURE", "REF_AGREE_ALIKE")),
        # Neither its letter-run likeness nor its word match with HEALTHCHECK's forms is sure alone; together they are.
        ("도커파일에서 앱 살아있는지 주기적으로 체크하게 하려면", "Dockerfile HEALTHCHECK", ("REF_AGREE_ALIKE",)),
    ],
)
async def test_a_question_that_looks_like_a_reference_pages_forms_gets_that_page(
    ask: Ask, monkeypatch: pytest.MonkeyPatch, question: str, title: str, rules: tuple[str, ...]
) -> None:
    assert f"Docker reference · {title}" in _text(await ask(f"!explain {question}"))
    for rule in rules:
        monkeypatch.setattr(answer_module, rule, 1.1)
    unsure = (await ask(f"!explain {question}"))[0]  # without those rules it is only offered
    assert any(c.label.endswith(f"{title} · Docker reference") for c in unsure.choices), unsure.plain_text()


async def test_a_question_naming_instructions_is_not_about_another_one(ask: Ask) -> None:
    # Worded like a form of CMD ("what's the difference between CMD and RUN in a Dockerfile?"), it names EXPOSE
    # and -p: both answered, CMD nowhere.
    reply = (await ask("!explain what's the difference between EXPOSE in the Dockerfile and -p on the command line"))[0]
    assert reply.title == "EXPOSE · Dockerfile › command + -p · 명령어" and "CMD" not in reply.plain_text()
    # A section with no text of its own is told by its entries' names.
    reply = (await ask("!explain EXPOSE랑 CMD 둘 다 도커파일 명령어인데 뭐가 달라"))[0]
    assert "**Dockerfile › command** — `FROM`, `MAINTAINER`" in reply.plain_text()
    # `.dockerignore` is a section of the Dockerfile reference, not an instruction: naming COPY does not hide it.
    text = _text(await ask("!explain COPY . . 하면 node_modules까지 들어가는데 빌드 컨텍스트에서 빼려면"))
    assert text.startswith("Docker reference · Dockerfile reference › .dockerignore file"), text


async def test_a_word_shared_in_passing_does_not_make_a_reference_question(ask: Ask) -> None:
    # "볼륨이 뭐예요" shares its one word with forms of `docker volume ls`; the other shares 띄우면 with `docker run`'s
    # and 용량 with `docker system df`'s, but it is about containers: both are the notes', not some reference page.
    for question, entry in (("볼륨이 뭐예요?", "VOLUME"), ("컨테이너 여러개 띄우면 용량 엄청 먹나요?", "› 컨테이너")):
        text = _text(await ask(f"!explain {question}"))
        assert not text.startswith("Docker reference") and entry in text, text


async def test_plain_english_the_notes_know_few_words_of_still_finds_the_entry(ask: Ask) -> None:
    # Few of its words are the notes' (clean, itself, exits), but it looks like the forms of `--rm`: the entry is
    # the answer or one of the choices, never "not found".
    reply = (await ask("!explain I want the container to clean itself up when it exits"))[0]
    assert (reply.plain_text().startswith("-rm · 명령어")
            or any("-rm · 명령어" in choice.label for choice in reply.choices)), reply.plain_text()


async def test_another_tools_question_is_refused_and_is_no_gap(ask: Ask) -> None:
    # `logs` and `push` are Docker words, but these ask about kubectl, git and GitHub.
    # A product with images and layers of its own is itself unless Docker is named ("포토샵 이미지" is no image
    # of Docker's).
    for question, tool in (("kubectl logs 보는 법", "kubectl"), ("git push 안돼요", "git"),
                           ("깃허브에 올리는 법", "깃허브"), ("쿠버네티스에서 파드 재시작", "쿠버네티스"),
                           ("포토샵에서 이미지 레이어 합치는 법", "포토샵"),
                           ("what are shipping containers made of", "shipping"),
                           ("이 봇 누가 만든 거야?", "봇"), ("are you chatgpt or something", "chatgpt"),
                           ("grep -v 옵션 뜻", "grep"),  # (-v after grep is grep's)
                           ("javascript에서 let이랑 const 차이가 뭐야", "javascript")):
        text = _text(await ask(f"!explain {question}"))
        assert "I found nothing" in text and f"about `{tool}`, not Docker" in text, text
        assert "Docker reference" not in text
    # Naming Docker, an image, a volume, a Dockerfile instruction or a flag too keeps it Docker's question; so does
    # naming the machine Docker runs on.
    assert "Docker reference · docker logs" in _text(await ask("!explain docker logs 보는 법"))
    for question in ("kubectl logs랑 docker logs 차이", "깃에서 받은 소스로 이미지 만드는 법", "-v로 리눅스 경로 연결",
                     "리눅스 폴더를 볼륨으로 마운트하는 법", "포토샵 도커 이미지 있어?",
                     "엑셀 파일을 컨테이너 볼륨에 넣는 법",
                     "we are shipping containers to production, how to tag images",
                     "디스코드 봇 도커로 띄우는 법", "자바 앱을 컨테이너로 띄우는 법"):
        assert "not Docker" not in _text(await ask(f"!explain {question}")), question
    listed = _text(await ask("!explain gaps", manager=True))
    assert "kubectl logs 보는 법" not in listed and "git push" not in listed, listed


async def test_a_gap_counted_before_its_tool_was_known_as_another_drops_off(ask: Ask, core: Core) -> None:
    store, scope = explainer(core).store, scope_key(invocation("m", channel="test", scope="test").place)
    await store.count_gap(scope, "kubectl logs 보는 법")  # as an older version counted it
    await ask("!explain 오늘 스터디 몇 시에 해")
    assert {gap.question for gap in await store.gaps(scope, 10)} == {"kubectl logs 보는 법", "오늘 스터디 몇 시에 해"}
    listed = _text(await ask("!explain gaps", manager=True))
    assert "오늘 스터디 몇 시에 해" in listed and "kubectl" not in listed, listed
    assert [gap.question for gap in await store.gaps(scope, 10)] == ["오늘 스터디 몇 시에 해"]  # closed for good


async def test_gaps_count_unanswered_questions_for_managers_only(ask: Ask, core: Core) -> None:
    for _ in range(3):
        await ask("!explain 컨테이너 로그 보는 법")
    await ask("!explain 점심 메뉴 리스트 정렬")
    await ask("!explain 이미지가 뭐야")  # answered by the notes: never a gap
    assert "Only managers" in _text(await ask("!explain gaps"))
    listed = _text(await ask("!explain gaps", manager=True))
    assert "3× `컨테이너 로그 보는 법`" in listed
    assert "1× `점심 메뉴 리스트 정렬`" in listed
    assert "이미지가 뭐야" not in listed
    reply = (await ask("!explain 컨테이너 공유"))[0]
    await _click(core, reply.choices[0].action)  # picked: the notes answer it now
    assert "컨테이너 공유" not in _text(await ask("!explain gaps", manager=True))


async def test_gaps_never_echo_live_mentions(ask: Ask) -> None:
    await ask("!explain @everyone 점심 정렬")
    listed = _text(await ask("!explain gaps", manager=True))
    assert "@everyone" not in listed and "@\u200beveryone" in listed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("intents:\n  - {say: [지우], mean: []}\n", "intents entry 1"),
        ("filler: {ko: [지우]}\nintents:\n  - {say: [지우], mean: [삭제]}\n", "both filler and an intent"),
        ("filler: {ko: [왜]}\nhints:\n  - {say: [왜], mean: [장점]}\n", "both filler and an intent, hint"),
        ("docker:\n  - {say: [로그, logs], mean: [logs]}\nelsewhere: [kubectl, logs]\n",
         "both another tool and a Docker word: logs"),
        ("elsewhere: {kubectl: k8s}\n", "`elsewhere` must be a list"),
        ("apart: 포토샵\n", "`apart` must be a list"),
        ("filler: {en: [the, on, at]}\n", "True is not a word"),  # YAML's bare `on` is a boolean, not "on"
    ],
)
def test_a_bad_lexicon_names_the_entry(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotesError, match=problem):
        Lexicon.load(path)


async def test_a_pick_made_by_another_process_is_seen_within_a_moment(core: Core, monkeypatch: pytest.MonkeyPatch
                                                                      ) -> None:
    """Picks are kept in memory for a moment; one written by another process (another store on the same state
    file) answers once that moment has passed, and a pick or a forget through the store itself at once."""
    monkeypatch.setattr(store_module, "LEARNED_FRESH_FOR", 0.2)
    here, elsewhere = ExplainStore(core.db), ExplainStore(core.db)
    place = ("docker-guide-ko.md", "명령어", "entry", "ps", 0)
    assert await here.learned("console", "떠 있는 거 보기") is None
    await elsewhere.record_pick("console", "떠 있는 거 보기", place, "ps")
    assert await here.learned("console", "떠 있는 거 보기") is None  # still the moment kept
    await asyncio.sleep(0.25)
    assert await here.learned("console", "떠 있는 거 보기") == place
    await here.forget("console", "떠 있는 거 보기")
    assert await here.learned("console", "떠 있는 거 보기") is None


async def test_a_docker_question_in_its_own_words_still_gets_choices(ask: Ask) -> None:
    # Few of its words are the notes' (pip, requirements.txt, 돌리고 싶어), but it names a Dockerfile and the model
    # gives RUN a fair chance: one click away rather than "not found".
    (reply,) = await ask("!explain 도커파일에서 pip install -r requirements.txt 돌리고 싶어")
    assert reply.title == "Did you mean one of these?", reply.plain_text()
    assert "RUN · Dockerfile › command" in reply.choices[0].label, [c.label for c in reply.choices]
    (chat,) = await ask("!explain 롤 아이템 빌드 추천 좀 해줘")  # a game's build: no thing of Docker's
    assert not chat.choices, [c.label for c in chat.choices]
