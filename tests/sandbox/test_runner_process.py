"""``python -m bot runner`` and ``python -m bot health`` as real processes: start-up rules, SIGTERM,
and the exit codes a container HEALTHCHECK relies on."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import docker
import pytest

from bot.config import REPO_ROOT
from tests.sandbox.sbx import BASE, TOKEN, labelled, wait_until

pytestmark = pytest.mark.docker


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for key, value in BASE.items():
        env[f"STUDYBOT_{key.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    env.update(extra)
    return env


async def _bot(*args: str, env: dict[str, str]) -> tuple[int, str, str, float]:
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode(), time.monotonic() - started


@pytest.fixture
async def runner_process(docker_client: object) -> AsyncIterator[tuple[asyncio.subprocess.Process, str, list[str]]]:
    """A ``python -m bot runner --port 0`` process, its URL, and the log lines read so far."""
    env = _env(STUDYBOT_SANDBOX_TOKEN=TOKEN, STUDYBOT_SANDBOX_SHUTDOWN_GRACE="1", STUDYBOT_SANDBOX_TIMEOUT="60")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "runner", "--port", "0", env=env, stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    lines: list[str] = []
    url = ""
    while not url:
        line = (await asyncio.wait_for(proc.stderr.readline(), timeout=15)).decode()
        assert line, "the runner exited before listening:\n" + "".join(lines)
        lines.append(line)
        if match := re.search(r"listening on (http://127\.0\.0\.1:\d+)", line):
            url = match.group(1)
    try:
        yield proc, url, lines
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_sigterm_removes_running_sandboxes_and_exits_0(
    runner_process: tuple[asyncio.subprocess.Process, str, list[str]], docker_client: docker.DockerClient
) -> None:
    proc, url, lines = runner_process
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {TOKEN}"}) as session:
        async def run() -> tuple[int, dict[str, object]]:
            body = {"image": "alpine", "argv": ["sleep", "100"], "member": "m"}
            async with session.post(url + "/v1/runs", json=body) as response:
                return response.status, await response.json()

        request = asyncio.create_task(run())
        assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=10)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        status, answer = await asyncio.wait_for(request, timeout=20)
        assert await asyncio.wait_for(proc.wait(), timeout=20) == 0
    assert time.monotonic() - started < 10  # the 1 s grace, then the kill and removal
    assert labelled(docker_client) == []
    assert status == 503 and answer["error"]["code"] == "shutting_down"  # type: ignore[index]
    assert proc.stderr is not None
    log = "".join(lines) + (await proc.stderr.read()).decode()
    assert "sandbox runner stopped" in log
    assert re.search(r"run member=m image=alpine .*outcome=shutting_down duration=", log)
    assert TOKEN not in log


async def test_runner_refuses_a_public_address_without_a_token() -> None:
    env = _env()
    env.pop("STUDYBOT_SANDBOX_TOKEN", None)
    code, _, err, _ = await _bot("runner", "--host", "0.0.0.0", "--port", "0", env=env)
    assert code == 2
    assert "Refusing to listen on 0.0.0.0 without a shared secret" in err
    assert "STUDYBOT_SANDBOX_TOKEN" in err


async def test_health_without_url_checks_configuration_and_folders(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "studybot").mkdir(parents=True)
    code, out, _, seconds = await _bot("health", env=_env(XDG_STATE_HOME=str(state)))
    assert code == 0, out
    assert out.startswith("healthy:")
    assert seconds < 1.0  # about 0.45 s here, most of it Python and pydantic start-up

    code, _, err, _ = await _bot("health", env=_env(XDG_STATE_HOME=str(tmp_path / "missing")))
    assert code == 1 and "state folder" in err and "does not exist" in err

    code, _, err, _ = await _bot(
        "health", env=_env(XDG_STATE_HOME=str(state), STUDYBOT_NOTES_DIR=str(tmp_path / "no-notes"))
    )
    assert code == 1 and "notes folder" in err

    code, _, err, _ = await _bot("health", env=_env(XDG_STATE_HOME=str(state), STUDYBOT_SANDBOX_TIMEOUT="-1"))
    assert code == 1 and "STUDYBOT_SANDBOX_TIMEOUT" in err  # a bad configuration is unhealthy, never exit 2


async def test_health_with_url(runner_process: tuple[asyncio.subprocess.Process, str, list[str]]) -> None:
    _, url, _ = runner_process
    code, out, _, _ = await _bot("health", "--url", url + "/healthz", env=_env())
    assert code == 0 and "answered 200" in out
    code, _, err, _ = await _bot("health", "--url", url + "/v1/images", env=_env())
    assert code == 1 and "answered 401" in err
    code, _, err, seconds = await _bot("health", "--url", "http://127.0.0.1:9/healthz", env=_env())
    assert code == 1 and "unreachable" in err
    assert seconds < 2
    assert "Traceback" not in err
