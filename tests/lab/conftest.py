"""A core with ``help`` and the real ``docker`` command whose lab is a :class:`RecordingLab`; the sandbox tests'
``docker_client`` for the tests on the real engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from bot.config import Settings
from bot.core import Core
from bot.help import command as help_command
from bot.lab import command as lab_command
from bot.replies import Reply
from bot.storage import Database
from tests.invocations import CollectingResponder, invocation
from tests.lab.recording import RecordingLab
from tests.sandbox.conftest import docker_client  # noqa: F401  (fixture)


@dataclass
class LabBot:
    core: Core
    lab: RecordingLab

    async def say(self, args: str, user: str = "alice", lang: str = "en", scope: str | None = "guild-1") -> list[Reply]:
        """``!docker <args>`` as ``user``: every message the bot sent (progress and answer), in order."""
        inv = invocation(user, lang=lang, scope=scope)
        await self.core.invoke(inv, "docker", args)
        assert isinstance(inv.responder, CollectingResponder)
        return inv.responder.sent

    async def reply(self, args: str, **how: str) -> Reply:
        replies = await self.say(args, **how)
        assert replies, "the bot did not answer"
        return replies[-1]


@pytest.fixture
async def lab_bot(make_settings: Callable[..., Settings]) -> AsyncIterator[LabBot]:
    db = await Database.open(make_settings().db_path)
    core = Core(settings=make_settings(), db=db, notes=None)  # type: ignore[arg-type]  # !docker needs no notes
    await help_command.install(core)
    await lab_command.install(core)
    lab = RecordingLab()
    core.lab = lab
    try:
        yield LabBot(core, lab)
    finally:
        await core.close()
