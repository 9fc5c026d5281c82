"""Issue 10, sandbox and runner items 1-9 and 17, each against the real engine: digests and the tag pin,
pulls that cannot starve runs, sweeps that never remove another instance's live run, an engine that
never answers, what the runner answers to hostile bodies, tmpfs under runc, and replies that say
what happened."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
import threading
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import aiohttp
import docker
import pytest

from bot.config import REPO_ROOT, Settings
from bot.replies import Code, Tone
from tests.sandbox.sbx import BASE, BOTH_PATHS, REGISTRY, REGISTRY_IMAGE, TOKEN, MakeBot

pytestmark = pytest.mark.docker

TINY = f"{REGISTRY}/studybot/tiny"


def output_of(reply) -> str:  # type: ignore[no-untyped-def]
    codes = [block.text for block in reply.blocks if isinstance(block, Code)]
    assert codes, reply.plain_text()
    return codes[0]


def registry_digest(client: docker.DockerClient) -> str:
    """The registry's digest of tiny:1 (pulled from the local registry if need be)."""
    image = client.images.pull(TINY, tag="1")
    return next(d.split("@", 1)[1] for d in image.attrs["RepoDigests"] if d.startswith(TINY + "@"))


def remove_local(client: docker.DockerClient, *names: str) -> None:
    for name in names:
        with contextlib.suppress(docker.errors.ImageNotFound, docker.errors.APIError):
            client.images.remove(name, force=True)


# item 1: a digest never gets round the tag pin ---------------------------------------------------


