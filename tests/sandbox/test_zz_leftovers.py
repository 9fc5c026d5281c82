"""Runs last (file name): after the whole sandbox suite, no container with the test label is left."""

from __future__ import annotations

import docker
import pytest

from tests.sandbox.sbx import labelled, wait_until

pytestmark = pytest.mark.docker


async def test_no_labelled_container_is_left(docker_client: docker.DockerClient) -> None:
    # Removals run in the background right after each reply; give the last ones a moment.
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=15), labelled(docker_client)
