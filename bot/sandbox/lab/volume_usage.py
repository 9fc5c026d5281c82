"""How much a lab's volumes hold, and the watcher that keeps it under ``STUDYBOT_SANDBOX_LAB_VOLUME_MIB``.

A local volume has no size limit of its own, and root is allowed in gVisor, so a container writing into a lab
volume could fill the engine's disk until the lab expires. The runner sees only the Engine API, so the sizes come
from the engine's disk usage (``GET /system/df``, which walks each volume): every
``STUDYBOT_SANDBOX_LAB_VOLUME_CHECK_SECONDS``, while some lab container of this deployment runs (nothing else can
write into a volume), this deployment's lab volumes are summed per lab. A lab over its limit has every running
container that mounts one of its volumes killed (they show ``Exited (137)``), and until it is under the limit
again, nothing that mounts one of its volumes is run or started (the quota refusal ``volume_mib:<limit>``). A
lab can pass the limit by what it writes in one interval (about 30 MB/s under gVisor), never by more.

Which labs are over is this process's memory, re-measured whenever a refused lab asks again (so a removed volume
counts at once); after a restart the next look finds them again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from docker.errors import APIError
from docker.utils import version_gte

from bot.config import SandboxSettings
from bot.sandbox.engine import Engine
from bot.sandbox.lab.names import LABEL_LAB, LABEL_OWNER, LabNames
from bot.sandbox.lab.policy import Refused

log = logging.getLogger(__name__)

TYPED_DF_API = "1.42"  # docker 23+: /system/df?type=volume computes volumes only


def engine_volumes(client: Any) -> list[dict[str, Any]]:
    """Every volume of the engine with its ``UsageData.Size``, as cheaply as the engine can tell it."""
    if version_gte(client.api_version, TYPED_DF_API):
        found = client._result(client._get(client._url("/system/df"), params={"type": "volume"}), True)
    else:  # older engines compute the whole df (images and containers too)
        found = client.df()
    return list(found.get("Volumes") or ())


def sizes_by_lab(volumes: Iterable[Mapping[str, Any]], deployment: str) -> dict[str, int]:
    """Bytes held by each lab's volumes, this deployment's labs only (an unknown size, -1, counts 0)."""
    sizes: dict[str, int] = {}
    for volume in volumes:
        labels = volume.get("Labels") or {}
        lab = labels.get(LABEL_LAB)
        if not lab or labels.get(LABEL_OWNER) != deployment:
            continue
        size = int((volume.get("UsageData") or {}).get("Size") or 0)
        sizes[lab] = sizes.get(lab, 0) + max(size, 0)
    return sizes


def mounts_lab_volume(container: Mapping[str, Any], names: LabNames) -> bool:
    """Whether a container (as listed or inspected) mounts one of the lab's volumes."""
    return any(
        m.get("Type") == "volume" and str(m.get("Name") or "").startswith(names.prefix)
        for m in container.get("Mounts") or ()
    )


class VolumeUsage:
    """The lab volumes' sizes of this deployment, the labs over the limit, and what to do about them."""

    def __init__(self, engine: Engine, settings: SandboxSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.over: dict[str, int] = {}  # lab id -> bytes, for the labs last seen over the limit

    @property
    def limit(self) -> int:
        return self.settings.lab_volume_mib * 2**20

    async def sizes(self) -> dict[str, int]:
        """Bytes per lab of this deployment (labs without volumes left out)."""
        return sizes_by_lab(await self.engine.call(engine_volumes), self.settings.owner)

    async def size_of(self, names: LabNames) -> int:
        return (await self.sizes()).get(names.id, 0)

    async def check(self, names: LabNames) -> None:
        """Before running or starting a container that mounts a lab volume: refused while the lab is over."""
        if names.id not in self.over:
            return
        size = await self.size_of(names)
        if size > self.limit:
            self.over[names.id] = size
            raise Refused("quota", f"volume_mib:{self.settings.lab_volume_mib}")
        self.over.pop(names.id, None)

    async def watch(self) -> int:
        """One look: when some lab container of this deployment runs, measure the volumes and stop the writers of
        every lab over its limit. The number of containers killed."""
        wanted = {"label": [f"{LABEL_OWNER}={self.settings.owner}"], "status": ["running"]}
        running = await self.engine.call(lambda c: c.containers(filters=wanted))
        if not running:
            return 0
        sizes = await self.sizes()
        self.over = {lab: size for lab, size in sizes.items() if size > self.limit}
        killed = 0
        for lab, size in sorted(self.over.items()):
            names = LabNames(lab, "", self.settings.owner)
            writers = [
                c["Id"] for c in running
                if (c.get("Labels") or {}).get(LABEL_LAB) == lab and mounts_lab_volume(c, names)
            ]
            stopped = 0
            for container_id in writers:
                try:
                    await self.engine.call(lambda c, i=container_id: c.kill(i))
                    stopped += 1
                except APIError:  # exited or removed meanwhile
                    pass
            if stopped:
                log.info(
                    "lab volume watcher stopped lab %s: its volumes hold %.1f MiB (limit %d MiB), %d container(s)"
                    " killed", lab, size / 2**20, self.settings.lab_volume_mib, stopped,
                )
            killed += stopped
        return killed
