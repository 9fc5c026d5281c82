"""Fixtures for the sandbox tests, reused by ``!run``'s chat tests (``tests/run/conftest.py``). They need a
real Docker engine (.ci/setup-docker.sh).

When the engine does not answer, every engine test FAILS with a clear message; only an explicit
``STUDYBOT_SKIP_DOCKER_TESTS=1`` (developers without Docker; CI never sets it) skips them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import docker
import pytest

from bot.config import Settings
from bot.core import Core
from bot.help import command as help_command
from bot.run import command as run_command
from bot.sandbox.server import RunnerServer
from bot.sandbox.service import Sandbox
from bot.storage import Database
from tests.sandbox.sbx import BASE, TOKEN, Bot, MakeBot


@pytest.fixture(scope="session")
def docker_client() -> docker.DockerClient:
    """A plain SDK client for checks from outside the bot; fails the test when there is no engine."""
    try:
        client = docker.from_env(timeout=10)
        client.ping()
    except Exception as exc:
        pytest.fail(
            f"Docker engine unreachable ({exc}). Start it with `.ci/setup-docker.sh` (as root), "
            "or set STUDYBOT_SKIP_DOCKER_TESTS=1 to skip the sandbox tests on a machine without Docker.",
            pytrace=False,
        )
    return client


@pytest.fixture
def run_mode() -> str:
    """Where ``!run`` sends its work: ``local`` (the in-process sandbox) unless a test is marked
    :data:`sbx.BOTH_PATHS`, which runs it once in-process and once through a runner service."""
    return "local"


@pytest.fixture
async def make_bot(make_settings: Callable[..., Settings], run_mode: str) -> AsyncIterator[MakeBot]:
    """``await make_bot(sandbox_timeout=2, …)`` → a started :class:`Bot`; closed after the test.

    The core gets only ``help`` and ``run`` (not every feature of ``bot.features``), so these tests
    do not depend on features other people are still building; ``run``'s install is the real one.
    In ``remote`` mode the sandbox settings go to a runner service started in this process on
    127.0.0.1 (any free port) with a token, and the bot gets ``sandbox_url`` and the same token.
    """
    started: list[Core] = []
    servers: list[RunnerServer] = []

    async def make(**overrides: object) -> Bot:
        settings = make_settings(**{**BASE, **overrides})
        engine_side: Sandbox | None = None
        if run_mode == "remote" and settings.sandbox.enabled and "sandbox_url" not in overrides:
            server = RunnerServer(settings.sandbox, TOKEN)
            servers.append(server)
            port = await server.start("127.0.0.1", 0)
            engine_side = server.service.sandbox
            settings = make_settings(
                **{**BASE, **overrides, "sandbox_url": f"http://127.0.0.1:{port}", "sandbox_token": TOKEN}
            )
        db = await Database.open(settings.db_path)
        core = Core(settings=settings, db=db, notes=None)  # type: ignore[arg-type]  # !run needs no notes
        started.append(core)
        await help_command.install(core)
        await run_command.install(core)
        if engine_side is None and isinstance(core.sandbox, Sandbox):
            engine_side = core.sandbox
        return Bot(core, engine_side)

    yield make
    for core in reversed(started):
        await core.close()
    for server in reversed(servers):
        await server.stop()


@pytest.fixture
async def bot(docker_client: docker.DockerClient, make_bot: MakeBot) -> Bot:
    return await make_bot()


