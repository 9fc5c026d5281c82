"""Fixtures for the notes tests: a Core over the real notes (or a copy) in a temporary state file."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

import bot.features
from bot.config import DEFAULT_DATA_DIR, load_settings
from bot.context import CollectingResponder, Invocation
from bot.core import Core
from bot.replies import Reply

REAL_NOTES = DEFAULT_DATA_DIR / "notes"
NOTES_FEATURES = ("bot.help.command", "bot.explain.command")

Ask = Callable[..., Awaitable[list[Reply]]]


@pytest.fixture
def notes_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped notes folder."""
    folder = tmp_path / "notes"
    shutil.copytree(REAL_NOTES, folder)
    return folder


@pytest.fixture
async def core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Core]:
    # Only the features these tests exercise: other features are built in parallel and may not import yet.
    monkeypatch.setattr(bot.features, "FEATURES", NOTES_FEATURES)
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
