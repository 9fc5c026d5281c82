"""Removing leftovers: containers carrying this bot's label whose run is over.

They come from a crash or a kill -9 of an earlier process. Every sandbox container carries a
deadline label (created + wall clock + :data:`~bot.sandbox.policy.DEADLINE_GRACE`); its run, however
slow the engine, is over by then. A container is swept only once that deadline has passed, whichever
instance (``studybot.instance``) made it. Before it, nothing is touched, so several bots and runners on
one engine (``--scale runner=N``) never remove each other's live runs, between create and start or
between exit and inspect. A container without a readable deadline (an older version's) counts as
past it :data:`UNLABELLED_AGE` seconds after it was created.
Containers without the label, or with another owner's value, are never touched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from docker.errors import APIError, NotFound

from bot.sandbox.engine import Engine, EngineUnavailable
from bot.sandbox.policy import LABEL, LABEL_DEADLINE

log = logging.getLogger(__name__)

UNLABELLED_AGE = 600.0


def past_deadline(labels: dict[str, str], created: object, now: float) -> bool:
    """Whether a labelled container's run is certainly over (see the module docstring)."""
    try:
        deadline = float(labels[LABEL_DEADLINE])
    except (KeyError, TypeError, ValueError):
        try:
            deadline = float(created or 0) + UNLABELLED_AGE  # type: ignore[arg-type]
        except (TypeError, ValueError):
            deadline = 0.0
    return deadline < now


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
                    continue  # ours and live: the runner removes it itself
                labels = container.get("Labels") or {}
                if labels.get(LABEL) != self.owner:
                    continue  # belt and braces: the filter already asked for this
                if past_deadline(labels, container.get("Created"), now):
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
                if "already in progress" not in str(exc):  # another sweeper got there first: fine
                    log.warning("sweeper could not remove %s: %s", container_id[:12], exc)
        if removed:
            log.info("sweeper removed %d leftover container(s)", removed)
        return removed

    @property
    def started(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        self._task = asyncio.create_task(every(self.interval, self.sweep, "sweeper"), name="sandbox sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None


async def every(interval: float, work: Callable[[], Awaitable[int]], what: str) -> None:
    """``work`` now and every ``interval`` seconds, through engine outages and failures (the sweepers' loop)."""
    while True:
        try:
            await work()
        except EngineUnavailable:
            log.info("%s: engine unavailable, will try again", what)
        except Exception:
            log.exception("%s failed", what)
        await asyncio.sleep(interval)
