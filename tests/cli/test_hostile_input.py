"""Hostile chat input through the console (issue 10, items 19–21): the corpus replayed by a real
``python -m bot console`` process, and the single cases members hit, each answered normally."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.adapters.console import Console
from bot.config import REPO_ROOT, Settings
from bot.core import Core
from tests.cli.hostile_corpus import corpus
from tests.cli.test_commands import bot, quiz_env

# What would ping someone if posted: @everyone/@here/@channel, <@id>, <@&role>, <!here>, <!subteam^…>
LIVE_MENTION = re.compile(r"@(everyone|here|channel)\b|<@[!&]?[0-9A-Z]|<!(everyone|here|channel|subteam)")
INTERNAL_ERROR = "Something went wrong on my side"


def live_mentions(text: str) -> list[str]:
    return [text[max(0, m.start() - 30): m.end() + 10] for m in LIVE_MENTION.finditer(text)]


def test_the_corpus_replayed_through_a_console_process(tmp_path: Path) -> None:
    lines = corpus()
    assert len(lines) >= 500
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "mallory"], input=b"\n".join(lines) + b"\n",
        capture_output=True, timeout=180, cwd=tmp_path,
        env={**quiz_env(tmp_path, "t-mc", "t-free"), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
             "STUDYBOT_SANDBOX_PREFETCH": "false", "STUDYBOT_SANDBOX_ENABLED": "false", "LANG": "C.UTF-8"},
    )
    seconds = time.monotonic() - started
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err[-3000:]
    assert "Traceback" not in err and " ERROR " not in err, err[-3000:]
    assert INTERNAL_ERROR not in out
    assert live_mentions(out) == []
    assert seconds < 60, f"{len(lines)} messages took {seconds:.1f} s"
    # the last lines were answered too: the process did not stop early
    assert "Unknown command `!-v`" in out and out.rstrip().endswith("e.g. !help)")


@pytest.fixture
async def console(make_settings: Callable[..., Settings], tmp_path: Path) -> AsyncIterator[Console]:
    from tests.quiz.conftest import bank_with

    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    (quizzes / "bank.yaml").write_text(bank_with("t-mc", "t-free"), encoding="utf-8")
    core = await Core.start(make_settings(quiz_dir=quizzes, quiz_generated=False, sandbox_enabled=False))
    yield Console(core, user="mallory", out=io.StringIO())
    await core.close()


async def replay(console: Console, line: str) -> str:
    out = console.responder.out
    assert isinstance(out, io.StringIO)
    before = len(out.getvalue())
    await console.handle_line(line)
    return out.getvalue()[before:]


async def test_every_corpus_message_gets_a_reply_without_a_live_mention(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    for raw in corpus():
        line = raw.decode("utf-8", "surrogateescape")  # what the console's stdin gives for bytes not UTF-8
        shown = await replay(console, line)
        assert shown.strip(), f"no reply to {raw!r}"
        assert INTERNAL_ERROR not in shown, (raw, shown)
        assert live_mentions(shown) == [], (raw, shown)
    assert [r.getMessage() for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")] == []
    assert console.core.quiz is not None
    await console.core.quiz.close()


@pytest.mark.parametrize("answer", ["²", "①", "⁵", "٣", "99999999999999999999"])
async def test_odd_digits_while_a_choice_question_is_open_are_just_not_a_choice(console: Console, answer: str) -> None:
    await replay(console, "!quiz 1 cli")
    await console._await_prompt(limit=5)  # the round posts its question
    assert console.responder.choices
    shown = await replay(console, answer)
    assert "not a command" in shown  # not a choice number: an ordinary message
    picked = await replay(console, "2")
    assert "is locked in" in picked
    await replay(console, "!quiz stop")


@pytest.mark.parametrize("message", [
    "!quiz ²", "!quiz ③ cli", "!quiz ⁵", "!quiz 99999999999999999999",
    "!quiz schedule #study daily 09:00 UTC ²", "!quiz schedule #study daily 09:00 UTC mon-fri ①",
    "!quiz schedule remove ²", "!quiz schedule remove 99999999999999999999", "!quiz schedule #study ²:00 UTC",
    "!quiz schedule #study ٠٩:٠٠ UTC",
])
async def test_odd_numbers_in_commands_get_a_usage_answer(console: Console, message: str) -> None:
    shown = await replay(console, message)
    assert shown.startswith("❌ ") and INTERNAL_ERROR not in shown, shown


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "posix/UTC"])
async def test_schedules_refuse_names_that_are_not_time_zones(console: Console, zone: str) -> None:
    shown = await replay(console, f"!quiz schedule #study daily 09:00 {zone}")
    assert "Unknown time zone" in shown
    assert "Unknown time zone" not in await replay(console, "!quiz schedule #study daily 09:00 Asia/Seoul")


@pytest.mark.parametrize("space", ["\r", "\t", "\xa0", "\u200b", "\u3000", "\ufeff"])
async def test_odd_whitespace_after_the_command_name(console: Console, space: str) -> None:
    shown = await replay(console, f"!help{space}quiz")
    assert "Unknown command" not in shown
    assert "quiz [n]" in shown, shown
    assert "Unknown command" not in await replay(console, f"!help{space}")


@pytest.mark.parametrize("bad", [b"!stats \xff\xfe", b"\xff", b"!quiz \xc3", b"!help \xed\xa0\x80"])
async def test_bytes_that_are_not_utf8_get_a_normal_reply(console: Console, bad: bytes) -> None:
    shown = await replay(console, bad.decode("utf-8", "surrogateescape"))
    assert shown.strip() and INTERNAL_ERROR not in shown
    shown.encode("utf-8")  # printable


async def test_a_typed_answer_that_is_not_utf8_is_answered_on_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "mina"],
        input=b"!quiz 1\ncontain\xffer\n!quiz stop\n!stats \xff\n", capture_output=True, timeout=60, cwd=tmp_path,
        env={**quiz_env(tmp_path, "t-free"), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
             "STUDYBOT_SANDBOX_PREFETCH": "false", "STUDYBOT_SANDBOX_ENABLED": "false"},
    )
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()[-2000:]
    assert "mina, your answer is in" in out
    assert "Quiz stopped" in out
    assert "I don't know a member called `\ufffd`" in out


def test_say_with_a_message_starting_with_a_dash_answers_it(tmp_path: Path) -> None:
    result = bot("say", "-v", env={"STUDYBOT_DB_PATH": str(tmp_path / "s.sqlite3")}, cwd=tmp_path)
    assert result.returncode == 0 and "error:" not in result.stderr, result.stderr
    assert "not a command" in result.stdout


async def test_schedule_errors_and_stored_labels_never_echo_a_live_mention(console: Console) -> None:
    echoes = [
        await replay(console, "!quiz @everyone"),
        await replay(console, "!quiz schedule #study daily @here UTC"),
        await replay(console, "!quiz schedule #study daily 09:00 @everyone"),
        await replay(console, "!quiz schedule #study daily 09:00 UTC <!channel>"),
        await replay(console, "!quiz schedule #study daily 09:00 UTC mon-fri 3 @here"),
        await replay(console, "!quiz schedule <#C1|@everyone> daily 09:00 UTC"),
    ]
    listed = await replay(console, "!quiz schedule list")
    assert "#@\u200beveryone" in listed  # the stored label, shown neutralised
    assert [live_mentions(e) for e in [*echoes, listed]] == [[]] * (len(echoes) + 1)
