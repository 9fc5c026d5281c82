"""Helpers the lab's engine tests share: a new owner, and everything of a lab that is on the engine."""

from __future__ import annotations

import uuid

import docker

from bot.sandbox.lab.names import LABEL_LAB, LabNames
from bot.sandbox.lab.port import LabOwner


def lab_objects(client: docker.DockerClient, names: LabNames) -> list[str]:
    """Every engine object of the lab: labelled ones, and its image tags."""
    label = {"label": f"{LABEL_LAB}={names.id}"}
    found = [c.name for c in client.containers.list(all=True, filters=label, sparse=True)]
    found += [v.name for v in client.volumes.list(filters=label)]
    found += [n.name for n in client.networks.list(filters=label)]
    found += [t for i in client.images.list() for t in i.tags if t.startswith(names.repository_prefix)]
    return found


def owner(member: str = "alice") -> LabOwner:
    """A member of a server nobody else uses: each test's labs are its own."""
    return LabOwner(f"{member}-{uuid.uuid4().hex[:8]}", f"server-{uuid.uuid4().hex[:8]}")
