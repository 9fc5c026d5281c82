"""The real Bolt app (``run_slack``) connected to a fake Slack on 127.0.0.1, over a real Core."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from bot.adapters.slack.app import run_slack
from bot.config import Settings
from bot.core import Core
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, FakeSlack

PING_INTERVAL = 0.3  # the Socket Mode client's keep-alive; small so a dropped socket is noticed fast


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    try:
        yield server
    finally:
        await server.close()
    assert server.problems == [], server.problems


@pytest.fixture
async def slack_core(make_settings: Callable[..., Settings]) -> AsyncIterator[Core]:
    core = await Core.start(make_settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN))
    try:
        yield core
    finally:
        await core.close()


@dataclass
class RunningSlack:
    core: Core
    fake: FakeSlack
    task: asyncio.Task[None]


@pytest.fixture
async def slack(slack_core: Core, fake: FakeSlack) -> AsyncIterator[RunningSlack]:
    """``run_slack`` serving the fake workspace; connected when the fixture returns."""
    task = asyncio.create_task(run_slack(slack_core, client=fake.client(), ping_interval=PING_INTERVAL))
    try:
        connected = asyncio.create_task(fake.wait_connected())
        await asyncio.wait([connected, task], return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            connected.cancel()
            task.result()  # raises what stopped run_slack
        await connected
        yield RunningSlack(slack_core, fake, task)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
