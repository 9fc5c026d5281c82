"""A Core with every feature installed, for the tests that hold the docs to the commands."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.config import Settings
from bot.core import Core


@pytest.fixture
async def quiet_core(make_settings: Callable[..., Settings]) -> AsyncIterator[Core]:
    """Every feature installed, as ``python -m bot say`` builds the core: no sandbox, no schedules run."""
    core = await Core.start(make_settings(sandbox_enabled=False), one_shot=True)
    try:
        yield core
    finally:
        await core.close()
