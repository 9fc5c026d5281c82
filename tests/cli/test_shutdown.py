"""SIGTERM (what `docker stop` sends) stops the bot cleanly: running sandboxes are removed, the database is
closed, and the exit code is 0."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import REPO_ROOT
from bot.sandbox.policy import LABEL

pytestmark = pytest.mark.docker


def containers(owner: str) -> list[str]:
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={LABEL}={owner}"], capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_sigterm_removes_running_sandboxes_and_closes_the_database(tmp_path: Path) -> None:
    owner = f"studybot-test-{secrets.token_hex(3)}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    env.update({
        "PYTHONPATH": str(REPO_ROOT), "STUDYBOT_DB_PATH": str(tmp_path / "state.sqlite3"),
        "STUDYBOT_SANDBOX_OWNER": owner, "STUDYBOT_SANDBOX_TIMEOUT": "60", "STUDYBOT_SANDBOX_PREFETCH": "false",
    })
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    try:
        assert bot.stdin is not None
        bot.stdin.write("!run alpine sleep 50\n")
        bot.stdin.flush()  # stdin stays open: the bot is still "in the chat" when the signal comes
        deadline = time.monotonic() + 30
        while not containers(owner):
            assert time.monotonic() < deadline and bot.poll() is None, "the run never started"
            time.sleep(0.2)
        started = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
        assert time.monotonic() - started < 15
    finally:
        if bot.poll() is None:
            bot.kill()
    _, err = bot.communicate()
    assert "Traceback" not in err
    assert containers(owner) == []
    wal = tmp_path / "state.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # closed cleanly: the WAL was checkpointed
