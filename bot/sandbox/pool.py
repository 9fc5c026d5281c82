"""The bot's runners: every address its ``STUDYBOT_SANDBOX_URL`` names, kept fresh and health checked, and
the least busy healthy one chosen for each run.

Each URL's host name is resolved to all its addresses, again every few seconds, and each address is one
runner: on a Swarm, ``tasks.runner`` (or ``runner`` with ``endpoint_mode: dnsrr``) lists one address per
runner task; with compose, the service name lists every container; a comma-separated list of URLs names
runners one by one. "Least busy" counts the runs this bot has in flight on each runner, against the number
of runs at once the runner reports on ``/healthz``.

A runner is given up (its runs in flight end with :class:`~bot.sandbox.errors.RunnerLost`) only when
connections to it fail twice in a row, never merely because its name stopped listing it: a runner that is
being stopped for an update leaves the name first and still finishes the runs it has.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bot.sandbox.errors import EngineUnavailable, RunnerLost, RunnerUnavailable, SandboxRefusal, ShuttingDown
from bot.sandbox.protocol import HEALTH_PATH

log = logging.getLogger(__name__)

T = TypeVar("T")

REFRESH_INTERVAL = 5.0  # seconds between name look-ups and health checks
CONNECT_TIMEOUT = 1.5  # "the runner is down" must be answered within 2 s
HEALTH_TIMEOUT = 3.0  # a runner's /healthz asks its engine, which may be slow under load
RESOLVE_TIMEOUT = 2.0
GONE_AFTER = 2  # failed connections in a row before a runner counts as vanished
# What an unhealthy runner's /healthz status means for a member (anything else: "not reachable").
HEALTH_PROBLEMS: dict[str, Callable[[], SandboxRefusal]] = {
    "engine_unreachable": lambda: EngineUnavailable("the runner's engine is unreachable"),
    "shutting_down": ShuttingDown,
}


@dataclass(eq=False)
class Endpoint:
    """One runner at one address. ``base`` is the URL requests go to: the configured one with the address
    in place of the name (``host`` keeps the name for the Host header and, over https, the certificate)."""

    key: str
    base: str
    address: str  # "10.0.1.5:8080", as shown to managers and in logs
    host: str
    server_name: str | None  # TLS server name (https only)
    listed: bool = True  # its name still resolves to it
    healthy: bool = False
    limit: int = 1  # runs at once, as the runner reports it
    node: str = ""  # the engine's node, as the runner reports it (runners on one node share an engine)
    in_flight: int = 0  # this bot's requests on it now
    failures: int = 0  # failed connections in a row
    last_pick: int = 0
    problem: SandboxRefusal | None = None  # why it is not usable, as a member would be told
    gone: asyncio.Event = field(default_factory=asyncio.Event)  # set once it vanished

    @property
    def usable(self) -> bool:
        return self.listed and self.healthy and not self.gone.is_set()

    def options(self) -> dict[str, Any]:
        """Keyword arguments for an aiohttp request to this runner."""
        options: dict[str, Any] = {"headers": {"Host": self.host}}
        if self.server_name:
            options["server_hostname"] = self.server_name
        return options


class RunnerPool:
    """The runners behind ``urls``, with this bot's runs in flight on each. ``on_capacity`` is told the
    runs-at-once of all healthy runners after every refresh (the bot's queue sizes itself by it)."""

    def __init__(
        self,
        urls: list[str],
        session: Callable[[], aiohttp.ClientSession],
        on_capacity: Callable[[int], None],
        interval: float = REFRESH_INTERVAL,
    ) -> None:
        self.urls = urls
        self.endpoints: dict[str, Endpoint] = {}
        self.interval = interval
        self._session = session
        self._on_capacity = on_capacity
        self._lock = asyncio.Lock()
        self._refreshed_at: float | None = None
        self._picks = itertools.count(1)
        self._loop: asyncio.Task[None] | None = None
        self._shown: tuple[int, frozenset[str]] | None = None

    # choosing ------------------------------------------------------------------------------------

    async def pick(self, tried: set[str]) -> Endpoint | None:
        """The least busy healthy runner not in ``tried``, counted in flight until :meth:`release`; None when
        there is none, even after looking again."""
        candidates = await self._candidates_now(tried)
        if not candidates:
            return None
        # Busy relative to the runner's size; among equals, the one picked longest ago (round robin).
        chosen = min(candidates, key=lambda e: (e.in_flight / e.limit, e.in_flight, e.last_pick))
        chosen.last_pick = next(self._picks)
        chosen.in_flight += 1
        return chosen

    async def pick_for(self, key: str, tried: set[str]) -> Endpoint | None:
        """The healthy runner not in ``tried`` that ``key`` (a lab) belongs to, counted in flight until
        :meth:`release`; None when there is none. Rendezvous hashing: the same runner (the same node first)
        while it stays healthy, whatever other runners come and go, since a lab lives on one engine."""
        candidates = await self._candidates_now(tried)
        if not candidates:
            return None
        chosen = max(candidates, key=lambda e: (_score(key, e.node or e.key), _score(key, e.key)))
        chosen.in_flight += 1
        return chosen

    def release(self, endpoint: Endpoint) -> None:
        endpoint.in_flight -= 1
        if not endpoint.listed and endpoint.in_flight == 0 and self.endpoints.get(endpoint.key) is endpoint:
            del self.endpoints[endpoint.key]

    async def available(self) -> bool:
        """Whether some runner is healthy, looking again when none was."""
        return bool(await self._candidates_now(set()))

    def capacity(self) -> int:
        return sum(e.limit for e in self.endpoints.values() if e.usable)

    def problem(self) -> SandboxRefusal:
        """Why no runner takes runs now: their engine being down or their stopping, when a runner said so,
        rather than "unreachable"."""
        problems = [e.problem for e in self.endpoints.values() if e.listed and e.problem is not None]
        for kind in (EngineUnavailable, ShuttingDown):
            for problem in problems:
                if isinstance(problem, kind):
                    return problem
        return RunnerUnavailable("no sandbox runner answers its health check")

    async def _candidates_now(self, tried: set[str]) -> list[Endpoint]:
        self._start()
        candidates = self._candidates(tried)
        if not candidates:
            await self.refresh()
            candidates = self._candidates(tried)
        return candidates

    def _candidates(self, tried: set[str]) -> list[Endpoint]:
        return [e for e in self.endpoints.values() if e.usable and e.key not in tried]

    # what requests learn ---------------------------------------------------------------------------

    def failed(self, endpoint: Endpoint, problem: SandboxRefusal) -> None:
        """A request to ``endpoint`` did not start a run: no more runs go there until a health check says
        it is well again; a connection that failed counts towards the runner having vanished."""
        if isinstance(problem, RunnerUnavailable):
            self._connection_failed(endpoint)
        else:
            endpoint.healthy = False
            endpoint.problem = problem
        self._announce()

    async def guard(self, endpoint: Endpoint, work: Awaitable[T]) -> T:
        """``work`` (a request to ``endpoint``), given up with RunnerLost if the runner vanishes first."""
        task = asyncio.ensure_future(work)
        gone = asyncio.ensure_future(endpoint.gone.wait())
        try:
            await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if task.cancelled():
            lost = RunnerLost("the runner vanished")
            lost.address = endpoint.address
            raise lost
        return task.result()

    # keeping the list fresh --------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Look every name up again and health check every runner (callers arriving meanwhile share it)."""
        asked = asyncio.get_running_loop().time()
        async with self._lock:
            if self._refreshed_at is not None and self._refreshed_at >= asked:
                return
            found: dict[str, Endpoint] = {}
            for endpoints in await asyncio.gather(*(self._resolve(url) for url in self.urls)):
                for endpoint in endpoints:
                    found.setdefault(endpoint.key, endpoint)
            for key, endpoint in found.items():
                self.endpoints.setdefault(key, endpoint).listed = True
            for key, endpoint in list(self.endpoints.items()):
                if key not in found:
                    endpoint.listed = False
                    if endpoint.in_flight == 0:
                        del self.endpoints[key]
            await asyncio.gather(*(self._probe(e) for e in list(self.endpoints.values())))
            self._refreshed_at = asyncio.get_running_loop().time()
            self._announce()

    async def _resolve(self, url: str) -> list[Endpoint]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT
            )
        except (OSError, TimeoutError) as exc:  # socket.gaierror is an OSError
            log.debug("sandbox runner name %s does not resolve: %s", host, exc)
            return []
        # IPv4 when the name has any: a runner listening on both families must not count twice.
        v4 = [info[4][0] for info in infos if info[0] == socket.AF_INET]
        addresses = sorted(set(v4 or [info[4][0] for info in infos]))
        host_header = parts.netloc.rpartition("@")[2]
        endpoints = []
        for address in addresses:
            shown = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
            base = urlunsplit((parts.scheme, shown, parts.path, "", ""))
            server_name = host if parts.scheme == "https" else None
            endpoints.append(Endpoint(key=base, base=base, address=shown, host=host_header, server_name=server_name))
        return endpoints

    async def _probe(self, endpoint: Endpoint) -> None:
        timeout = aiohttp.ClientTimeout(total=HEALTH_TIMEOUT, connect=CONNECT_TIMEOUT)
        try:
            async with self._session().get(endpoint.base + HEALTH_PATH, timeout=timeout, **endpoint.options()) as r:
                body = await r.json(content_type=None)
                status = body.get("status") if isinstance(body, dict) else None
                if r.status != 200:
                    status = status or f"HTTP {r.status}"
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError):
            self._connection_failed(endpoint)
            return
        except (aiohttp.ClientError, TimeoutError, ValueError):
            body, status = {}, "no readable answer"  # it answered, but not well: alive, not usable now
        endpoint.failures = 0
        endpoint.healthy = status == "ok"
        endpoint.problem = None if endpoint.healthy else HEALTH_PROBLEMS.get(str(status), RunnerUnavailable)()
        limit = body.get("limit") if isinstance(body, dict) else None
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            endpoint.limit = limit
        node = body.get("node") if isinstance(body, dict) else None
        if isinstance(node, str):
            endpoint.node = node[:200]

    def _connection_failed(self, endpoint: Endpoint) -> None:
        endpoint.healthy = False
        endpoint.problem = RunnerUnavailable(f"cannot connect to {endpoint.address}")
        endpoint.failures += 1
        if endpoint.failures >= GONE_AFTER and not endpoint.gone.is_set():
            if endpoint.in_flight:
                log.warning("sandbox runner %s vanished with %d run(s) on it", endpoint.address, endpoint.in_flight)
            endpoint.gone.set()  # its runs in flight end now; a new runner at this address starts afresh
            if self.endpoints.get(endpoint.key) is endpoint:
                del self.endpoints[endpoint.key]

    def _announce(self) -> None:
        """Tell the queue the capacity, and log when the set of healthy runners changes."""
        capacity = self.capacity()
        self._on_capacity(capacity)
        healthy = frozenset(e.address for e in self.endpoints.values() if e.usable)
        if self._shown == (capacity, healthy):
            return
        self._shown = (capacity, healthy)
        listed = sum(1 for e in self.endpoints.values() if e.listed)
        if healthy:
            log.info("sandbox runners: %d of %d healthy (%s), %d runs at once", len(healthy), listed,
                     ", ".join(sorted(healthy)), capacity)
        else:
            log.warning("sandbox runners: none of %d healthy (%s)", listed, ", ".join(self.urls))

    def _start(self) -> None:
        if self._loop is None or self._loop.done():
            self._loop = asyncio.create_task(self._keep_fresh(), name="sandbox runner pool")

    async def _keep_fresh(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.refresh()
            except Exception:  # never let the loop die: the next round tries again
                log.exception("refreshing the sandbox runners failed")

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
            self._loop = None


def _score(key: str, place: str) -> bytes:
    return hashlib.sha256(f"{key}\0{place}".encode("utf-8", "surrogatepass")).digest()
