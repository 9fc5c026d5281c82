"""The sandbox runner service (``python -m bot runner``) and the bot's client of it: credentials, an
unreachable runner, /healthz, bad requests, its own enforcement of the policy, logs, and shutdown.
The shared behaviour (happy path, containment, bad images, queue) is in the other files, run
through both paths (``sbx.BOTH_PATHS``)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import docker
import pytest

from bot.config import Settings
from bot.replies import Tone
from bot.sandbox.server import RunnerServer
from tests.sandbox.sbx import BASE, TOKEN, MakeBot, labelled, wait_until

pytestmark = pytest.mark.docker

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Runner:
    url: str
    server: RunnerServer

    async def post(self, body: bytes | dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with aiohttp.ClientSession() as session, session.post(
            self.url + "/v1/runs", data=data, headers={**AUTH, **(headers or {})}
        ) as response:
            return response.status, await response.json(content_type=None)


@pytest.fixture
async def start_runner(make_settings: Callable[..., Settings]) -> AsyncIterator[Callable[..., Any]]:
    servers: list[RunnerServer] = []

    async def start(token: str | None = TOKEN, **overrides: object) -> Runner:
        server = RunnerServer(make_settings(**{**BASE, **overrides}).sandbox, token)
        servers.append(server)
        port = await server.start("127.0.0.1", 0)
        return Runner(f"http://127.0.0.1:{port}", server)

    yield start
    for server in servers:
        await server.stop()


@pytest.fixture
async def runner(start_runner: Callable[..., Any], docker_client: object) -> Runner:
    return await start_runner()


# the bot's side: every problem with the runner is one clear sentence ----------------------------


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789"])
async def test_bad_or_missing_credentials_get_a_clear_reply(
    make_bot: MakeBot, runner: Runner, token: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await make_bot(sandbox_url=runner.url, sandbox_token=token)
    reply = await bot.result("alpine echo hi")
    assert reply.tone is Tone.ERROR
    assert "The sandbox runner refused the bot's credentials" in reply.plain_text()
    assert "STUDYBOT_SANDBOX_TOKEN" in reply.plain_text()
    listing = await bot.result("images")
    assert "refused the bot's credentials" in listing.plain_text()
    assert TOKEN not in caplog.text and "wrong-token" not in caplog.text


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://no-such-runner.invalid:8080"])
async def test_unreachable_runner_answers_within_two_seconds(make_bot: MakeBot, url: str) -> None:
    bot = await make_bot(sandbox_url=url, sandbox_token=TOKEN)
    for args in ("alpine echo hi", "images"):
        started = time.monotonic()
        reply = await bot.result(args)
        assert time.monotonic() - started < 2, args
        assert reply.tone is Tone.ERROR
        assert "The sandbox runner is not reachable right now" in reply.plain_text()


async def test_runner_shutting_down_mid_run_tells_the_member(
    make_bot: MakeBot, runner: Runner, docker_client: docker.DockerClient
) -> None:
    bot = await make_bot(sandbox_url=runner.url, sandbox_token=TOKEN)
    task = asyncio.create_task(bot.run("alpine sleep 100"))
    assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=5)
    await runner.server.stop(grace=0.5)
    replies = await asyncio.wait_for(task, timeout=15)
    assert replies[-1].tone is Tone.ERROR
    assert "The sandbox is restarting" in replies[-1].plain_text()
    assert labelled(docker_client) == []


async def test_bot_shutdown_mid_run_leaves_no_container_on_the_runner(
    make_bot: MakeBot, runner: Runner, docker_client: docker.DockerClient
) -> None:
    bot = await make_bot(sandbox_url=runner.url, sandbox_token=TOKEN, sandbox_timeout=60)
    task = asyncio.create_task(bot.run("alpine sleep 100"))
    assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=5)
    task.cancel()  # the bot goes away: the connection closes, the runner cancels the run
    await asyncio.gather(task, return_exceptions=True)
    await bot.core.close()
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=10)


# the runner's side: the HTTP API itself -----------------------------------------------------------


async def test_healthz_needs_no_token_and_reports_the_engine(
    start_runner: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, docker_client: object
) -> None:
    up = await start_runner()
    async with aiohttp.ClientSession() as session:
        async with session.get(up.url + "/healthz") as response:
            assert response.status == 200
            assert (await response.json())["engine"] == "reachable"
        monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
        down = await start_runner()
        started = time.monotonic()
        async with session.get(down.url + "/healthz") as response:
            assert response.status == 503
            assert (await response.json())["engine"] == "unreachable"
        assert time.monotonic() - started < 2.5


async def test_a_run_as_plain_json(runner: Runner) -> None:
    status, body = await runner.post({"image": "alpine", "argv": ["sh", "-c", "echo out; exit 3"], "member": "m1"})
    assert status == 200
    result = body["result"]
    assert result["exit_code"] == 3 and result["signal"] is None and result["runtime"] == "runsc"
    assert base64.b64decode(result["output"]) == b"out\n"
    assert result["truncated"] is False and result["timed_out"] is False
    assert result["limits"]["timeout"] == BASE["sandbox_timeout"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {TOKEN}"}])
async def test_requests_without_the_secret_get_401(runner: Runner, headers: dict[str, str]) -> None:
    async with aiohttp.ClientSession() as session, session.post(
        runner.url + "/v1/runs", json={"image": "alpine", "argv": ["true"], "member": "m"}, headers=headers
    ) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await response.json())["error"]["code"] == "unauthorized"
    assert labelled(docker.from_env()) == []


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (b"{not json", "malformed_request", "not JSON"),
        (b"[1, 2]", "malformed_request", "JSON object"),
        ({"image": "alpine", "argv": "echo hi", "member": "m"}, "malformed_request", "argv must be a list"),
        ({"image": "alpine", "argv": ["true"]}, "malformed_request", "member must be"),
        ({"image": "alpine", "argv": ["true"], "member": "m", "privileged": True}, "malformed_request",
         "'privileged' is not accepted"),
        ({"image": "alpine", "argv": ["true"], "member": "m", "limits": {"timeout": 9999}}, "malformed_request",
         "the runner decides limits"),
        ({"image": "alpine", "argv": [], "member": "m"}, "bad_command", ""),
        ({"image": "alpine", "argv": ["echo", "a\u0000b"], "member": "m"}, "bad_command", ""),
        ({"image": "ubuntu", "argv": ["true"], "member": "m"}, "image_not_allowed", ""),
        ({"image": "Alpine", "argv": ["true"], "member": "m"}, "bad_image", ""),
    ],
)
async def test_bad_requests_get_400_with_a_code(runner: Runner, body: Any, code: str, words: str) -> None:
    status, answer = await runner.post(body)
    assert status == 400
    assert answer["error"]["code"] == code
    assert words in answer["error"]["message"]
    if code in ("image_not_allowed", "bad_image"):
        assert answer["error"]["allowed"][:2] == ["alpine:latest", "busybox:latest"]


async def test_oversize_body_gets_413(runner: Runner) -> None:
    huge = {"image": "alpine", "argv": ["echo", "x" * 100_000], "member": "m"}
    status, answer = await runner.post(huge)
    assert status == 413
    assert answer["error"]["code"] == "too_large"
    # Sent without a length (chunked), it is cut off the same way.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 8192

    async with aiohttp.ClientSession() as session, session.post(
        runner.url + "/v1/runs", data=chunks(), headers=AUTH
    ) as response:
        assert response.status == 413


async def test_unknown_paths_and_methods_answer_json(runner: Runner) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(runner.url + "/v1/runs", headers=AUTH) as response:
            assert response.status == 405
            assert (await response.json())["error"]["code"] == "method_not_allowed"
        async with session.get(runner.url + "/v2/anything", headers=AUTH) as response:
            assert response.status == 404
            assert (await response.json())["error"]["code"] == "not_found"


async def test_the_runner_enforces_one_job_per_member_itself(runner: Runner) -> None:
    first = asyncio.create_task(runner.post({"image": "alpine", "argv": ["sleep", "1"], "member": "same"}))
    await asyncio.sleep(0.3)
    status, answer = await runner.post({"image": "alpine", "argv": ["true"], "member": "same"})
    assert status == 409 and answer["error"]["code"] == "already_running"
    assert (await first)[0] == 200


async def test_the_runner_applies_its_own_limits(make_bot: MakeBot, start_runner: Callable[..., Any]) -> None:
    # The bot's own settings say 60 s and 8 KiB; the runner's say 1 s: the runner's win.
    runner = await start_runner(sandbox_timeout=1)
    bot = await make_bot(sandbox_url=runner.url, sandbox_token=TOKEN, sandbox_timeout=60, sandbox_output_kib=8)
    reply = await bot.result("alpine sleep 30")
    assert "timed out: stopped after 1 s" in reply.plain_text()
    assert "limits: 1 s" in reply.plain_text()


async def test_one_log_line_per_request_without_the_token(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.sandbox.server")
    await runner.post({"image": "alpine", "argv": ["echo", "hi"], "member": "member 7"})
    await runner.post({"image": "ubuntu", "argv": ["true"], "member": "m8"})
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.sandbox.server"]
    lines = [m for m in messages if m.startswith("run ")]
    assert len(lines) == 2
    assert 'member="member 7"' in lines[0] and "image=alpine" in lines[0] and "outcome=ok" in lines[0]
    assert "duration=" in lines[0] and "exit=0" in lines[0]
    assert "member=m8" in lines[1] and "outcome=image_not_allowed" in lines[1]
    assert TOKEN not in caplog.text



async def test_a_megabyte_of_output_crosses_as_one_result(make_bot: MakeBot, runner: Runner) -> None:
    # The runner's cap here is 1 MiB; its result line (base64) is far longer than aiohttp's own line limit.
    bot = await make_bot(sandbox_url=runner.url, sandbox_token=TOKEN)
    reply = await bot.result("alpine yes flood")
    assert "output truncated: it passed 1024 KiB" in reply.plain_text()
    (attachment,) = reply.attachments
    assert len(attachment.data) == 1024 * 1024
    assert set(attachment.data.decode().split()[:-1]) == {"flood"}  # the last word is cut at the cap
