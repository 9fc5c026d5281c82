"""One run: create the container, stream its output up to the cap, enforce the wall clock, read
how it ended, and remove it on every path (success, timeout, error, cancellation, shutdown)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from docker.errors import APIError, DockerException, NotFound

from bot.sandbox.engine import Engine, EngineError, EngineUnavailable
from bot.sandbox.output import OutputBuffer
from bot.sandbox.policy import RUNSC, Limits, container_request
from bot.sandbox.results import RunResult

log = logging.getLogger(__name__)

KILL_GRACE = 5.0  # seconds to wait for the output stream to end after a kill
REMOVE_RETRY_EVERY = 2.0
REMOVE_RETRY_FOR = 120.0


class Runner:
    """Runs containers and owns their removal. :meth:`close` kills and removes whatever is left."""

    def __init__(self, engine: Engine, owner: str, instance: str) -> None:
        self.engine = engine
        self.owner = owner
        self.instance = instance
        self.active: set[str] = set()  # containers created and not yet removed
        self._cleanups: set[asyncio.Task[None]] = set()
        self._closing = False

    async def run(self, image: str, argv: list[str], limits: Limits, runtime: str) -> RunResult:
        """Run ``argv`` in ``image``. Raises EngineUnavailable / EngineError; never leaves a container."""
        request = container_request(image, argv, limits, runtime, self.owner, self.instance)
        container_id: str | None = None
        try:
            container_id = await self._create(request)
            return await self._attach_and_run(container_id, limits, runtime)
        except NotFound as exc:
            # Gone between two calls: removed by someone else, or the engine lost it in a restart.
            raise EngineError("the container disappeared before the run ended") from exc
        except (APIError, DockerException) as exc:
            # Whatever the engine answers at create, attach, start or wait becomes one clear refusal.
            raise EngineError(_engine_reason(exc)) from exc
        finally:
            if container_id is not None:
                self._schedule_removal(container_id)

    async def _create(self, request: dict[str, Any]) -> str:
        if self._closing:
            raise EngineError("shutting down")

        def create(client: Any) -> str:
            host_config = client.create_host_config(**request["host"])
            return str(client.create_container(host_config=host_config, **request["create"])["Id"])

        container_id = await self.engine.call(create)
        self.active.add(container_id)
        return container_id

    async def _attach_and_run(self, container_id: str, limits: Limits, runtime: str) -> RunResult:
        buffer = OutputBuffer(limits.output_bytes)
        stopped_for_output = False

        def attach(client: Any) -> Any:
            return client.attach(container_id, stdout=True, stderr=True, stream=True, logs=False)

        stream = await self.engine.call(attach)
        try:
            await self.engine.call(lambda c: c.start(container_id))
        except BaseException:
            stream.close()
            raise
        started = time.monotonic()
        ended_at: list[float] = []

        def drain() -> None:
            nonlocal stopped_for_output
            try:
                for chunk in stream:
                    if buffer.truncated:
                        continue  # already stopping; discard what is still in flight
                    if buffer.feed(chunk):
                        stopped_for_output = True
                        # Kill from another thread and keep draining: the engine only marks the
                        # container stopped once its output stream has been read to the end.
                        self.engine.submit(self._kill_quietly, container_id)
            except Exception as exc:  # the connection broke (engine restart): the wait below reports it
                log.debug("output stream of %s ended: %r", container_id[:12], exc)
            finally:
                ended_at.append(time.monotonic())
                stream.close()

        reader = asyncio.ensure_future(self.engine.in_thread(drain))
        # On cancellation the caller's removal (force) ends the container, and with it the reader.
        timed_out = False
        done, _ = await asyncio.wait({reader}, timeout=limits.timeout)
        if not done:
            timed_out = True
            await self.engine.in_thread(self._kill_quietly, container_id)
            done, _ = await asyncio.wait({reader}, timeout=KILL_GRACE)
            if not done:
                stream.close()
        state = await self._final_state(container_id)
        duration = (ended_at[0] if ended_at else time.monotonic()) - started
        if stopped_for_output and not state.get("OOMKilled"):
            log.info("run %s stopped at the output cap", container_id[:12])
        exit_code = int(state.get("ExitCode", -1))
        stopped_by_us = timed_out or stopped_for_output
        oom = bool(state.get("OOMKilled"))
        if not oom and runtime == RUNSC and exit_code == 137 and not stopped_by_us:
            oom = await self._oom_event_seen(container_id, state)
        return RunResult(
            exit_code=exit_code,
            duration=min(duration, limits.timeout) if timed_out else duration,
            runtime=runtime,
            output=buffer.data,
            timed_out=timed_out,
            oom_killed=oom,
            truncated=buffer.truncated,
        )

    async def _final_state(self, container_id: str) -> dict[str, Any]:
        def wait_and_inspect(client: Any) -> dict[str, Any]:
            client.wait(container_id, timeout=KILL_GRACE + 5)
            state = client.inspect_container(container_id)["State"]
            if state.get("Running"):
                raise EngineError("container still running after its wait ended")
            return dict(state)

        try:
            return await self.engine.call(wait_and_inspect)
        except NotFound as exc:
            # Removed behind our back: an engine restart, or shutdown while we waited.
            raise EngineUnavailable("container vanished") from exc
        except APIError as exc:
            raise EngineError(str(exc)) from exc

    async def _oom_event_seen(self, container_id: str, state: dict[str, Any]) -> bool:
        """Under gVisor the engine's ``oom`` event can come after the exit, so ``OOMKilled`` may not be set
        yet when we inspect. Look again for a moment, and in the engine's event log; a SIGKILL with neither
        is not reported as memory (a program can kill itself with ``kill -9 $$``)."""

        def look(client: Any) -> bool:
            if client.inspect_container(container_id)["State"].get("OOMKilled"):
                return True
            events = client.events(
                since=int(time.time() - KILL_GRACE - 60), until=f"{time.time():.9f}",  # up to now: no waiting
                decode=True, filters={"container": container_id, "event": "oom"},
            )
            try:
                return any(True for _ in events)
            finally:
                events.close()

        for attempt in range(3):
            if self._closing:
                return False  # shutting down: the run ends as "restarting", whatever killed it
            if attempt:
                await asyncio.sleep(0.2)
            try:
                if await self.engine.call(look, quick=True):
                    return True
            except (APIError, EngineUnavailable, DockerException):
                return False
        return False

    def _kill_quietly(self, container_id: str) -> None:
        """Kill from any thread; 'not running' and 'no such container' are fine."""
        with contextlib.suppress(APIError, EngineUnavailable):
            self.engine.blocking(lambda c: c.kill(container_id))

    # removal -----------------------------------------------------------------------------------

    def _schedule_removal(self, container_id: str) -> None:
        """Remove in the background so the reply is not held up; tracked until done, awaited at close."""
        task = asyncio.get_running_loop().create_task(self._remove(container_id))
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def _remove(self, container_id: str) -> None:
        deadline = time.monotonic() + REMOVE_RETRY_FOR
        while True:
            try:
                await self.engine.call(lambda c: c.remove_container(container_id, force=True))
                break
            except NotFound:
                break
            except APIError as exc:
                if "already in progress" in str(exc):
                    break
                log.warning("could not remove %s: %s", container_id[:12], exc)
            except EngineUnavailable:
                pass  # the engine is restarting: try again shortly, then leave it to the sweeper
            if time.monotonic() > deadline:
                log.warning("gave up removing %s; the sweeper will", container_id[:12])
                break
            await asyncio.sleep(REMOVE_RETRY_EVERY)
        self.active.discard(container_id)

    async def settle(self) -> None:
        """Wait until every scheduled removal has finished (used by shutdown, tests, benchmarks)."""
        while self._cleanups:
            await asyncio.gather(*list(self._cleanups), return_exceptions=True)

    async def close(self) -> None:
        """Shutdown: refuse new runs, kill and remove every container this bot still has."""
        self._closing = True
        for container_id in list(self.active):
            self._schedule_removal(container_id)
        try:
            await asyncio.wait_for(self.settle(), timeout=15)
        except TimeoutError:
            log.warning("shutdown left %d container(s) to the next start's sweep", len(self.active))


def _engine_reason(exc: BaseException) -> str:
    """The engine's own short explanation, without the SDK's URL noise."""
    reason = getattr(exc, "explanation", None) or str(exc) or exc.__class__.__name__
    return str(reason)[:300]
