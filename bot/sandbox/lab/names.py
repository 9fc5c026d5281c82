"""A lab's names on the engine: its id, the namespace of its objects, and their labels.

A member's ``web`` is the engine's ``lab-<id>-web`` and their ``hello:latest`` is ``lab-<id>/hello:latest``; every
text that goes back to the member (tables, inspect, the engine's own error messages) loses the prefix again, so
two members' ``web`` never meet and neither ever sees the other's namespace.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from bot.sandbox.lab.port import LabOwner

LABEL_LAB = "studybot.lab"
LABEL_OWNER = "studybot.lab.owner"
LABEL_SERVER = "studybot.lab.server"
LABEL_PORTS = "studybot.lab.ports"  # what -p asked for, recorded only (shown in ps)
LABEL_IMAGE = "studybot.lab.image"  # the image as the member named it in `run`
RESERVED_LABEL_PREFIX = "studybot."

# The CLI's (and the engine's) rule for container names.
CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
_LAB_PREFIX = re.compile(r"lab-[0-9a-f]{10}[-/]")
# Host paths in the engine's messages: a container's root on the host (the path inside it is what it names), and
# the engine's, containerd's and the cgroups' own directories (nothing of them is the member's business).
_CONTAINER_ROOT = re.compile(r"/[^\s:'\"]*/overlay2?/[0-9a-f]{64}/merged(/[^\s:'\"]*)?")
_HOST_PATH = re.compile(
    r"/(?:var/lib/(?:docker|containerd)|(?:var/)?run/(?:docker|containerd)|sys/fs/cgroup)(?:/[^\s:'\"]*)?"
)
HOST_PATH = "[host path]"

# The CLI's generated names are adjective_surname; a short list is enough for a lab of ten containers.
_ADJECTIVES = (
    "admiring", "brave", "clever", "dreamy", "eager", "focused", "gallant", "happy", "jolly", "keen",
    "loving", "modest", "nifty", "quirky", "relaxed", "serene", "tender", "upbeat", "vibrant", "zealous",
)
_SURNAMES = (
    "babbage", "curie", "darwin", "euler", "fermi", "gauss", "hopper", "hypatia", "kepler", "lovelace",
    "meitner", "newton", "noether", "pascal", "ritchie", "shannon", "tesla", "thompson", "turing", "wilson",
)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def lab_id(owner: LabOwner) -> str:
    return short_hash(f"{owner.server}\0{owner.member}")


def unprefix(text: str) -> str:
    """``text`` with every lab namespace taken out (engine messages, inspect values)."""
    return _LAB_PREFIX.sub("", text)


def engine_message(text: str) -> str:
    """An engine message as a member may read it: no lab namespace, no host path."""
    text = _CONTAINER_ROOT.sub(lambda found: found.group(1) or "/", unprefix(text))
    return _HOST_PATH.sub(HOST_PATH, text)


def random_name() -> str:
    return f"{secrets.choice(_ADJECTIVES)}_{secrets.choice(_SURNAMES)}"


@dataclass(frozen=True, slots=True)
class LabNames:
    """The names and labels of one lab, for one deployment (``deployment``: ``SandboxSettings.owner``)."""

    id: str
    server: str  # short hash of the server: the labs-per-server quota counts these
    deployment: str

    @classmethod
    def of(cls, owner: LabOwner, deployment: str) -> LabNames:
        return cls(lab_id(owner), short_hash(owner.server), deployment)

    @property
    def prefix(self) -> str:
        """Containers, volumes and networks: ``lab-<id>-<name>``."""
        return f"lab-{self.id}-"

    @property
    def repository_prefix(self) -> str:
        """Images: ``lab-<id>/<repository>:<tag>``."""
        return f"lab-{self.id}/"

    def engine(self, name: str) -> str:
        return self.prefix + name

    def shown(self, engine_name: str) -> str:
        return engine_name.lstrip("/").removeprefix(self.prefix)

    def image(self, familiar: str) -> str:
        """``hello:latest`` → ``lab-<id>/hello:latest``."""
        return self.repository_prefix + familiar

    def labels(self, **extra: str) -> dict[str, str]:
        return {LABEL_LAB: self.id, LABEL_OWNER: self.deployment, LABEL_SERVER: self.server, **extra}

    @property
    def filter(self) -> dict[str, list[str]]:
        """The engine list filter for this lab's labelled objects (this deployment's only)."""
        return {"label": [f"{LABEL_LAB}={self.id}", f"{LABEL_OWNER}={self.deployment}"]}
