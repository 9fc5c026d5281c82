"""Runs last (file name, at the top of tests/): after the whole suite, no container with the sandbox test label is
left, and nothing of any test lab (containers, images and their lab tags, volumes, networks)."""

from __future__ import annotations

import docker
import pytest

from bot.sandbox.lab.names import LABEL_OWNER
from tests.sandbox.sbx import TEST_OWNER, labelled, wait_until

pytestmark = pytest.mark.docker


@pytest.fixture
def docker_client() -> docker.DockerClient:
    return docker.from_env(timeout=10)


async def test_no_labelled_container_is_left(docker_client: docker.DockerClient) -> None:
    # Removals run in the background right after each reply; give the last ones a moment.
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=15), labelled(docker_client)


def lab_leftovers(client: docker.DockerClient) -> list[str]:
    mine = {"label": f"{LABEL_OWNER}={TEST_OWNER}"}
    found = [f"container {c.name}" for c in client.containers.list(all=True, filters=mine, sparse=True)]
    found += [f"image {i.id[:19]}" for i in client.images.list(all=True, filters=mine)]
    found += [f"volume {v.name}" for v in client.volumes.list(filters=mine)]
    found += [f"network {n.name}" for n in client.networks.list(filters=mine)]
    found += [f"tag {t}" for i in client.images.list() for t in i.tags if t.startswith("lab-")]
    return found


async def test_no_lab_object_is_left(docker_client: docker.DockerClient) -> None:
    assert await wait_until(lambda: lab_leftovers(docker_client) == [], timeout=15), lab_leftovers(docker_client)
