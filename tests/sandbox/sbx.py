"""Helpers shared by the sandbox tests and ``!run``'s chat tests in ``tests/run`` (fixtures live in
``tests/sandbox/conftest.py``, which ``tests/run/conftest.py`` reuses)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import docker
import pytest

from bot.context import Invocation
from bot.core import Core
from bot.replies import Reply
from bot.sandbox.policy import LABEL
from bot.sandbox.service import Sandbox
from tests.invocations import CollectingResponder, invocation

TEST_OWNER = "studybot-test"
REGISTRY = "127.0.0.1:5000"
REGISTRY_IMAGE = f"{REGISTRY}/studybot/tiny:1"

# Settings every sandbox test starts from: local images only, no background pulls, no cooldown.
BASE = {
    "sandbox_images": f"alpine, busybox, {REGISTRY_IMAGE}",
    "sandbox_prefetch": False,
    "sandbox_cooldown": 0,
    "sandbox_timeout": 3,
    "sandbox_owner": TEST_OWNER,
    "sandbox_max_queue": 32,
}
TOKEN = "test-token-0123456789abcdef-0123456789abcdef"  # the shared secret of the runner the remote tests start
# Runs a test once with the in-process sandbox and once through a runner service (see conftest.run_mode).
BOTH_PATHS = pytest.mark.parametrize("run_mode", ["local", "remote"])


@dataclass
class Bot:
    """A started core plus helpers to talk to it as chat members. ``engine_side`` is the
    :class:`Sandbox` that talks to Docker: the bot's own, or the runner service's in remote mode."""

    core: Core
    engine_side: Sandbox | None = None

    def inv(self, user: str = "alice", lang: str = "en", manager: bool = False) -> Invocation:
        return invocation(user, manager=manager, channel="sandbox", lang=lang)

    async def run(self, args: str, user: str = "alice", lang: str = "en", manager: bool = False) -> list[Reply]:
        """``!run <args>`` as ``user`` (a server manager with ``manager``); every message the bot sent
        (progress and result), in order."""
        inv = self.inv(user, lang, manager)
        await self.core.invoke(inv, "run", args)
        assert isinstance(inv.responder, CollectingResponder)
        return inv.responder.sent

    async def result(self, args: str, user: str = "alice", lang: str = "en") -> Reply:
        """The last reply of ``!run <args>`` (the result, or the refusal)."""
        replies = await self.run(args, user, lang)
        assert replies, "the bot did not answer"
        return replies[-1]


MakeBot = Callable[..., Awaitable[Bot]]


def labelled(client: docker.DockerClient) -> list[str]:
    """Containers (any state) carrying the test owner's label."""
    # sparse: ids only, no inspect per container (one may be removed between the list and the inspect)
    return [c.id for c in client.containers.list(all=True, filters={"label": f"{LABEL}={TEST_OWNER}"}, sparse=True)]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, every: float = 0.1) -> bool:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        if await asyncio.to_thread(predicate):
            return True
        await asyncio.sleep(every)
    return bool(await asyncio.to_thread(predicate))
