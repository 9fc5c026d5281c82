"""The sandbox service: one per process that owns the Docker connection (the bot in embedded mode,
or ``python -m bot runner``). It owns the engine connection, the queue, pulls, runs and the
sweeper, enforces the whole policy in :meth:`Sandbox.execute`, and takes it all down at shutdown.

:class:`~bot.sandbox.port.SandboxService` is the small interface ``bot.run.command`` talks to;
:class:`Sandbox` implements it in-process and :class:`bot.sandbox.client.RemoteSandbox` over HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid

from bot.config import SandboxSettings
from bot.sandbox.engine import Engine
from bot.sandbox.errors import (
    BadImage,
    EngineError,
    EngineLost,
    EngineUnavailable,
    ImageNotAllowed,
    RuntimeMissing,
    ShuttingDown,
    UnknownDigest,
)
from bot.sandbox.images import AllowList, ImageRef, ImageRefError, parse_allow_list, parse_reference
from bot.sandbox.lab.service import Lab
from bot.sandbox.lab.sweeper import LabSweeper
from bot.sandbox.policy import RUNC, RUNSC, Limits, max_running
from bot.sandbox.port import Finished, NoEvents, Placement, RunEvents, SandboxService, check_argv
from bot.sandbox.pulls import Puller
from bot.sandbox.queue import RunQueue
from bot.sandbox.runner import Runner, RunResult
from bot.sandbox.sweeper import Sweeper

log = logging.getLogger(__name__)

__all__ = ["Finished", "NoEvents", "RunEvents", "RuntimeMissing", "Sandbox", "SandboxService", "check_argv"]


class Sandbox:
    def __init__(self, settings: SandboxSettings, *, environment: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.allow_list: AllowList = parse_allow_list(settings.images)
        self.limits = Limits.from_settings(settings)
        limit = max_running(settings)
        self.instance = uuid.uuid4().hex[:12]
        # One reader thread per running container, plus room for short calls and a pull or two.
        self.engine = Engine(workers=2 * limit + 8, environment=environment)
        self.queue = RunQueue(limit, settings.max_queue, settings.cooldown)
        self.puller = Puller(self.engine, settings.pull_timeout)
        self.runner = Runner(self.engine, settings.owner, self.instance)
        self.sweeper = Sweeper(
            self.engine, settings.owner, self.instance, self.runner.active, settings.sweep_interval
        )
        # !docker's labs: the same engine, pulls and runtime rule; their own sweeper (idle labs).
        self.lab = Lab(self.engine, settings, self.allow_list, self.puller, self.runtime, on_use=self.start_sweeping)
        self.lab_sweeper = LabSweeper(self.lab, settings.sweep_interval)
        self._background: set[asyncio.Task[None]] = set()
        self._closing = False

    def start(self) -> None:
        """Start the background pulls (they neither block start-up nor fail it). The sweeper starts with the
        first run (:meth:`start_sweeping`), so a process that never runs a sandbox (``say``, ``index``, a
        console that only asks questions) never touches the engine's containers."""
        if self.settings.prefetch:
            task = asyncio.create_task(self.puller.prefetch(self.allow_list.pullable()), name="sandbox prefetch")
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def start_sweeping(self) -> None:
        """Sweep leftovers and idle labs now and every ``STUDYBOT_SANDBOX_SWEEP_INTERVAL`` seconds (idempotent;
        called by the first run and by the first lab command)."""
        if self._closing:
            return
        if not self.sweeper.started:
            self.sweeper.start()
        if not self.lab_sweeper.started and self.settings.lab_enabled:
            self.lab_sweeper.start()

    async def images(self) -> list[str]:
        return self.allow_list.shown()

    def check_image(self, text: str) -> ImageRef:
        """The allow-listed reference ``text`` names; raises BadImage / ImageNotAllowed."""
        shown = text[:80]
        try:
            ref = parse_reference(text)
        except ImageRefError as exc:
            raise BadImage(shown, exc.reason, self.allow_list.shown()) from None
        resolved = self.allow_list.resolve(ref)
        if resolved is None:
            raise ImageNotAllowed(shown, self.allow_list.shown())
        return resolved

    async def execute(self, image: str, argv: list[str], member: str, events: RunEvents | None = None) -> Finished:
        """The whole policy for one request, whoever asks: the allow-list, argv checks, one job per
        member and the cooldown, the pull, the queue, then the run under :attr:`limits`."""
        if self._closing:
            raise ShuttingDown
        ref = self.check_image(image)
        check_argv(argv)
        events = events or NoEvents()
        self.start_sweeping()
        async with self.queue.member(member):
            await self._present(ref, events)
            waiting_since = time.monotonic()
            async with self.queue.slot(events.queued):
                await events.started(time.monotonic() - waiting_since)
                try:
                    result = await self.run(ref, argv)
                except (EngineUnavailable, EngineError) as exc:
                    if self._closing:
                        raise ShuttingDown from exc
                    if isinstance(exc, EngineUnavailable):
                        raise EngineLost(str(exc)) from exc
                    raise
                if self._closing:  # stopped by the shutdown, not by its own doing
                    raise ShuttingDown
        placement = Placement(node=await self.engine.node_name(), runner=socket.gethostname())
        return Finished(ref.short, result, self.limits, placement)

    async def _present(self, ref: ImageRef, events: RunEvents) -> None:
        """Make sure the image is on the engine. A pull takes a place in the queue while it lasts (so
        pulls cannot pile up past ``STUDYBOT_SANDBOX_MAX_QUEUE``) and runs on the puller's own small pool. A digest
        the allow-list does not name is run only when the engine already has it: never pulled."""
        if await self.engine.has_image(ref.engine_name):
            return
        if ref.digest is not None and not self.allow_list.names_digest(ref):
            raise UnknownDigest(ref.short, self.allow_list.shown())
        async with self.queue.pending():
            started = time.monotonic()
            if await self.puller.ensure(ref, lambda progress: events.pulling(ref.short, progress), missing=True):
                await events.pulled(ref.short, time.monotonic() - started)

    async def runtime(self) -> str:
        """The runtime to use now, per the setting and what the engine has. Raises RuntimeMissing."""
        wanted = self.settings.runtime
        if wanted == RUNC:
            return RUNC
        available = await self.engine.runtimes()
        if RUNSC in available:
            return RUNSC
        if wanted == RUNSC:
            raise RuntimeMissing(RUNSC)
        return RUNC

    async def run(self, ref: ImageRef, argv: list[str]) -> RunResult:
        runtime = await self.runtime()
        return await self.runner.run(ref.engine_name, argv, self.limits, runtime)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.sweeper.stop()
        await self.lab_sweeper.stop()
        await self.runner.close()
        self.engine.close()