@BOTH_PATHS
async def test_digest_of_another_tag_is_refused(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    digest = registry_digest(docker_client)
    bot = await make_bot(sandbox_images=f"alpine, {TINY}:2")
    reply = await bot.result(f"{TINY}@{digest} echo hi")
    assert reply.tone is Tone.ERROR
    assert "is not on the list of images I may run" in reply.plain_text()


@BOTH_PATHS
async def test_made_up_digest_is_never_pulled(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    bot = await make_bot(sandbox_images=f"alpine, {TINY}:*")
    assert bot.engine_side is not None
    made_up = "sha256:" + "5" * 64
    refused = await bot.run(f"alpine@{made_up} echo hi")  # the default list pins alpine:latest
    assert len(refused) == 1 and "is not on the list" in refused[0].plain_text()
    unknown = await bot.run(f"{TINY}@{made_up} echo hi")  # a `name:*` entry: run only if present
    assert len(unknown) == 1, [r.plain_text() for r in unknown]  # no "Pulling" message either
    assert "only pull digests that the list of images names" in unknown[0].plain_text()
    assert bot.engine_side.puller.pulls_started == 0


async def test_digest_named_by_the_list_is_pulled_and_shown_as_run(
    make_bot: MakeBot, docker_client: docker.DockerClient
) -> None:
    digest = registry_digest(docker_client)
    remove_local(docker_client, f"{TINY}@{digest}", REGISTRY_IMAGE)
    bot = await make_bot(sandbox_images=f"alpine, {TINY}:1@{digest}")
    replies = await bot.run(f"{TINY}:1 echo pinned")  # the pinned tag runs the pinned digest
    result = replies[-1]
    assert output_of(result) == "pinned"
    assert result.title == f"{TINY}:1@{digest} — exit 0"
    by_digest = await bot.result(f"{TINY}@{digest} echo direct")
    assert output_of(by_digest) == "direct"
    assert by_digest.title == f"{TINY}@{digest} — exit 0"
    # A `name:*` entry runs a digest the engine already has.
    star = await make_bot(sandbox_images=f"alpine, {TINY}:*")
    assert output_of(await star.result(f"{TINY}@{digest} echo star")) == "star"


# item 2: pulls neither starve runs and pings nor outlive their time limit --------------------------


class StallingRegistry:
    """A registry on 127.0.0.1 that answers ``/v2/`` and stalls every other request (the manifests)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.stalled: set[str] = set()  # the repositories whose requests it held (the engine may retry one)
        release = self.release
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v2":
                    self.send_response(200)
                    self.send_header("Docker-Distribution-API-Version", "registry/2.0")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                    return
                outer.stalled.add(self.path.split("/manifests/")[0])
                release.wait(30)
                self.send_error(404)

            do_HEAD = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stalling_registry() -> Iterator[StallingRegistry]:
    registry = StallingRegistry()
    try:
        yield registry
    finally:
        registry.close()


@pytest.mark.parametrize("run_mode", ["remote"])
async def test_stalled_pulls_leave_runs_and_health_alone(
    make_bot: MakeBot, docker_client: docker.DockerClient, stalling_registry: StallingRegistry
) -> None:
    stalled = [f"127.0.0.1:{stalling_registry.port}/stall/i{n}:1" for n in range(14)]
    # 2 running places: the old shared pool had 2 * 2 + 8 = 12 threads, fewer than 14 pulls.
    bot = await make_bot(
        sandbox_images=", ".join(["alpine", REGISTRY_IMAGE, *stalled]), sandbox_pull_timeout=3,
        sandbox_max_running=2, sandbox_max_queue=32,
    )
    sandbox = bot.engine_side
    assert sandbox is not None
    remove_local(docker_client, REGISTRY_IMAGE)
    pulls = [asyncio.create_task(bot.run(f"{name} true", user=f"p{n}")) for n, name in enumerate(stalled)]
    await asyncio.sleep(1.0)
    started = time.monotonic()
    reply = await bot.result("alpine echo hi", user="other")
    assert output_of(reply) == "hi"
    assert time.monotonic() - started < 2.5
    url = bot.core.settings.sandbox.url
    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        async with session.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=5)) as response:
            body = await response.json()
        assert time.monotonic() - started < 1.0
    assert response.status == 200 and body["waiting"] == 14  # pulls hold places in the queue
    for replies in await asyncio.gather(*pulls):
        assert "took longer than 3 s" in replies[-1].plain_text()
    # The pull pool is 2: the pulls queued behind the first two never reached the registry.
    assert len(stalling_registry.stalled) <= 2, stalling_registry.stalled
    # Abandoned for good: the pull threads are free again, and a real pull goes through at once.

    replies = await asyncio.wait_for(bot.run(f"{REGISTRY_IMAGE} echo pulled", user="later"), timeout=3 + 5)
    assert output_of(replies[-1]) == "pulled"


# item 3: instances on one engine never remove each other's live runs; engine errors are replies ---


async def test_instances_on_one_engine_keep_each_others_runs(make_bot: MakeBot, docker_client: object) -> None:
    bots = [await make_bot(sandbox_runtime="runc", sandbox_max_running=3) for _ in range(3)]
    sandboxes = [bot.engine_side for bot in bots]
    assert all(sandboxes) and len({s.instance for s in sandboxes if s}) == 3
    stop = asyncio.Event()
    sweeps = 0

    async def sweeping() -> None:
        nonlocal sweeps
        while not stop.is_set():
            await asyncio.gather(*(s.sweeper.sweep() for s in sandboxes if s))
            sweeps += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(sweeping())
    try:
        replies = await asyncio.gather(
            *(bots[i % 3].result(f"alpine echo run{i}", user=f"m{i}") for i in range(18))
        )
    finally:
        stop.set()
        await task
    assert sweeps >= 3
    for i, reply in enumerate(replies):
        assert reply.tone is Tone.SUCCESS, reply.plain_text()
        assert output_of(reply) == f"run{i}"


@BOTH_PATHS
async def test_engine_refusal_at_create_is_a_clear_reply(
    make_bot: MakeBot, docker_client: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.sandbox import runner as runner_module

    real = runner_module.container_request

    def too_little_memory(*args: object, **kwargs: object) -> dict[str, dict[str, object]]:
        request = real(*args, **kwargs)  # type: ignore[arg-type]
        request["host"]["mem_limit"] = request["host"]["memswap_limit"] = 1024 * 1024  # below the engine's 6 MB
        return request

    monkeypatch.setattr(runner_module, "container_request", too_little_memory)
    bot = await make_bot()
    reply = await bot.result("alpine echo hi")
    assert reply.tone is Tone.ERROR
    assert reply.plain_text().startswith("❌ The Docker engine refused the run:"), reply.plain_text()
    assert "memory" in reply.plain_text().lower()


@BOTH_PATHS
async def test_container_removed_by_someone_else_is_a_clear_reply(
    make_bot: MakeBot, docker_client: docker.DockerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.sandbox.runner import Runner

    real = Runner._attach_and_run

    async def removed_first(self: Runner, container_id: str, *args: object) -> object:
        await asyncio.to_thread(docker_client.api.remove_container, container_id, force=True)
        return await real(self, container_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Runner, "_attach_and_run", removed_first)
    bot = await make_bot()
    reply = await bot.result("alpine echo hi")
    assert reply.tone is Tone.ERROR
    assert "The Docker engine refused the run: the container disappeared" in reply.plain_text(), reply.plain_text()


# item 4: an engine that accepts connections and never answers ------------------------------------


async def test_engine_that_never_answers_gets_every_member_a_reply_within_2_s(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "silent.sock"
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(path))
    silent.listen(128)  # connections complete in the backlog; nothing ever reads or answers them
    try:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        bot = await make_bot()
        started = time.monotonic()
        ends: list[float] = []

        async def member(n: int) -> str:
            reply = await bot.result("alpine echo hi", user=f"m{n}")
            ends.append(time.monotonic() - started)
            return reply.plain_text()

        texts = await asyncio.gather(*(member(n) for n in range(6)))
        assert max(ends) < 2.0, ends
        assert all("The Docker engine is not reachable right now" in text for text in texts), texts
        assert (await bot.result("alpine echo hi", user="later")).tone is Tone.ERROR
    finally:
        silent.close()


# item 7: /tmp is writable under both runtimes, even where the image's /tmp is 0755 -----------------


@pytest.mark.parametrize("runtime", ["runc", "runsc"])
async def test_tmp_is_writable_under_each_runtime(make_bot: MakeBot, docker_client: object, runtime: str) -> None:
    bot = await make_bot(sandbox_runtime=runtime)
    # The test image's own /tmp is 0755 root (tests/images/Dockerfile: WORKDIR /tmp).
    out = output_of(await bot.result("alpine sh -c 'echo data > /tmp/f && cat /tmp/f && stat -c %U /tmp'"))
    assert out.split("\n") == ["data", "nobody"], out


# item 9: replies that say what happened ------------------------------------------------------------


@pytest.mark.parametrize("runtime", ["runc", "runsc"])
async def test_kill_9_of_itself_is_not_called_memory(make_bot: MakeBot, docker_client: object, runtime: str) -> None:
    bot = await make_bot(sandbox_runtime=runtime)
    text = (await bot.result("alpine sh -c 'kill -9 $$'")).plain_text()
    assert "exit 137** (SIGKILL)" in text
    assert "killed for memory" not in text
    assert "the cause is unknown" in text


async def test_fork_bomb_under_gvisor_names_the_process_limit(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_runtime="runsc")
    reply = await bot.result("alpine sh -c 'f(){ f | f & }; f; sleep 2; echo after'")
    assert "can't fork" in output_of(reply), reply.plain_text()
    assert "timed out" not in reply.plain_text()


# item 17: only a process that runs sandboxes sweeps ------------------------------------------------


async def test_a_process_that_runs_nothing_never_touches_the_engine(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot()
    sandbox = bot.engine_side
    assert sandbox is not None
    inv = bot.inv()
    await bot.core.invoke(inv, "help", "")  # what `python -m bot say "!help"` does
    assert not sandbox.sweeper.started
    assert sandbox.engine._clients is None  # not even connected
    await bot.result("alpine true")
    assert sandbox.sweeper.started  # the first run starts the sweeping


async def test_a_runner_sweeps_from_its_start(make_bot: MakeBot, docker_client: object) -> None:
    from bot.sandbox.server import RunnerServer

    server = RunnerServer(bot_settings := (await make_bot()).core.settings.sandbox, TOKEN)
    assert BASE and bot_settings
    try:
        await server.start("127.0.0.1", 0)
        assert server.service.sandbox.sweeper.started
    finally:
        await server.stop()


# item 5: the runner answers hostile bodies with 400 JSON, and drops slow clients --------------------


@pytest.fixture
async def runner_url(make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    from bot.sandbox import server as server_module

    monkeypatch.setattr(server_module, "HEADER_TIMEOUT", 1.0, raising=False)
    server = server_module.RunnerServer(make_settings(**BASE).sandbox, TOKEN)
    port = await server.start("127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.stop()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nested far deeper than a run request (refused before parsing)
        b'{"a": ' * 20_000 + b"1" + b"}" * 20_000,
        b'{"image": "alpine", "argv": ["true"], "member": ' + b"7" * 5000 + b"}",  # an int Python will not convert
        b"\xff\xfe\x00{",
        b"",
    ],
    ids=["nested-lists", "nested-objects", "huge-int", "not-utf8", "empty"],
)
async def test_hostile_bodies_get_400_json(runner_url: str, body: bytes) -> None:
    async with aiohttp.ClientSession() as session, session.post(
        runner_url + "/v1/runs", data=body[:64 * 1024], headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        assert response.status == 400, await response.text()
        answer = await response.json()
    assert answer["error"]["code"] == "malformed_request"


def test_only_real_nesting_counts_as_too_deep() -> None:
    from bot.sandbox.server import MAX_NESTING, _too_deep

    brackets_in_argv = {"image": "alpine", "argv": ["sh", "-c", "echo " + "[{" * 40 + '\\"]'], "member": "m"}
    assert not _too_deep(json.dumps(brackets_in_argv).encode())
    assert not _too_deep(b"[" * MAX_NESTING + b"]" * MAX_NESTING)
    assert _too_deep(b"[" * (MAX_NESTING + 1))


async def test_a_slow_client_is_disconnected(runner_url: str) -> None:
    port = int(runner_url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"POST /v1/runs HTTP/1.1\r\nHost: runner\r\n")
        await writer.drain()
        started = time.monotonic()
        for _ in range(10):  # keep trickling header bytes, one every 0.3 s
            writer.write(b"X")
            await writer.drain()
            if reader.at_eof():
                break
            with contextlib.suppress(TimeoutError):
                if await asyncio.wait_for(reader.read(100), 0.3) == b"":
                    break
        assert time.monotonic() - started < 2.5
        assert await asyncio.wait_for(reader.read(100), 1) == b""
    except ConnectionError:
        pass  # closed by the runner: what we want
    finally:
        writer.close()


# item 6: the runner refuses the placeholder secret and short ones ---------------------------------


def test_token_rules() -> None:
    from bot.sandbox.server import token_problem

    assert "placeholder" in (token_problem("127.0.0.1", "change-me-to-a-long-random-secret") or "")
    short = token_problem("0.0.0.0", "x" * 31) or ""
    assert "at least 32" in short and "secrets.token_urlsafe(32)" in short
    assert token_problem("0.0.0.0", "x" * 32) is None
    assert token_problem("127.0.0.1", None) is None


async def test_runner_process_refuses_the_placeholder_secret() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "STUDYBOT_SANDBOX_TOKEN": "change-me-to-a-long-random-secret"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "runner", "--port", "0", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    assert "placeholder STUDYBOT_SANDBOX_TOKEN" in err.decode() and "token_urlsafe" in err.decode()


# item 8: any output flood, text or binary, costs the bot a bounded amount of memory ----------------


@pytest.mark.parametrize(
    ("flood", "filename"),
    [("alpine yes flood", "output.txt"), ("alpine cat /dev/urandom", "output.bin"),
     ("alpine sh -c 'yes 😀ü | tr -d \\\\n'", "output.txt")],
    ids=["yes", "urandom", "wide-text"],
)
async def test_output_floods_keep_memory_bounded(
    make_bot: MakeBot, docker_client: object, flood: str, filename: str
) -> None:
    bot = await make_bot(sandbox_runtime="runc", sandbox_output_kib=1024)
    await bot.result("alpine true")  # first-use allocations are not what we measure
    tracemalloc.start()
    try:
        reply = await bot.result(flood)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "output truncated" in reply.plain_text()
    (attachment,) = reply.attachments
    assert attachment.filename == filename
    if filename == "output.bin":
        assert len(attachment.data) == 1024 * 1024  # the exact bytes, as the program wrote them
        assert "The output is not text (1.0 MiB)" in reply.plain_text()
    # The whole reply (1 MiB kept, its attachment, the shown excerpt) within a few MiB; the old one-piece
    # sanitising of random bytes peaked at several times that.
    assert peak < 6 * 1024 * 1024, f"{peak / 2**20:.1f} MiB"


# item 10: the README tells the truth about seccomp under gVisor -----------------------------------


async def test_readme_is_truthful_about_seccomp_under_gvisor(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_runtime="runsc")
    out = output_of(await bot.result("alpine grep Seccomp: /proc/self/status"))
    assert out.split() == ["Seccomp:", "0"]  # Docker's seccomp profile is not applied inside gVisor
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `!run`: what the sandbox allows", 1)[1].split("\n## ", 1)[0]
    assert "gVisor does not apply\nDocker's seccomp profile" in section or (
        "gVisor does not apply Docker's seccomp profile" in section.replace("\n", " ")
    )
    assert "under runc, Docker's default seccomp profile applies" in section.replace("\n", " ")
    assert "`no-new-privileges`, the default seccomp\nprofile" not in section  # the old claim, for every run


async def test_a_chat_bot_sweeps_from_its_start(
    make_settings: Callable[..., Settings], docker_client: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from bot import cli
    from bot.adapters import launch

    seen: dict[str, bool] = {}

    async def fake_chat(core: object) -> int:
        seen["sweeping"] = core.sandbox.sweeper.started  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(launch, "run_chat", fake_chat)
    monkeypatch.setattr(cli.gc, "freeze", lambda: None)  # a chat bot freezes its heap; pytest's stays as it is
    settings = make_settings(**BASE, discord_token="chat-token-for-the-test")
    assert await cli._dispatch(argparse.Namespace(command=None), settings) == 0
    assert seen == {"sweeping": True}
