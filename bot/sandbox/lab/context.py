"""What a lab command works with: the engine, the lab's names and objects, the limits, and the lab's quotas."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.config import SandboxSettings
from bot.sandbox.engine import Engine
from bot.sandbox.images import AllowList
from bot.sandbox.lab.names import LABEL_LAB, LABEL_OWNER, LABEL_SERVER, LabNames
from bot.sandbox.lab.objects import LabObjects
from bot.sandbox.lab.policy import Refused
from bot.sandbox.lab.port import LabEvents
from bot.sandbox.lab.volume_usage import VolumeUsage
from bot.sandbox.policy import Limits
from bot.sandbox.pulls import Puller


@dataclass(slots=True)
class LabContext:
    engine: Engine
    names: LabNames
    settings: SandboxSettings
    limits: Limits
    allow_list: AllowList
    puller: Puller
    runtime: Callable[[], Awaitable[str]]
    files: Mapping[str, str] = field(default_factory=dict)  # inline files (build)
    events: LabEvents | None = None
    volume_usage: VolumeUsage | None = None  # the Lab's: which labs' volumes hold more than the limit
    network_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # the Lab's: one network created at a time
    objects: LabObjects = field(init=False)
    now: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.objects = LabObjects(self.engine, self.names)

    # quotas -----------------------------------------------------------------------------------------

    async def check_new_lab(self) -> None:
        """Before a lab makes its first labelled object: the labs-per-server quota."""
        names = self.names

        def labs(client: object) -> set[str]:
            wanted = {"label": [f"{LABEL_SERVER}={names.server}", f"{LABEL_OWNER}={names.deployment}"]}
            found: set[str] = set()
            for container in client.containers(all=True, filters=wanted):  # type: ignore[attr-defined]
                found.add((container.get("Labels") or {}).get(LABEL_LAB, ""))
            for volume in client.volumes(filters=wanted).get("Volumes") or ():  # type: ignore[attr-defined]
                found.add((volume.get("Labels") or {}).get(LABEL_LAB, ""))
            for network in client.networks(filters=wanted):  # type: ignore[attr-defined]
                found.add((network.get("Labels") or {}).get(LABEL_LAB, ""))
            found.discard("")
            return found

        existing = await self.engine.call(labs)
        if names.id not in existing and len(existing) >= self.settings.labs_per_server:
            raise Refused("quota", f"labs:{self.settings.labs_per_server}")

    async def check_containers(self, *, starting: int = 1) -> None:
        """Room for one more container that will run (``starting``: 0 for a container that will not)."""
        containers = await self.objects.containers()
        if len(containers) >= self.settings.lab_containers:
            raise Refused("quota", f"containers:{self.settings.lab_containers}")
        if not containers:
            await self.check_new_lab()
        if starting:
            await self.check_running()

    async def check_running(self, containers: int = 1) -> None:
        running = sum(1 for c in await self.objects.containers() if c.get("State") == "running")
        if running + containers > self.settings.lab_running:
            raise Refused("quota", f"running:{self.settings.lab_running}")

    async def check_images(self) -> None:
        if len(await self.objects.image_tags()) >= self.settings.lab_images:
            raise Refused("quota", f"images:{self.settings.lab_images}")

    async def check_volumes(self) -> None:
        volumes = await self.objects.volumes()
        if len(volumes) >= self.settings.lab_volumes:
            raise Refused("quota", f"volumes:{self.settings.lab_volumes}")
        await self.check_new_lab()

    async def check_volume_room(self) -> None:
        """Before a container that mounts a lab volume runs: refused while the lab's volumes are over the limit."""
        if self.volume_usage is not None:
            await self.volume_usage.check(self.names)

    async def check_networks(self) -> None:
        if len(await self.objects.networks()) >= self.settings.lab_networks:
            raise Refused("quota", f"networks:{self.settings.lab_networks}")
        await self.check_new_lab()
