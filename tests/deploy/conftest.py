"""The bot's image, built once per test session for every deployment test (compose and Swarm)."""

from __future__ import annotations

import subprocess

import pytest

from bot.config import REPO_ROOT

TAG = "studybot:ci"


@pytest.fixture(scope="session")
def image() -> str:
    """``studybot:ci``, built offline by ``.ci/build-image.sh`` (cached between runs)."""
    build = subprocess.run(
        [str(REPO_ROOT / ".ci" / "build-image.sh"), TAG], capture_output=True, text=True, timeout=1200
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return TAG
