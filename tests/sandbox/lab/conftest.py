"""Fixtures of the lab's engine tests (a real engine: .ci/setup-docker.sh)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import docker
import pytest

from bot.config import SandboxSettings
from bot.sandbox.service import Sandbox
from tests.sandbox.sbx import TEST_OWNER


@pytest.fixture
async def make_sandbox(docker_client: docker.DockerClient) -> AsyncIterator[Callable[..., Sandbox]]:
    """``make_sandbox(**settings)`` → an in-process sandbox on the test owner's label; closed after the test."""
    made: list[Sandbox] = []

    def make(**overrides: object) -> Sandbox:
        values: dict[str, object] = {"images": "alpine, busybox", "prefetch": False, "owner": TEST_OWNER, "timeout": 5}
        sandbox = Sandbox(SandboxSettings(**{**values, **overrides}))  # type: ignore[arg-type]
        made.append(sandbox)
        return sandbox

    yield make
    for sandbox in made:
        await sandbox.close()
