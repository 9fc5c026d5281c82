"""``!explain`` and ``!reindex`` as a member sees them, through the core pipeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.context import Invocation
from bot.core import Core
from bot.replies import Reply, Tone
from tests.explain.conftest import Ask
from tests.invocations import CollectingResponder


def _one(replies: list[Reply]) -> str:
    assert len(replies) == 1
    return replies[0].plain_text()


async def test_short_answer_has_note_source_correction_and_pointer(ask: Ask) -> None:
    text = _one(await ask("!explain -name"))
    assert "`-name` 이름 지정" in text  # the note as written
    assert "docker-guide-ko.md › 명령어" in text
    assert "`--name`" in text  # the correction, beside the note
    assert "!explain -v -name" in text
    assert len(text) <= 750 and text.count("\n") < 13


@pytest.mark.parametrize(
    ("query", "correction"),
    [("--rm", "`--rm`"), ("-link", "legacy"), ("MAINTAINER", "LABEL"), ("-t", "docker build -t"),
     ("도커 버전", "`docker version`")],
)
async def test_corrections_shown_beside_the_notes(ask: Ask, query: str, correction: str) -> None:
    text = _one(await ask(f"!explain {query}"))
    assert correction in text
    assert "Correction" in text


@pytest.mark.parametrize(
    ("query", "shown", "see_also"),
    [
        ("run", "`run` 컨테이너를 새로 만들어서 실행", "`RUN` (Dockerfile › command)"),
        ("docker run", "`run` 컨테이너를 새로 만들어서 실행", "`RUN` (Dockerfile › command)"),
        ("RUN", "`RUN` 명령어를 그대로 실행.", "`run` (명령어)"),
        ("dockerfile run", "`RUN` 명령어를 그대로 실행.", "`run` (명령어)"),
        ("플래그 -v", "`-v` 호스트와 컨테이너의 디렉토리를 연결", "`VOLUME` (Dockerfile › command)"),
        ("VOLUME", "`VOLUME` 컨테이너 외부에 파일시스템", "`-v` (명령어)"),
    ],
)
async def test_same_names_pick_by_words_and_case_and_name_the_other(
    ask: Ask, query: str, shown: str, see_also: str
) -> None:
    text = _one(await ask(f"!explain {query}"))
    body, _, rest = text.partition("See also")
    assert shown in body
    assert see_also in rest


@pytest.mark.parametrize("query", ["-v", "-v 옵션", "-v flag", "--verbose -v", "-v 옵션 뭐야"])
async def test_dash_v_alone_or_asked_about_explains_the_flag(ask: Ask, query: str) -> None:
    text = _one(await ask(f"!explain {query}"))
    assert "호스트와 컨테이너의 디렉토리를 연결" in text
    assert "/my/own/datadir:/var/lib/mysql" in text


async def test_dash_v_before_a_topic_is_still_verbose(ask: Ask) -> None:
    text = _one(await ask("!explain -v 이미지"))
    assert "컨테이너 실행에 필요한 파일" in text and "Docker hub" in text


async def test_verbose_v_v_explains_the_v_flag_with_its_whole_section(ask: Ask) -> None:
    text = _one(await ask("!explain -v -v"))
    assert text.startswith("명령어")
    assert "👉 `-v` 호스트와 컨테이너의 디렉토리를 연결" in text
    assert "- `-rm` 프로세스 종료시 컨테이너 자동 제거" in text  # the rest of the section
    assert "Related" in text and "`VOLUME`" in text
    assert "`--name`" in text  # corrections of the section's entries


async def test_query_v_after_the_words_is_part_of_the_query(ask: Ask) -> None:
    text = _one(await ask("!explain docker run -v"))
    assert "`-v` 호스트와 컨테이너의 디렉토리를 연결" in text
    assert "👉" not in text  # not the verbose view


async def test_not_found_says_so_and_offers_topics(ask: Ask) -> None:
    replies = await ask("!explain 점심 메뉴 리스트 정렬")
    text = _one(replies)
    assert replies[0].tone is Tone.WARNING
    assert "I found nothing in the study notes" in text
    assert "Closest topics" in text and "- 명령어" in text
    text = _one(await ask("!explain kubernetes pod autoscaling"))  # a reference word among unknown ones
    assert "I found nothing" in text and "kubernetes" in text and "Docker reference" not in text


async def test_explain_alone_lists_usage_and_topics(ask: Ask) -> None:
    text = _one(await ask("!explain"))
    assert "Usage: `!explain [-v] <topic>`" in text
    for topic in ("이미지", "Dockerfile › command", "명령어", "도커 빌드 과정"):
        assert f"- {topic}" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('""', "no words to look up"),
        ("?!?! ... ,,,", "no words to look up"),
        ("\u200b\u200b\u202e", "no words to look up"),
        ("x" * 4000, "too long"),
        ('"', "no words to look up"),
        ("*", "no words to look up"),
        ("NEAR(", "I found nothing"),
        ("AND", "no words to look up"),
        ("-", "no words to look up"),
        ("run -d AND \"detached\" OR *", "`-d` detached mode"),
        ("'; DROP TABLE notes_docs;--", "I found nothing"),
        ("😀🐳", "no words to look up"),
        ("이미지\u200b가 뭐\u202e야", "컨테이너 실행에 필요한 파일"),
        ("도커 image 뭐야 ☺ Ω", "컨테이너 실행에 필요한 파일"),
        ("@everyone 도커 스웜", "docker swarm"),
        ("@everyone 파이썬 정렬", "@\u200beveryone"),
    ],
)
async def test_bad_input_gets_a_clear_reply(ask: Ask, query: str, expected: str) -> None:
    text = _one(await ask(f"!explain {query}"))
    assert expected in text
    assert "Traceback" not in text and "went wrong" not in text
    assert "@everyone" not in text


async def test_index_still_works_after_hostile_queries(ask: Ask, core: Core) -> None:
    await ask("!explain '; DROP TABLE notes_docs;--")
    await ask('!explain " OR 1=1 --')
    assert "`run`" in _one(await ask("!explain run"))


async def test_korean_replies(ask: Ask) -> None:
    text = _one(await ask("!explain -name", lang="ko"))
    assert "출처: docker-guide-ko.md › 명령어" in text
    assert "바로잡기" in text and "`--name`" in text
    assert "자세히: !explain -v -name" in text
    text = _one(await ask("!explain 쿠버네티스 파드", lang="ko"))
    assert "찾지 못했습니다" in text
    text = _one(await ask("!explain", lang="ko"))
    assert "사용법" in text and "- 이미지" in text


async def test_typos_and_particles(ask: Ask) -> None:
    assert "다양한 프로그램을 실행하는 환경" in _one(await ask("!explain 컨테이나가 뭐야"))
    assert "컨테이너 실행에 필요한 파일" in _one(await ask("!explain what is an imgae"))
    assert "`VOLUME`" in _one(await ask("!explain 볼룸"))
    assert "다양한 프로그램을 실행하는 환경" in _one(await ask("!explain 컨테니어"))  # analysed as 컨+테+니어
    assert "`-name` 이름 지정" in _one(await ask("!explain --nmae"))  # a flag the notes lack, one slip from one
    assert "`rmi` 이미지 제거" in _one(await ask("!explain 이미즤 삭재"))
    assert "`CMD` 도커 컨테이너가" in _one(await ask("!explain 도커파일 CDM 뭐야"))  # in capitals, two letters swapped
    assert "Not in the notes" in _one(await ask("!explain my dad uses docker"))  # a word, not a slip of ADD
    # Words one first letter away from a known one are other words (root/boot, node/mode, 넣으면/없으면).
    assert "`CMD` 도커 컨테이너가" in _one(await ask("!explain CMD에 node app.js 넣으면 언제 실행됨?"))
    assert "`-e` 컨테이너 내에서" in _one(await ask("!explain -e 로 MYSQL_ROOT_PASSWORD 넘기는 거 맞나"))


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("도커가 뭐예요? 처음 들어봐요", "Source: docker-guide-ko.md › Docker\n"),  # chat counts for nothing
        ("초보 질문 죄송한데 Dockerfile이 뭐예요?", "Source: docker-guide-ko.md › Dockerfile\n"),
        ("완전 초보인데 컨테이너라는 게 정확히 뭔가요? 가상머신이랑 비슷한 건가요?", "docker-guide-ko.md › 컨테이너\n"),
        ("도커는 왜 쓰는 건가요", "docker-guide-ko.md › 장점\n"),  # 왜, one syllable, is the lexicon's
        ("한 달 지난 이미지 지우기", "`rmi` 이미지 제거"),  # 달 (a month), one syllable, is no word of the lexicon's
        ("컨테이너가 대체 뭔가요?", "docker-guide-ko.md › 컨테이너\n"),
        ("how to remove a stopped container", "`rm` 컨테이너 제거"),  # a state, not `docker stop`
        ("중지된 컨테이너 삭제하는 법", "`rm` 컨테이너 제거"),  # (중지된: a state, in Korean too)
        ("호스트 폴더를 컨테이너 안에 연결하는 옵션", "`-v` 호스트와 컨테이너의"),  # 안에 (inside) is no word of -it's
        ("이 정리본 원본 글 어디꺼야?", "초보자를 위한 도커 안내서"),  # 꺼 (whose) is no 끄 (stop); 원본: the source
        ("Dockerfile로 이미지 만드는 명령어 뭐였지", "`build` 이미지 빌드"),  # 만드는: 만들, its ㄹ dropped
        # 정리된: a summary, not 정리 (`docker image prune`, "이미지 정리하는 법")
        ("Dockerfile 안에 쓸 수 있는 명령어들 정리된 거 보여줘", "Source: docker-guide-ko.md › Dockerfile › command\n"),
        ("Dockerfile 명령어들을 한눈에 정리해서 볼 수 있나요?", "Source: docker-guide-ko.md › Dockerfile › command\n"),
        # polite asking (점이, 주실) and 관계 count for nothing
        ("도커를 쓰면 어떤 점이 좋은지 설명해 주실 수 있나요?", "docker-guide-ko.md › 장점\n"),
        ("이미지랑 컨테이너는 서로 어떤 관계인가요?", "docker-guide-ko.md › 이미지\n"),
        # the member's own machine (컴퓨터, localhost) says where, not what, and so do a password, a random or a custom
        # name: none counts against the answer
        ("내 컴퓨터 폴더를 컨테이너랑 같이 쓰고 싶어", "`-v` 호스트와 컨테이너의"),
        ("브라우저에서 localhost:8080 으로 컨테이너 웹서버 보려면", "`-p` 포트 포워딩"),
        ("pass a password to the container when it starts", "`-e` 컨테이너 내에서"),
        ("give my container a custom name instead of the random one", "`-name` 이름 지정"),
        ("멈춰 있는 컨테이너 지우는 법", "`rm` 컨테이너 제거"),  # (멈춰 있는: a state, spaced)
        ("컨테이너 끝나면 알아서 지워지게", "`-rm` 프로세스 종료시"),  # 끝나면: 끝나
        # formal requests count for nothing (부탁드립니다, 편리한지); 구성, 요소 ask how a name is built
        ("이미지 이름이 어떤 요소로 구성되는지 설명 부탁드립니다", "docker-guide-ko.md › 이미지 › 이미지 이름\n"),
        ("컴포즈 쓰면 뭐가 편리한지 설명 부탁드립니다", "docker-guide-ko.md › Docker-compose\n"),
        ("nginx 컨테이너 띄웠는데 브라우저로 접속이 안 돼요", "`-p` 포트 포워딩"),
        # chat shorthand and slips of chat words count for nothing either
        ("btw waht's the diffrence btwn a container and an image tho", "docker-guide-ko.md › 이미지\n"),
        ("Sorry, I joined the club late. What is a Dockerfile, in plain words?", "docker-guide-ko.md › Dockerfile\n"),
        ("컨테이너 띄웠는데 사이트가 안 열려요", "`-p` 포트 포워딩"),  # (열려요: 열리, a port opened)
        ("run 하면 컨테이너가 바로 죽어버려요 왜 그래요?", "docker-guide-ko.md › 컨테이너\n"),  # 죽: it exits
        # the member's machine says where, and 동작, 소리 are chat
        ("why use docker instead of installing things on my machine", "docker-guide-ko.md › 장점\n"),
        ("how can my web container find the db container by an alias", "`-link` 컨테이너 연결"),  # (web, db: which)
        # things gone (날아가, 사라지) are removed ones
        ("컨테이너 지우면 안에 만든 파일도 다 날아가요?", "docker-guide-ko.md › 컨테이너를 업데이트 하려면?\n"),
        # 업뎃, cut by the analyser into 업 + 뎃
        ("이미지 새로 나왔는데 컨테이너 업뎃할려면 어캐함", "docker-guide-ko.md › 컨테이너를 업데이트 하려면?\n"),
        # a disk that fills as containers are added asks about containers, not `docker system df`
        ("컨테이너 여러 개 만들면 디스크도 그만큼 더 먹나요?", "docker-guide-ko.md › 컨테이너\n"),
        # the slashes of an image's name ask how it is built (its colons are -v's and -p's too: no word of it)
        ("이미지 이름에 슬래시랑 콜론은 각각 뭘 나누는 거야?", "docker-guide-ko.md › 이미지 › 이미지 이름\n"),
        # 서비스 in chat is an app, not a swarm service
        ("서비스가 여러 개인데 파일 하나로 같이 관리하려면", "docker-guide-ko.md › Docker-compose\n"),
        # what the notes were written from, and what else to read (자료, 가이드: the guide the notes summarise)
        ("이 정리본은 어떤 자료를 바탕으로 만든 거예요?", "초보자를 위한 도커 안내서"),
        ("입문자가 읽기 좋은 도커 가이드 있어?", "초보자를 위한 도커 안내서"),
        # an English comparative is its word (faster: fast)
        ("why is my second build so much faster than the first one", "docker-guide-ko.md › 도커 빌드 과정\n"),
    ],
)
async def test_chat_around_a_question_and_verb_forms(ask: Ask, question: str, answer: str) -> None:
    assert answer in _one(await ask(f"!explain {question}"))


async def test_a_one_letter_flag_after_another_tools_name_is_that_tools(ask: Ask) -> None:
    # `docker run` lists -h (--hostname), but this -h is df's.
    (reply,) = await ask("!explain df -h 옵션 뜻이 뭐야")
    assert not reply.plain_text().startswith("Docker reference"), reply.plain_text()


async def test_a_story_whose_asking_sentence_agrees_is_answered(ask: Ask) -> None:
    # The story around it weighs its words down, but the sentence that asks points to the same entry alone, and no
    # reference page looks like it: the entry answers, not a list of choices.
    text = _one(await ask("!explain 같은 이미지로 컨테이너를 두 개 띄우려고요. "
                          "한쪽에서 파일을 바꾸면 다른 쪽도 바뀌나요?"))
    assert "docker-guide-ko.md › 컨테이너\n" in text, text


async def test_a_story_is_not_about_a_section_it_names_in_passing(ask: Ask) -> None:
    # It asks what an environment variable is (its last sentence); the container of its first sentence is no
    # what-is question, so the section 컨테이너 is not its answer.
    (reply,) = await ask("!explain Node 앱을 컨테이너로 돌리는데 DB 비밀번호를 코드에 박아두기 싫어요. 실행할 때 값을 "
                         "넘겨줄 수 있나요? 환경변수 개념도 아직 좀 약합니다.")
    assert "📄 Source: docker-guide-ko.md › 컨테이너\n" not in reply.plain_text(), reply.plain_text()


async def test_a_laptop_alone_is_no_docker_question(ask: Ask) -> None:
    assert "a question about `laptop`, not Docker" in _one(await ask("!explain what's a good laptop for programming"))


async def test_a_heading_is_reached_by_its_own_name(ask: Ask) -> None:
    # `명령어` is also what `command` (Dockerfile › command) translates to; typed, it names the section 명령어.
    (reply,) = await ask("!explain 명령어")
    assert reply.title == "명령어" and "`Docker version`" in reply.plain_text(), reply.plain_text()
    assert (await ask("!explain command"))[0].title == "Dockerfile › command"


async def test_a_docker_word_alone_with_filler_reaches_the_reference(ask: Ask) -> None:
    # Nothing in the notes matches at all: the question is still about a Docker word, not unknown words.
    assert _one(await ask("!explain HEALTHCHECK 어떻게 씀")).startswith("Docker reference · Dockerfile HEALTHCHECK")


async def test_aliases_and_slash_entry_point(ask: Ask, core: Core, make_inv: Callable[..., Invocation]) -> None:
    assert "`rm` 컨테이너 제거" in _one(await ask("!e how do I remove a container"))
    assert "`rm` 컨테이너 제거" in _one(await ask("!설명 컨테이너 삭제"))
    from bot.explain.command import explain

    responder = CollectingResponder()
    inv = make_inv("slash", platform="discord", channel="c", scope=None, responder=responder)
    await explain(core, inv, "-v", False)  # the slash option is literal: explains the -v flag
    assert "`-v` 호스트와 컨테이너의 디렉토리를 연결" in responder.sent[0].plain_text()
    await explain(core, inv, "run", True)
    assert "👉 `run`" in responder.sent[1].plain_text()


async def test_reindex_for_managers_only(ask: Ask) -> None:
    text = _one(await ask("!reindex", manager=True))
    assert "Notes index rebuilt: 1 file(s), 13 sections, 46 entries" in text
    text = _one(await ask("!reindex"))
    assert "Only members who can manage the server" in text


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("--restart always 주면 어떻게 되는 거야", "Docker reference · docker run"),  # a flag the notes lack: run's
        ("--memory 512m 같은 거 붙이는 건 왜 그래", "Docker reference · docker run"),
        ("누가 docker commit 쓰지 말라던데 이유가 뭐임", "Docker reference · docker commit"),  # typed with `docker`
        ("docker run --rm 이 뭐야", "-rm · 명령어"),  # the notes hold --rm
        ("docker secret 만드는 법", "Docker reference · docker secret create"),  # a group: the subcommand that fits
        ("image prune에 필터 거는 건 어케 해", "Docker reference · docker image prune"),  # typed without `docker`
        # an option of a notes command, named by a Docker word that is one of its flags (`--entrypoint`, `--user`)
        ("run 할 때 entrypoint 덮어쓰는 옵션 있어?", "Docker reference · docker run"),
        ("docker run에서 root 말고 다른 유저로 실행하는 플래그", "Docker reference · docker run"),
        # an option of a notes command whose entry is one line naming none: the command's page lists them
        ("docker build 할 때 예전 캐시 무시하는 옵션 뭐였지", "Docker reference · docker build"),
        ("docker ps 에서 컨테이너 ID만 출력하는 옵션 있어?", "Docker reference · docker ps"),
        # a one-letter flag the notes lack, asked about: `docker run`'s when no command is typed before it
        ("-m 플래그는 뭐 하는 거야?", "Docker reference · docker run"),
        ("--build-arg 로 넘긴 값 Dockerfile에서 어케 받음", "Docker reference · Dockerfile ARG"),
        # typed in another sentence than the one that asks, which alone the notes take for `-e`
        ("이미지 빌드 중에만 쓰는 변수 넘기는 법? --build-arg 얘기임", "Docker reference · Dockerfile ARG"),
        # one option of the notes typed, however long the story around it
        ("예전 튜토리얼 보니까 docker run 할 때 --link db:mysql 이런 걸 붙이던데 그 플래그 정체가 뭐야?",
         "-link · 명령어"),
        ("my teammate's script has -e in every docker run line, and I have no idea why it is there. what is that "
         "for?", "-e · 명령어"),
        ("I ran it with -P and now I want to look up which host ports it got", "Docker reference · docker port"),
    ],
)
async def test_a_typed_command_or_long_flag_names_its_page(ask: Ask, question: str, title: str) -> None:
    (reply,) = await ask(f"!explain {question}")
    assert reply.title == title, reply.plain_text()


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("copy a log file out of the container", "Docker reference · docker cp"),  # COPY copies into an image
        ("로컬 파일 이미지 안에 복사하는 거 뭐였지", "COPY · Dockerfile › command"),
        ("COPY 로 컨테이너에 파일 넣는 거 맞지?", "COPY · Dockerfile › command"),  # named in capitals: the instruction
        ("컨테이너가 죽기 전에 뭘 출력했는지 보고 싶어", "Docker reference · docker logs"),  # what a container printed
        ("how do I see what my container printed", "Docker reference · docker logs"),
        ("ps 출력 결과 보는 법", "ps · 명령어"),  # what `ps` prints is `ps`
    ],
)
async def test_copying_with_a_container_and_what_it_printed(ask: Ask, question: str, title: str) -> None:
    (reply,) = await ask(f"!explain {question}")
    assert reply.title == title, reply.plain_text()


@pytest.mark.parametrize(
    "question",
    ["내 컴퓨터가 느려요", "비밀번호 까먹었어요", "api가 뭐예요?", "what's a good computer for gaming",
     "machine learning 공부하려면 뭐부터 해야돼요?", "I have a server. How do I make it faster?",
     "도커 설치 방법 알려줘", "--help", "--platform 옵션",
     "회비 어디로 보내면 되나요",  # (보내: send, as images are sent; it names no thing of Docker's)
     "grep -v 가 뭐야", "python -v 옵션 뭐였지", "kubectl run -it 하면 뭐가 됨?"],  # another tool's flags
)
async def test_everyday_words_near_docker_ones_answer_nothing_outright(ask: Ask, question: str) -> None:
    # A computer, a password, a server or a generic flag alone is no Docker question the bot knows the answer of:
    # "not found" or choices, never an answer stated.
    text = _one(await ask(f"!explain {question}"))
    assert "📄 Source:" not in text and not text.startswith("Docker reference"), text


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # forms of `volume create` speak of named volumes, of `network connect` of user-defined networks; the
        # question asks to list one and make the other
        ("named volumes 목록 어케 봄", "Docker reference · docker volume ls"),
        ("user-defined network 만드는 법 알려줘", "Docker reference · docker network create"),
    ],
)
async def test_a_page_of_a_group_gives_way_to_its_sibling_doing_what_is_asked(
    ask: Ask, question: str, title: str
) -> None:
    (reply,) = await ask(f"!explain {question}")
    assert reply.title == title, reply.plain_text()


async def test_a_typed_command_or_flag_prefers_its_own_page(ask: Ask) -> None:
    assert (await ask("!explain docker logs"))[0].title == "Docker reference · docker logs"
    # `--memory` typed with `docker create`: create's page, which lists it too
    assert (await ask("!explain docker create --memory 옵션"))[0].title == "Docker reference · docker create"


async def test_a_what_is_sentence_pointing_back_reads_the_whole_question(ask: Ask) -> None:
    for question, section in (("Dockerfile이라는 걸 봤어요. 이게 뭐 하는 파일이에요?", "Dockerfile"),
                              ("I keep hearing about images. What are they?", "이미지")):
        assert f"📄 Source: docker-guide-ko.md › {section}\n" in _one(await ask(f"!explain {question}"))
