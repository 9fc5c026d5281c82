"""The console on a terminal: a prompt after each answer, line editing with history, Ctrl-D to leave."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.config import REPO_ROOT


def read_until(fd: int, wanted: str, seen: list[str], limit: float = 20.0) -> str:
    deadline = time.monotonic() + limit
    while wanted not in "".join(seen):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"never saw {wanted!r} in {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            seen.append(os.read(fd, 4096).decode("utf-8", "replace"))
    return "".join(seen)


def test_interactive_prompt_with_history(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    env.update({"PYTHONPATH": str(REPO_ROOT), "STUDYBOT_DB_PATH": str(tmp_path / "s.sqlite3"), "TERM": "xterm"})
    main, child = pty.openpty()
    bot = subprocess.Popen([sys.executable, "-m", "bot", "console", "--user", "mina"],
                           stdin=child, stdout=child, stderr=child, env=env, cwd=tmp_path, close_fds=True)
    os.close(child)
    seen: list[str] = []
    try:
        read_until(main, "mina@console> ", seen)
        os.write(main, b"!explain -d\r")
        first = read_until(main, "detached mode", seen)
        # The next prompt comes after the answer, not before it.
        read_until(main, "mina@console> ", [first.split("detached mode", 1)[1]])
        seen.clear()
        os.write(main, b"\x1b[A\r")  # Up: the previous line again
        again = read_until(main, "detached mode", seen)
        assert "!explain -d" in again
        read_until(main, "mina@console> ", [again.split("detached mode", 1)[1]])
        os.write(main, b"\x04")  # Ctrl-D
        assert bot.wait(timeout=15) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
        os.close(main)
