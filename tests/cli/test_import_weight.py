"""What a process loads, checked in a fresh interpreter: ``say "!explain …"`` stays light (no Docker SDK, no
quiz engine), and a bot that runs ``!run`` on remote runners never loads the Docker SDK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import REPO_ROOT

HEAVY = ("docker", "bot.quiz.service", "fsrs")


def python(code: str, tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    environment.update({"PYTHONPATH": str(REPO_ROOT), "STUDYBOT_DB_PATH": str(tmp_path / "state.sqlite3"),
                        **(env or {})})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=90,
                          env=environment, cwd=tmp_path)


def loaded(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The modules the child printed on its last line (``loaded: a b``)."""
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("loaded:"), result.stdout
    return last.removeprefix("loaded:").split()


def test_say_explain_loads_neither_the_docker_sdk_nor_the_quiz_engine(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "code = main(['say', '!explain 이미지'])\n"
        "assert code == 0, code\n"
        f"print('loaded:', *[m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    result = python(code, tmp_path)  # the sandbox left at its default (on): `!run` installs, and waits
    assert loaded(result) == []
    assert "컨테이너 실행에 필요한 파일과 설정값" in result.stdout  # it did answer, through the real CLI path


def test_a_bot_on_remote_runners_never_loads_the_docker_sdk(tmp_path: Path) -> None:
    code = (
        "import asyncio, importlib, sys\n"
        "from bot.config import load_settings\n"
        "from bot.core import Core\n"
        "from bot.replies import Tone\n"
        "from tests.invocations import invocation\n"
        "import bot.adapters.discord.client, bot.adapters.slack.app, bot.adapters.console\n"
        "for cog in ('cogs.meta', 'cogs.explain', 'cogs.quiz', 'cogs.run', 'cogs.docker'):\n"
        "    importlib.import_module(cog)\n"
        "async def main():\n"
        "    core = await Core.start(load_settings(_env_file=None, sandbox_url='http://127.0.0.1:9'))\n"
        "    try:\n"
        "        assert {'help', 'explain', 'run', 'docker', 'quiz'} <= set(core.commands), sorted(core.commands)\n"
        "        for message in ('!run alpine echo hi', '!docker ps'):\n"
        "            inv = invocation(manager=True)\n"
        "            await core.handle_message(inv, message)\n"
        "            [reply] = inv.responder.sent\n"
        "            assert reply.tone is Tone.ERROR, reply\n"
        "            print(reply.plain_text())\n"
        "    finally:\n"
        "        await core.close()\n"
        "asyncio.run(main())\n"
        "print('loaded:', *[m for m in ('docker',) if m in sys.modules])\n"
    )
    result = python(code, tmp_path)  # prefetch left at its default too, as a chat bot runs
    assert loaded(result) == []
    assert "The sandbox runner is not reachable right now, so I cannot run" in result.stdout, result.stdout
    assert "The sandbox runner is not reachable right now, so your lab cannot answer" in result.stdout
