"""Processes on one state file (issue 10, items 15, 18, 21): start-up failures exit, a one-shot ``say``
leaves schedules to the running bot, a claimed slot is posted after a crash, the console's memory stays flat."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.adapters.console import Console
from bot.config import REPO_ROOT, Settings
from bot.core import Core
from tests.cli.test_commands import quiz_env


def run_bot(*args: str, env: dict[str, str], cwd: Path, stdin: str = "", timeout: float = 40
            ) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    environment.update({"PYTHONPATH": str(REPO_ROOT), "STUDYBOT_SANDBOX_PREFETCH": "false",
                        "STUDYBOT_SANDBOX_ENABLED": "false", **env})
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=cwd)


def prepared(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = quiz_env(tmp_path, "t-mc")
    first = run_bot("say", "!help", env=env, cwd=tmp_path)  # creates and migrates the state file
    assert first.returncode == 0, first.stderr
    return env, Path(env["STUDYBOT_DB_PATH"])


def assert_one_clear_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Cannot start:") and expected in lines[0], result.stderr


def test_a_start_up_failure_in_a_feature_exits_with_one_line(tmp_path: Path) -> None:
    env, db = prepared(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE quiz_rounds")  # the quiz cannot start on this state file
    result = run_bot("console", env=env, cwd=tmp_path, stdin="!help\n", timeout=30)
    assert_one_clear_line(result, "quiz_rounds")
    assert "Docker Study Bot" not in result.stdout  # it did not go on without the quiz


def test_say_takes_over_no_due_schedule(tmp_path: Path) -> None:
    env, db = prepared(tmp_path)
    env["STUDYBOT_QUIZ_TICK_SECONDS"] = "1"
    added = run_bot("say", "!quiz schedule #other daily 09:00 UTC", env=env, cwd=tmp_path)
    assert "Schedule #1" in added.stdout, added.stdout + added.stderr
    due = time.time() - 30  # the slot came 30 s ago: the running bot should post it, not a one-shot `say`
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE quiz_schedules SET next_due = ?", (due,))
    result = run_bot("say", "!quiz 1", env=env, cwd=tmp_path)  # lives for one 5 s question
    assert result.returncode == 0, result.stderr
    assert "Question 1/1" in result.stdout
    assert "Scheduled quiz" not in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT next_due FROM quiz_schedules").fetchone()[0] == due
        assert conn.execute("SELECT COUNT(*) FROM quiz_schedule_slots").fetchone()[0] == 0


async def test_the_console_keeps_only_recent_replies(make_settings: Callable[..., Settings]) -> None:
    core = await Core.start(make_settings(sandbox_enabled=False))
    try:
        out = io.StringIO()
        console = Console(core, out=out)
        for i in range(300):
            await console.handle_line("!help" if i % 2 else "!leaderboard")
            out.seek(0)
            out.truncate()
        assert len(console.responder.sent) <= 64  # not one reply kept per message
    finally:
        await core.close()
