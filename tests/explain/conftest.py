"""Fixtures for the `!explain` tests: a Core over the real notes in a temporary state file, and ``ask``,
which sends it a message."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

import bot.features
from bot.config import DEFAULT_DATA_DIR, load_settings
from bot.context import Invocation
from bot.core import Core
from bot.replies import Reply
from tests.invocations import CollectingResponder
from tests.notes.conftest import REAL_NOTES

# Only the features these tests use: the quiz and `!run` would start services they do not need.
EXPLAIN_FEATURES = ("bot.help.command", "bot.explain.command")

Ask = Callable[..., Awaitable[list[Reply]]]


@pytest.fixture
async def core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Core]:
    monkeypatch.setattr(bot.features, "FEATURES", EXPLAIN_FEATURES)
    settings = load_settings(db_path=tmp_path / "s.sqlite3", notes_dir=REAL_NOTES, data_dir=DEFAULT_DATA_DIR)
    started = await Core.start(settings)
    yield started
    await started.close()


@pytest.fixture
def ask(core: Core, make_inv: Callable[..., Invocation]) -> Ask:
    """``await ask("!explain run", lang="ko")`` → the replies; each call is a new member (no cooldown),
    in server ``scope``."""
    counter = iter(range(1_000_000))

    async def _ask(text: str, *, lang: str = "en", manager: bool = False, scope: str = "test") -> list[Reply]:
        responder = CollectingResponder()
        inv = make_inv(f"member-{next(counter)}", manager=manager, channel="test", scope=scope, lang=lang,
                       responder=responder)
        handled = await core.handle_message(inv, text)
        assert handled
        return responder.sent

    return _ask
