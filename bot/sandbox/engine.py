"""The Docker engine, reached through the Docker SDK without ever blocking the event loop.

Every SDK call runs on a thread pool of the sandbox's own (so a slow engine cannot starve the default
executor other features use), and there are three of them, so that one kind of work never waits
behind another: quick calls (pings, image and state look-ups, each at most :data:`QUICK_TIMEOUT`),
runs (create, start, the output readers, wait, remove) and pulls (a small pool of their own, each
pull on its own connection whose read timeout is the pull time limit, so a stalled registry frees
its thread by then at the latest). The client is made lazily from the environment (``DOCKER_HOST``,
``DOCKER_TLS_VERIFY``, ``DOCKER_CERT_PATH``) and made again after a failure, so the bot starts, and
keeps answering, when the engine is down. An engine that accepts connections but never answers
costs one :data:`QUICK_TIMEOUT`, not one per waiting caller: callers that waited for a connection
attempt that failed (or that failed a moment ago) fail at once with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import docker
import requests
from docker import APIClient
from docker.errors import APIError, DockerException, NotFound

from bot.sandbox.errors import EngineError, EngineUnavailable

log = logging.getLogger(__name__)

__all__ = ["Engine", "EngineError", "EngineUnavailable"]

T = TypeVar("T")

QUICK_TIMEOUT = 1.5  # pings and lookups: "engine down" must be answered within 2 s
CALL_TIMEOUT = 30.0  # create/start/remove on a busy engine
FAIL_FAST_FOR = 1.0  # after a failed connection, callers in this window fail at once with it
QUICK_WORKERS = 8
PULL_WORKERS = 2


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return True
    return isinstance(exc, ConnectionError | FileNotFoundError | TimeoutError)


class Engine:
    """A thread-safe, lazily connected pair of low-level clients (quick and regular timeouts)."""

    def __init__(self, *, workers: int = 8, environment: dict[str, str] | None = None) -> None:
        self._environment = environment
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox")
        self._quick = ThreadPoolExecutor(max_workers=QUICK_WORKERS, thread_name_prefix="sandbox-quick")
        self._pulls = ThreadPoolExecutor(max_workers=PULL_WORKERS, thread_name_prefix="sandbox-pull")
        self._lock = threading.Lock()
        self._clients: tuple[APIClient, APIClient] | None = None
        self._info: dict[str, Any] | None = None  # `docker info`, asked once per connection
        self._failed: tuple[float, str] | None = None  # when the last connection failed, and why

    # clients ----------------------------------------------------------------------------------------

    def _make_clients(self) -> tuple[APIClient, APIClient]:
        asked = time.monotonic()
        with self._lock:
            if self._clients is None:
                failed = self._failed
                if failed is not None and failed[0] >= asked - FAIL_FAST_FOR:
                    # A connection failed while we waited for the lock, or a moment ago: same answer.
                    raise EngineUnavailable(failed[1])
                kwargs = docker.utils.kwargs_from_env(environment=self._environment)
                # The version is negotiated once, with the quick timeout, then shared.
                try:
                    quick = APIClient(timeout=QUICK_TIMEOUT, version="auto", **kwargs)
                except DockerException as exc:  # the version handshake failed: nothing answers there
                    self._failed = (time.monotonic(), str(exc))
                    raise EngineUnavailable(str(exc)) from exc
                regular = APIClient(timeout=CALL_TIMEOUT, version=quick.api_version, **kwargs)
                self._clients = (quick, regular)
                self._failed = None
            return self._clients

    def _forget_clients(self, reason: str = "") -> None:
        with self._lock:
            clients, self._clients = self._clients, None
            self._info = None
            if reason:
                self._failed = (time.monotonic(), reason)
        for client in clients or ():
            with contextlib.suppress(Exception):  # closing a broken client is best effort
                client.close()

    def blocking(self, fn: Callable[..., T], *args: Any, quick: bool = False, **kwargs: Any) -> T:
        """Call ``fn(client, *args, **kwargs)`` on this thread, mapping connection failures."""
        quick_client, regular = self._make_clients()
        try:
            return fn(quick_client if quick else regular, *args, **kwargs)
        except (NotFound, APIError):
            raise
        except Exception as exc:
            if _is_connection_error(exc):
                self._forget_clients(str(exc) or exc.__class__.__name__)
                raise EngineUnavailable(str(exc)) from exc
            raise

    async def call(self, fn: Callable[..., T], *args: Any, quick: bool = False, **kwargs: Any) -> T:
        """Run ``fn(client, …)`` on the quick or the run thread pool and await it."""
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(
                self._quick if quick else self._executor,
                functools.partial(self.blocking, fn, *args, quick=quick, **kwargs),
            )
        except RuntimeError as exc:  # the pools are shut down: the sandbox is closing
            raise EngineUnavailable("the sandbox is shutting down") from exc
        return await future

    async def pull_call(self, fn: Callable[[APIClient, float], T], deadline: float) -> T:
        """Run ``fn(client, read_timeout)`` on the pull pool, with a client (a connection) of its own whose
        every read gives up by ``deadline`` (``time.monotonic()``) at the latest: a pull abandoned by its
        caller at that deadline ends then, even one that waited for a thread of the pool."""

        def pull() -> T:
            read_timeout = max(0.05, deadline - time.monotonic())
            quick_client, _ = self._make_clients()
            kwargs = docker.utils.kwargs_from_env(environment=self._environment)
            client = APIClient(timeout=read_timeout, version=quick_client.api_version, **kwargs)
            try:
                return fn(client, read_timeout)
            except (NotFound, APIError):
                raise
            except Exception as exc:
                if _is_connection_error(exc):
                    raise EngineUnavailable(str(exc)) from exc
                raise
            finally:
                with contextlib.suppress(Exception):
                    client.close()

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pulls, pull)

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a plain blocking function (a stream reader) on the engine thread pool."""
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._executor, functools.partial(fn, *args))
        except RuntimeError as exc:  # the pools are shut down: the sandbox is closing
            raise EngineUnavailable("the sandbox is shutting down") from exc
        return await future

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Fire and forget ``fn(*args)`` on the engine thread pool (from any thread)."""
        with contextlib.suppress(RuntimeError):  # shut down: the closing sandbox removes the container
            self._executor.submit(fn, *args)

    # small helpers ----------------------------------------------------------------------------------

    async def ping(self) -> bool:
        try:
            return bool(await self.call(lambda c: c.ping(), quick=True))
        except (EngineUnavailable, APIError, DockerException):
            return False

    async def info(self) -> dict[str, Any]:
        """The engine's ``docker info``, asked once per connection."""
        if self._info is None:
            self._info = await self.call(lambda c: c.info(), quick=True)
        return self._info

    async def runtimes(self) -> frozenset[str]:
        """Runtimes the engine has (``runc``, ``runsc`` …)."""
        return frozenset(((await self.info()).get("Runtimes") or {}).keys())

    async def node_name(self) -> str:
        """The engine's host name (on a Swarm, the node's), or "" when the engine does not say."""
        try:
            return str((await self.info()).get("Name") or "")
        except (EngineUnavailable, APIError, DockerException):
            return ""

    async def has_image(self, name: str) -> bool:
        try:
            await self.call(lambda c: c.inspect_image(name), quick=True)
        except NotFound:
            return False
        return True

    def close(self) -> None:
        for pool in (self._executor, self._quick, self._pulls):
            pool.shutdown(wait=False, cancel_futures=True)
        self._forget_clients()
