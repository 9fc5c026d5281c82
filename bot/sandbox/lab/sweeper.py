"""Removing idle labs: every lab of this deployment (``studybot.lab.owner``) whose last activity is older than
``STUDYBOT_SANDBOX_LAB_IDLE_MINUTES``. Last activity is the newest of this process's last command for the lab and
the engine's times of its objects, so a restarted bot or runner neither loses a lab nor keeps one forever.
Another deployment's labs on the same engine are never touched. A lab that holds nothing but tags of pulled
images (no labelled object) is not swept: a tag takes no space, and ``reset`` removes it.

The volume watcher (:mod:`bot.sandbox.lab.volume_usage`) runs beside it, every
``STUDYBOT_SANDBOX_LAB_VOLUME_CHECK_SECONDS``, started and stopped with it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from bot.sandbox.lab.names import LABEL_LAB, LABEL_OWNER, LabNames
from bot.sandbox.lab.service import Lab
from bot.sandbox.sweeper import every

log = logging.getLogger(__name__)


class LabSweeper:
    def __init__(self, lab: Lab, interval: float) -> None:
        self.lab = lab
        self.interval = interval
        self._tasks: list[asyncio.Task[None]] = []

    async def labs(self) -> set[str]:
        """The ids of this deployment's labs that have labelled objects on the engine."""
        wanted = {"label": [f"{LABEL_OWNER}={self.lab.settings.owner}"]}

        def listed(client: Any) -> set[str]:
            labels = [c.get("Labels") for c in client.containers(all=True, filters=wanted)]
            labels += [v.get("Labels") for v in client.volumes(filters=wanted).get("Volumes") or ()]
            labels += [n.get("Labels") for n in client.networks(filters=wanted)]
            labels += [i.get("Labels") for i in client.images(filters=wanted)]
            return {found[LABEL_LAB] for found in labels if found and found.get(LABEL_LAB)}

        return await self.lab.engine.call(listed)

    async def sweep(self) -> int:
        """Remove the idle labs now; how many objects were removed. Raises EngineUnavailable."""
        idle = self.lab.settings.lab_idle_minutes * 60
        removed = 0
        for lab_id in sorted(await self.labs()):
            names = LabNames(lab_id, "", self.lab.settings.owner)
            async with self.lab.lock(lab_id):
                if time.time() - await self.lab.last_activity_of(names) <= idle:
                    continue
                removed += await self.lab.remove_lab(names)
                self.lab.activity.pop(lab_id, None)
                log.info("lab sweeper removed idle lab %s", lab_id)
        return removed

    @property
    def started(self) -> bool:
        return bool(self._tasks)

    def start(self) -> None:
        watch_every = self.lab.settings.lab_volume_check_seconds
        self._tasks = [
            asyncio.create_task(every(self.interval, self.sweep, "lab sweeper"), name="lab sweeper"),
            asyncio.create_task(
                every(watch_every, self.lab.volume_usage.watch, "lab volume watcher"), name="lab volume watcher"
            ),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
