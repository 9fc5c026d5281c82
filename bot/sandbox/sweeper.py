"""Removing leftovers: containers carrying this bot's label that no run of this process owns.

They come from a crash or a kill -9 of an earlier process. A container is swept when its
deadline label (start + wall clock + grace) has passed, or when it has stopped and belongs to
another process (``studybot.instance``), or to this one but is not among its live runs and is
over a minute old (so a run between "created" and "tracked" is never swept). A second bot
sharing the engine and label therefore keeps its live runs.
Containers without the label, or with another owner's value, are never touched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from docker.errors import APIError, NotFound

from bot.sandbox.engine import Engine, EngineUnavailable
from bot.sandbox.policy import LABEL, LABEL_DEADLINE, LABEL_INSTANCE

log = logging.getLogger(__name__)


class Sweeper:
    def __init__(self, engine: Engine, owner: str, instance: str, active: set[str], interval: float) -> None:
        self.engine = engine
        self.owner = owner
        self.instance = instance
        self.active = active
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """Remove leftovers now; return how many were removed. Raises EngineUnavailable."""

        def leftovers(client: Any) -> list[str]:
            found = client.containers(all=True, filters={"label": f"{LABEL}={self.owner}"})
            now = time.time()
            ids = []
            for container in found:
                if container["Id"] in self.active:
                    continue
                labels = container.get("Labels") or {}
                if labels.get(LABEL) != self.owner:
                    continue  # belt and braces: the filter already asked for this
                try:
                    deadline = float(labels.get(LABEL_DEADLINE, "0"))
                except ValueError:
                    deadline = 0.0
                stopped = container.get("State") != "running"
                ours = labels.get(LABEL_INSTANCE) == self.instance
                old = float(container.get("Created") or 0) < now - 60
                if deadline < now or (stopped and (not ours or old)):
                    ids.append(container["Id"])
            return ids

        removed = 0
        for container_id in await self.engine.call(leftovers):
            try:
                await self.engine.call(lambda c, cid=container_id: c.remove_container(cid, force=True))
                removed += 1
            except NotFound:
                pass
            except APIError as exc:
                log.warning("sweeper could not remove %s: %s", container_id[:12], exc)
        if removed:
            log.info("sweeper removed %d leftover container(s)", removed)
        return removed

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="sandbox sweeper")

    async def _loop(self) -> None:
        while True:
            try:
                await self.sweep()
            except EngineUnavailable:
                log.info("sweeper: engine unavailable, will try again")
            except Exception:
                log.exception("sweeper failed")
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
