"""What ``!docker`` answers: the CLI's output in a code block, the exit code, notes and refusals in words (en
and ko), long output trimmed with the whole attached, a build's output shown while it comes, status, reset,
failures of the lab side, and one command at a time per member. The lab is a :class:`RecordingLab`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.config import Settings
from bot.core import Core
from bot.lab import command as lab_command
from bot.replies import Code, Reply, Text, Tone
from bot.sandbox.errors import EngineUnavailable, RunnerLost, RunnerUnavailable, SandboxRefusal
from bot.sandbox.lab.port import LabAnswer, LabContainer, LabImage, LabQuotas, LabState
from bot.storage import Database
from tests.invocations import CollectingResponder, invocation
from tests.lab.conftest import LabBot

PS = (
    "CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS         PORTS     NAMES\n"
    "1a2b3c4d5e6f   alpine    \"sleep 300\"   2 seconds ago   Up 1 second              web\n"
)


def code_of(reply: Reply) -> str:
    [code] = [block.text for block in reply.blocks if isinstance(block, Code)]
    return code


def texts_of(reply: Reply) -> str:
    return "\n".join(block.text for block in reply.blocks if isinstance(block, Text))


async def test_output_is_shown_in_a_code_block_under_the_command(lab_bot: LabBot) -> None:
    lab_bot.lab.answers.append(LabAnswer(0, PS))
    [reply] = await lab_bot.say("ps")
    assert reply.title == "$ docker ps"
    assert reply.tone is Tone.SUCCESS
    assert code_of(reply) == PS.rstrip("\n")
    assert "exit code" not in reply.plain_text() and not reply.attachments


async def test_a_failing_command_shows_its_error_and_exit_code(lab_bot: LabBot) -> None:
    lab_bot.lab.answers.append(LabAnswer(1, "Error response from daemon: No such container: nope\n"))
    reply = await lab_bot.reply("logs nope")
    assert reply.tone is Tone.ERROR
    assert code_of(reply) == "Error response from daemon: No such container: nope"
    assert "exit code 1" in texts_of(reply)
    ko = LabAnswer(125, "docker: invalid reference format.\n")
    lab_bot.lab.answers.append(ko)
    assert "종료 코드 125" in texts_of(await lab_bot.reply("run UPPER", lang="ko"))


async def test_no_output_says_done(lab_bot: LabBot) -> None:
    reply = await lab_bot.reply("run --rm alpine true")
    assert reply.tone is Tone.SUCCESS and texts_of(reply) == "Done (no output)."


@pytest.mark.parametrize(
    ("note", "en", "ko"),
    [
        ("no_tty", "Chat has no terminal", "채팅에는 터미널이 없습니다"),
        ("ports_not_published", "nothing is published", "실제로 공개되지는 않습니다"),
        ("still_running", "It is still running", "아직 실행 중이라"),
        ("step_timeout", "A build step ran longer than the lab allows", "빌드 단계가 실습실 허용 시간을 넘어"),
    ],
)
async def test_notes_are_worded_below_the_output(lab_bot: LabBot, note: str, en: str, ko: str) -> None:
    lab_bot.lab.answers += [LabAnswer(0, "ok\n", notes=(note,)), LabAnswer(0, "ok\n", notes=(note,))]
    reply = await lab_bot.reply("run -it alpine sh")
    assert en in texts_of(reply) and code_of(reply) == "ok"
    assert reply.tone is (Tone.WARNING if note == "still_running" else Tone.SUCCESS)
    assert ko in texts_of(await lab_bot.reply("run -it alpine sh", lang="ko"))


@pytest.mark.parametrize(
    ("refusal", "detail", "en", "ko"),
    [
        ("flag", "--privileged", "`--privileged` is not allowed in the lab", "`--privileged` 을(를) 쓸 수 없습니다"),
        ("quota", "running:3", "at most 3 running containers", "실행 중인 컨테이너 최대 3개"),
        ("quota", "images:5", "at most 5 images", "이미지 최대 5개"),
        ("quota", "image_mib:300", "pass 300 MiB together", "300 MiB 를 넘게"),
        ("quota", "labs:20", "already has 20 labs in use", "실습실 20개가"),
        ("image_not_allowed", "ubuntu", "`ubuntu` is not an image the lab may use", "`ubuntu` 은(는) 실습실에서"),
        ("build_from", "debian", "`FROM debian`: a build may start only from", "`FROM debian`: 빌드는"),
        ("build_add_url", "", "`ADD` from a URL is not allowed", "URL 에서 `ADD` 할 수 없습니다"),
        ("build_too_big", f"{310 * 2**20}:{300 * 2**20}", "grew to 310.0 MiB, more than the 300 MiB the lab allows",
         "310.0 MiB 로 실습실 허용 크기 300 MiB 를 넘어"),
        ("unsupported", "--dns", "`--dns` is not part of the lab", "`--dns` 은(는) 실습실에 없습니다"),
        ("unsupported", "build without -t", "a build needs a name: add `-t <name>`", "빌드에 이름이 필요합니다"),
        ("lab_disabled", "", "The Docker lab is turned off", "Docker 실습실이 꺼져 있습니다"),
        ("build_steps", "50", "at most 50 steps", "최대 50단계"),
        ("build_unsupported", "HEALTHCHECK", "does not support `HEALTHCHECK`", "`HEALTHCHECK` 을(를) 지원하지"),
        ("build_label", "studybot.lab", "The label `studybot.lab` is not allowed", "레이블 `studybot.lab`"),
        ("build_needs_gvisor", "", "Builds need gVisor", "빌드에는 Docker 엔진의 gVisor"),
        ("something_new", "", "The lab does not allow this (something_new)",
         "허용하지 않는 명령입니다 (something_new)"),
    ],
)
async def test_refusals_are_worded_in_both_languages(
    lab_bot: LabBot, refusal: str, detail: str, en: str, ko: str
) -> None:
    answer = LabAnswer(125, "", refusal=refusal, detail=detail)
    lab_bot.lab.answers += [answer, answer]
    reply = await lab_bot.reply("run --privileged alpine")
    assert reply.tone is Tone.ERROR and reply.title == "$ docker run --privileged alpine"
    assert en in reply.plain_text()
    assert ko in (await lab_bot.reply("run --privileged alpine", lang="ko")).plain_text()


async def test_what_a_container_prints_cannot_ping_hide_or_break_the_block(lab_bot: LabBot) -> None:
    lab_bot.lab.answers.append(LabAnswer(0, "\x1b[31m@everyone\x1b[0m <@123>\n```\nclosed?\u202e\x07\n"))
    reply = await lab_bot.reply("logs web")
    shown = code_of(reply)
    assert "@everyone" not in shown and "<@123>" not in shown and "everyone" in shown
    assert "\x1b" not in shown and "<U+202E>" in shown and "␇" in shown
    rendered = reply.plain_text()
    assert rendered.count("```") == 2  # the renderer fences the block; the printed fence cannot close it


async def test_long_logs_show_their_end_and_inspect_its_start_with_the_whole_attached(lab_bot: LabBot) -> None:
    lines = "".join(f"line {n}\n" for n in range(1, 201))
    lab_bot.lab.answers += [LabAnswer(0, lines), LabAnswer(0, lines)]
    logs = await lab_bot.reply("logs web")
    assert code_of(logs).endswith("line 200") and "line 1\n" not in code_of(logs)
    assert "Showing the last 30 of 200 lines" in texts_of(logs)
    inspect = await lab_bot.reply("inspect web")
    assert code_of(inspect).startswith("line 1\n") and "line 200" not in code_of(inspect)
    assert "Showing the first 30 of 200 lines" in texts_of(inspect)
    [attachment] = inspect.attachments
    assert attachment.filename == "output.txt" and attachment.data.decode() == lines


async def test_cut_output_says_so(lab_bot: LabBot) -> None:
    lab_bot.lab.answers.append(LabAnswer(0, "x\n", truncated=True))
    assert "longer than 64 KiB; the rest was cut" in texts_of(await lab_bot.reply("logs web"))


async def test_a_build_shows_its_output_while_it_comes_then_answers(lab_bot: LabBot) -> None:
    lab_bot.lab.outputs = ("Step 1/2 : FROM alpine\n", "Step 1/2 : FROM alpine\n ---> 1a2b3c4d5e6f\n")
    done = "Successfully built 0123456789ab\nSuccessfully tagged hello:latest\n"
    lab_bot.lab.answers.append(LabAnswer(0, done))
    progress, answer = await lab_bot.say("build -t hello .\n```\nFROM alpine\nCMD echo hi\n```")
    assert progress.plain_text() == "🔨 The build finished; its answer is below."
    assert code_of(answer).endswith("Successfully tagged hello:latest") and answer.tone is Tone.SUCCESS


async def test_build_progress_shows_the_last_lines_so_far(lab_bot: LabBot) -> None:
    steps = [f"Step {n}/40 : RUN true\n" for n in range(1, 41)]
    lab_bot.lab.outputs = tuple("".join(steps[:n]) for n in range(1, 41))  # each time, the output so far
    lab_bot.lab.gate = asyncio.Event()
    inv = invocation()
    task = asyncio.create_task(lab_bot.core.invoke(inv, "docker", "build .\n```\nFROM alpine\n```"))
    responder = inv.responder
    assert isinstance(responder, CollectingResponder)
    for _ in range(100):
        if responder.sent and "Step 40/40" in responder.sent[0].plain_text():
            break
        await asyncio.sleep(0.02)
    shown = responder.sent[0]
    assert "Building" in shown.plain_text() and shown.title == "$ docker build ."
    assert code_of(shown).splitlines() == [f"Step {n}/40 : RUN true" for n in range(26, 41)]
    lab_bot.lab.gate.set()
    await task
    assert len(responder.sent) == 2 and "finished" in responder.sent[0].plain_text()


async def test_a_refusals_own_output_is_shown_below_its_words(lab_bot: LabBot) -> None:
    denied = "Unable to find image 'ubuntu:latest' locally\ndocker: Error response from daemon: pull access denied\n"
    lab_bot.lab.answers.append(LabAnswer(125, denied, refusal="image_not_allowed", detail="ubuntu"))
    reply = await lab_bot.reply("run ubuntu")
    assert reply.tone is Tone.ERROR
    assert texts_of(reply).startswith("`ubuntu` is not an image the lab may use") and "exit code" not in texts_of(reply)
    assert code_of(reply) == denied.rstrip("\n")


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (EngineUnavailable(), "The Docker engine is not reachable right now"),
        (RunnerUnavailable("x"), "The sandbox runner is not reachable right now"),
        (RunnerLost("x"), "stopped answering during the command; check with `!docker ps -a`"),
        (SandboxRefusal(), "The lab could not do that (`refused`)"),
    ],
)
async def test_the_lab_side_failing_is_one_clear_sentence(
    lab_bot: LabBot, failure: Exception, expected: str
) -> None:
    lab_bot.lab.failure = failure
    for args in ("ps", "status", "reset"):
        reply = await lab_bot.reply(args)
        assert reply.tone is Tone.ERROR and expected in reply.plain_text(), args


async def test_one_command_at_a_time_per_member(lab_bot: LabBot) -> None:
    lab_bot.lab.gate = asyncio.Event()
    first = asyncio.create_task(lab_bot.say("run alpine sleep 5"))
    await asyncio.sleep(0.05)
    busy = await lab_bot.reply("ps")
    assert busy.tone is Tone.ERROR and "previous `!docker` command is still running" in busy.plain_text()
    other = await lab_bot.reply("status", user="bob")  # another member is not held up
    assert "Your lab is empty" in other.plain_text()
    lab_bot.lab.gate.set()
    await first
    assert (await lab_bot.reply("ps")).tone is Tone.SUCCESS
    assert [r.argv for r in lab_bot.lab.requests] == [("run", "alpine", "sleep", "5"), ("ps",)]  # the refused one: not


async def test_status_shows_what_the_lab_holds_against_its_quotas(lab_bot: LabBot) -> None:
    assert "Your lab is empty" in (await lab_bot.reply("status")).plain_text()
    lab_bot.lab.state_answer = LabState(
        containers=(
            LabContainer("web", "a" * 64, "alpine", ("sleep", "300"), "running", 0, 0.0),
            LabContainer("old", "b" * 64, "hello:latest", ("echo", "hi"), "exited", 0, 0.0),
        ),
        images=(LabImage("alpine:latest", "c" * 64, 10, 0.0), LabImage("hello:latest", "d" * 64, 3 * 2**20, 0.0,
                                                                        built=True)),
        volumes=("data",),
        expires_at=1000.0 + 29.6 * 60,
        quotas=LabQuotas(running=3, containers=10, images=5, image_bytes=300 * 2**20, volumes=3, networks=2,
                         idle_seconds=1800),
        runtime="runsc",
    )
    from bot.lab.replies import state_reply

    text = state_reply("en", "!", lab_bot.lab.state_answer, now=1000.0).plain_text()
    for expected in ("Containers: 2 of 10 (1 running of 3)", "Images: 2 of 5", "Built images: 3.0 of 300 MiB",
                     "Volumes: 1 of 3", "Networks: 0 of 2", "Runtime: `runsc`", "removed in about 30 min",
                     "containers: web (running), old (exited)", "images:     alpine:latest, hello:latest"):
        assert expected in text, expected
    ko = (await lab_bot.reply("status", lang="ko")).plain_text()
    assert "컨테이너: 2 / 10 (실행 중 1 / 3)" in ko
    assert lab_bot.lab.asked[-1][0] == "state"


async def test_reset_says_how_much_it_removed(lab_bot: LabBot) -> None:
    lab_bot.lab.removed = 4
    reply = await lab_bot.reply("reset")
    assert reply.tone is Tone.SUCCESS and "4 objects removed" in reply.plain_text()
    assert [kind for kind, _ in lab_bot.lab.asked] == ["reset"]
    lab_bot.lab.removed = 1
    assert "1 object removed" in (await lab_bot.reply("reset")).plain_text()


async def test_help_lists_the_commands_in_the_members_language(lab_bot: LabBot) -> None:
    for args in ("", "help", "도움말"):
        text = (await lab_bot.reply(args)).plain_text()
        assert "Docker lab commands" in text and "`logs` — a container's output" in text, args
        assert "`status`: what your lab holds" in text
    assert "`logs` — 컨테이너의 출력" in (await lab_bot.reply("help", lang="ko")).plain_text()
    assert lab_bot.lab.requests == []


async def test_help_for_one_command_is_the_clis_usage(lab_bot: LabBot) -> None:
    run = await lab_bot.reply("help run")
    assert run.title == "docker run"
    assert code_of(run).startswith("Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]")
    assert "-d, --detach" in code_of(run)
    listing = await lab_bot.reply("help container ls")  # the CLI's other names fold as it folds them
    assert listing.title == "docker ps" and code_of(listing).startswith("Usage:  docker ps [OPTIONS]")
    unknown = await lab_bot.reply("help frobnicate")
    assert unknown.tone is Tone.ERROR and code_of(unknown) == "unknown help topic: frobnicate"
    assert lab_bot.lab.requests == []


async def test_the_lab_off_says_so(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(sandbox_enabled=False)
    core = Core(settings=settings, db=await Database.open(settings.db_path), notes=None)  # type: ignore[arg-type]
    try:
        await lab_command.install(core)
        inv = invocation()
        await core.invoke(inv, "docker", "ps")
        assert isinstance(inv.responder, CollectingResponder)
        [reply] = inv.responder.sent
        assert reply.tone is Tone.ERROR and "`!docker` is turned off on this bot" in reply.plain_text()
    finally:
        await core.close()
