"""Shared fixtures: settings on a temporary state file, a started Core, and invocations."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.config import REPO_ROOT, Settings, load_settings
from bot.context import Invocation
from bot.core import Core
from tests.invocations import invocation

DATA_DIR = REPO_ROOT / "data"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``docker`` need the engine that ``.ci/setup-docker.sh`` starts. Without it they fail,
    unless a developer without Docker sets STUDYBOT_SKIP_DOCKER_TESTS=1 (CI never does)."""
    if os.environ.get("STUDYBOT_SKIP_DOCKER_TESTS") != "1":
        return
    for item in items:
        if item.get_closest_marker("docker") is not None:
            item.add_marker(pytest.mark.skip(reason="STUDYBOT_SKIP_DOCKER_TESTS=1"))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads a developer's .env or tokens, or writes to their state folder."""
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # Tests never pull from the internet, and their sandbox sweeper only touches test containers.
    monkeypatch.setenv("STUDYBOT_SANDBOX_PREFETCH", "0")
    monkeypatch.setenv("STUDYBOT_SANDBOX_OWNER", "studybot-test")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {"db_path": tmp_path / "studybot.sqlite3", "data_dir": DATA_DIR}
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def notes_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped notes folder."""
    target = tmp_path / "notes"
    shutil.copytree(DATA_DIR / "notes", target)
    return target


@pytest.fixture
async def core(make_settings: Callable[..., Settings]) -> AsyncIterator[Core]:
    started = await Core.start(make_settings())
    try:
        yield started
    finally:
        await started.close()


@pytest.fixture
def make_inv() -> Callable[..., Invocation]:
    """``make_inv("bob", manager=True, lang="ko")``: see :func:`tests.invocations.invocation`."""
    return invocation
