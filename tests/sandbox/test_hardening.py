"""Issue 10, sandbox and runner items 1-9 and 17, each against the real engine: digests and the tag pin,
pulls that cannot starve runs, sweeps that never remove another instance's live run, an engine that
never answers, what the runner answers to hostile bodies, tmpfs under runc, and replies that say
what happened."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import docker
import pytest
from sbx import BOTH_PATHS, REGISTRY, REGISTRY_IMAGE, MakeBot

from bot.replies import Code, Tone

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
        self.stalled = 0
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
                outer.stalled += 1
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
    url = bot.core.settings.sandbox_url
    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        async with session.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=5)) as response:
            body = await response.json()
        assert time.monotonic() - started < 1.0
    assert response.status == 200 and body["waiting"] == 14  # pulls hold places in the queue
    for replies in await asyncio.gather(*pulls):
        assert "took longer than 3 s" in replies[-1].plain_text()
    assert stalling_registry.stalled <= 2 + 2  # the pull pool is 2 (a pull may ask twice: GET and HEAD)
    # Abandoned for good: the pull threads are free again, and a real pull goes through at once.

    replies = await asyncio.wait_for(bot.run(f"{REGISTRY_IMAGE} echo pulled", user="later"), timeout=3 + 5)
    assert output_of(replies[-1]) == "pulled"
