"""Processes on one state file (issue 10, items 15, 18, 21): start-up failures exit, a one-shot ``say``
leaves schedules to the running bot, a claimed slot is posted after a crash, the console's memory stays flat."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import threading
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


def build_of(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'notes.build'").fetchone()[0]


def fts_intact(db: Path) -> bool:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO notes_fts(notes_fts) VALUES('integrity-check')")  # raises on damage
        docs = conn.execute("SELECT count(*) FROM notes_docs").fetchone()[0]
        return docs > 0 and conn.execute("SELECT count(*) FROM notes_fts").fetchone()[0] == docs


def test_a_write_lock_held_by_another_process_is_waited_out_not_taken_for_damage(tmp_path: Path) -> None:
    env, db = prepared(tmp_path)
    built = build_of(db)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the 5 s busy timeout
    releaser = threading.Timer(8.0, lambda: (holder.execute("COMMIT"), holder.close()))
    releaser.start()
    try:
        answered = run_bot("say", "!explain 이미지", env=env, cwd=tmp_path)
    finally:
        releaser.join()
    assert answered.returncode == 0, answered.stderr
    assert "컨테이너 실행에 필요한 파일과 설정값" in answered.stdout
    assert "damaged" not in answered.stderr and "Traceback" not in answered.stderr, answered.stderr
    assert build_of(db) == built  # a lock is not damage: nothing was rebuilt
    assert fts_intact(db)


def test_a_rebuild_waits_for_another_process_write_to_finish(tmp_path: Path) -> None:
    env, db = prepared(tmp_path)
    built = build_of(db)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(8.0, lambda: (holder.execute("COMMIT"), holder.close()))
    releaser.start()
    try:
        rebuilt = run_bot("index", env=env, cwd=tmp_path)
    finally:
        releaser.join()
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "damaged" not in rebuilt.stderr and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert build_of(db) != built
    assert fts_intact(db)


def test_processes_starting_together_on_a_new_state_file_all_answer(tmp_path: Path) -> None:
    env = quiz_env(tmp_path, "t-mc")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    environment.update({"PYTHONPATH": str(REPO_ROOT), "STUDYBOT_SANDBOX_ENABLED": "false", **env})
    starts = [subprocess.Popen([sys.executable, "-m", "bot", "say", "!explain 이미지"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment, cwd=tmp_path) for _ in range(16)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in starts]
    for code, out, err in results:
        assert code == 0 and "Traceback" not in err, err
        assert "컨테이너 실행에 필요한 파일과 설정값" in out
    assert fts_intact(Path(env["STUDYBOT_DB_PATH"]))
