"""Pulling allowed images: once per image however many people ask (single flight), with a time
limit and progress that callers can show while they wait.

Pulls run on the engine's small pull pool (:meth:`~bot.sandbox.engine.Engine.pull_call`), never on the
threads pings and runs use. At the time limit a pull is abandoned for good: its thread stops at the
next progress line, or when the connection's read timeout (the same limit) ends a stalled request,
and closing the connection makes the engine cancel the pull."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from docker import auth

from bot.sandbox.engine import Engine
from bot.sandbox.errors import EngineUnavailable, PullFailed, PullTimedOut
from bot.sandbox.images import ImageRef
from bot.sandbox.results import PullProgress

log = logging.getLogger(__name__)

__all__ = ["PullFailed", "PullProgress", "PullTimedOut", "Puller"]


ProgressListener = Callable[[PullProgress], None]
# A pull that gets a thread with less time than this (or a quarter of its limit) left is not started.
MIN_PULL_SECONDS = 0.5


@dataclass(slots=True)
class _Flight:
    task: asyncio.Task[None]
    progress: PullProgress
    listeners: list[ProgressListener]


def _pull_stream(client: Any, ref: ImageRef, read_timeout: float) -> Iterator[dict[str, Any]]:
    """``APIClient.pull(stream=True)``, but with a read timeout: the SDK's own sends ``timeout=None``, so
    a registry that stalls would hold the thread for as long as the engine waits."""
    headers = {}
    registry, _ = auth.resolve_repository_name(ref.repository)
    header = auth.get_config_header(client, registry)
    if header:
        headers["X-Registry-Auth"] = header
    params = {"fromImage": ref.repository, "tag": ref.digest or ref.tag}
    response = client._post(  # the public pull() sends timeout=None
        client._url("/images/create"), params=params, headers=headers, stream=True, timeout=read_timeout
    )
    client._raise_for_status(response)
    return client._stream_helper(response, decode=True)  # type: ignore[no-any-return]


class Puller:
    def __init__(self, engine: Engine, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self._flights: dict[str, _Flight] = {}
        self.pulls_started = 0  # how many engine pulls began (single flight makes this 1 per image)

    async def ensure(self, ref: ImageRef, listener: ProgressListener | None = None, *, missing: bool = False) -> bool:
        """Make sure ``ref`` is present; True when it had to be pulled (``missing``: the caller has just
        looked). Raises :class:`PullFailed` or :class:`~bot.sandbox.engine.EngineUnavailable`."""
        if not missing and await self.engine.has_image(ref.engine_name):
            return False
        flight = self._flights.get(ref.engine_name)
        if flight is None:
            progress = PullProgress()
            task = asyncio.create_task(self._pull(ref, progress), name=f"pull {ref.engine_name}")
            flight = _Flight(task, progress, [])
            self._flights[ref.engine_name] = flight
            task.add_done_callback(lambda _t, key=ref.engine_name: self._flights.pop(key, None))
        if listener is not None:
            flight.listeners.append(listener)
            listener(flight.progress)
        try:
            await asyncio.shield(flight.task)  # one caller giving up does not stop the shared pull
        finally:
            if listener is not None and listener in flight.listeners:
                flight.listeners.remove(listener)
        return True

    async def _pull(self, ref: ImageRef, progress: PullProgress) -> None:
        self.pulls_started += 1
        loop = asyncio.get_running_loop()
        layers: dict[str, tuple[int, int, bool]] = {}
        flight_key = ref.engine_name

        def on_event(event: dict[str, object]) -> None:
            # Called on the event loop for every progress line from the engine.
            layer = str(event.get("id") or "")
            status = str(event.get("status") or "")
            detail = event.get("progressDetail") or {}
            if layer and isinstance(detail, dict) and detail.get("total"):
                current, total = int(detail.get("current") or 0), int(detail.get("total") or 0)
                layers[layer] = (current, total, layers.get(layer, (0, 0, False))[2])
            if layer and status in ("Pull complete", "Already exists"):
                current, total, _ = layers.get(layer, (0, 0, False))
                layers[layer] = (total, total, True)
            elif layer and layer not in layers and status.startswith("Pulling fs layer"):
                layers[layer] = (0, 0, False)
            progress.layers = len(layers)
            progress.layers_done = sum(1 for *_, done in layers.values() if done)
            progress.total_bytes = sum(total for _, total, _ in layers.values())
            progress.done_bytes = sum(current for current, _, _ in layers.values())
            flight = self._flights.get(flight_key)
            for listener in list(flight.listeners if flight else ()):
                listener(progress)

        abandoned = threading.Event()

        def pull_blocking(client: object, read_timeout: float) -> None:
            if abandoned.is_set() or deadline - time.monotonic() < min(MIN_PULL_SECONDS, self.timeout / 4):
                # Given up while it waited for a pull thread, or as good as: the caller has its answer (or will
                # in a moment), and a pull started now would only make the engine ask the registry for nothing.
                raise PullTimedOut(f"{self.timeout:.0f} s", ref.short, self.timeout)
            began = time.monotonic()
            try:
                stream = _pull_stream(client, ref, read_timeout)
                try:
                    for event in stream:
                        if abandoned.is_set():
                            raise PullTimedOut(f"{self.timeout:.0f} s", ref.short, self.timeout)
                        if "error" in event:
                            raise PullFailed(str(event.get("error"))[:300], ref.short)
                        loop.call_soon_threadsafe(on_event, event)
                finally:
                    with contextlib.suppress(Exception):
                        stream.close()
            finally:
                log.debug("pull thread for %s done after %.2f s", ref.engine_name, time.monotonic() - began)

        started = time.monotonic()
        deadline = started + self.timeout
        future = asyncio.ensure_future(self.engine.pull_call(pull_blocking, deadline))
        done, _ = await asyncio.wait({future}, timeout=self.timeout)
        if not done:
            abandoned.set()
            future.cancel()  # still queued for a pull thread: never starts
            future.add_done_callback(lambda f: f.exception() if not f.cancelled() else None)
            raise PullTimedOut(f"{self.timeout:.0f} s", ref.short, self.timeout)
        try:
            future.result()
        except (PullFailed, EngineUnavailable):  # PullTimedOut is a PullFailed
            raise
        except Exception as exc:
            explanation = getattr(exc, "explanation", None) or str(exc)
            raise PullFailed(str(explanation)[:300], ref.short) from exc
        log.info("pulled %s in %.1f s", ref.engine_name, time.monotonic() - started)

    async def prefetch(self, refs: list[ImageRef]) -> None:
        """Pull each missing image in turn; failures are logged, never raised (runs at start-up)."""
        for ref in refs:
            try:
                if await self.ensure(ref):
                    log.info("prefetched %s", ref.canonical)
            except (PullFailed, EngineUnavailable) as exc:
                log.warning("could not prefetch %s: %s", ref.canonical, exc)
            except Exception:
                log.exception("could not prefetch %s", ref.canonical)
