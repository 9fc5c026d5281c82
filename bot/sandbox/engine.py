"""The Docker engine, reached through the Docker SDK without ever blocking the event loop.

Every SDK call runs on a dedicated thread pool (so a slow engine cannot starve the default
executor other features use). The client is made lazily from the environment
(``DOCKER_HOST``, ``DOCKER_TLS_VERIFY``, ``DOCKER_CERT_PATH``) and made again after a failure,
so the bot starts, and keeps answering, when the engine is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
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

QUICK_TIMEOUT = 2.0  # pings and lookups: "engine down" must be answered within 2 s
CALL_TIMEOUT = 30.0  # create/start/remove on a busy engine


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return True
    return isinstance(exc, ConnectionError | FileNotFoundError | TimeoutError)


class Engine:
    """A thread-safe, lazily connected pair of low-level clients (quick and regular timeouts)."""

    def __init__(self, *, workers: int = 8, environment: dict[str, str] | None = None) -> None:
        self._environment = environment
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox")
        self._lock = threading.Lock()
        self._clients: tuple[APIClient, APIClient] | None = None
        self._runtimes: frozenset[str] | None = None

    # clients ----------------------------------------------------------------------------------------

    def _make_clients(self) -> tuple[APIClient, APIClient]:
        with self._lock:
            if self._clients is None:
                kwargs = docker.utils.kwargs_from_env(environment=self._environment)
                # The version is negotiated once, with the quick timeout, then shared.
                quick = APIClient(timeout=QUICK_TIMEOUT, version="auto", **kwargs)
                regular = APIClient(timeout=CALL_TIMEOUT, version=quick.api_version, **kwargs)
                self._clients = (quick, regular)
            return self._clients

    def _forget_clients(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, None
            self._runtimes = None
        for client in clients or ():
            with contextlib.suppress(Exception):  # closing a broken client is best effort
                client.close()

    def blocking(self, fn: Callable[..., T], *args: Any, quick: bool = False, **kwargs: Any) -> T:
        """Call ``fn(client, *args, **kwargs)`` on this thread, mapping connection failures."""
        try:
            quick_client, regular = self._make_clients()
        except DockerException as exc:  # the version handshake failed: nothing answers there
            raise EngineUnavailable(str(exc)) from exc
        try:
            return fn(quick_client if quick else regular, *args, **kwargs)
        except (NotFound, APIError):
            raise
        except Exception as exc:
            if _is_connection_error(exc):
                self._forget_clients()
                raise EngineUnavailable(str(exc)) from exc
            raise

    async def call(self, fn: Callable[..., T], *args: Any, quick: bool = False, **kwargs: Any) -> T:
        """Run ``fn(client, …)`` on the engine thread pool and await it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(self.blocking, fn, *args, quick=quick, **kwargs)
        )

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a plain blocking function (a stream reader) on the engine thread pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Fire and forget ``fn(*args)`` on the engine thread pool (from any thread)."""
        self._executor.submit(fn, *args)

    # small helpers ----------------------------------------------------------------------------------

    async def ping(self) -> bool:
        try:
            return bool(await self.call(lambda c: c.ping(), quick=True))
        except (EngineUnavailable, APIError, DockerException):
            return False

    async def runtimes(self) -> frozenset[str]:
        """Runtimes the engine has (``runc``, ``runsc`` …), asked once per connection."""
        if self._runtimes is None:
            info = await self.call(lambda c: c.info(), quick=True)
            self._runtimes = frozenset((info.get("Runtimes") or {}).keys())
        return self._runtimes

    async def has_image(self, name: str) -> bool:
        try:
            await self.call(lambda c: c.inspect_image(name), quick=True)
        except NotFound:
            return False
        return True

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._forget_clients()
