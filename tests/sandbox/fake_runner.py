"""A small stand-in for ``python -m bot runner`` on a loopback address, speaking the same protocol
(:mod:`bot.sandbox.protocol`): ``/healthz``, ``/v1/images`` and ``/v1/runs`` as NDJSON. Runs "finish" when
the test opens :attr:`FakeRunner.gate`; the runner can die at once (:meth:`kill`, connections reset) or go
silent (:meth:`vanish`: no new connections, open ones never answer), as a Swarm task or node would."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from bot.sandbox.policy import Limits
from bot.sandbox.port import Finished, Placement
from bot.sandbox.protocol import HEALTH_PATH, IMAGES_PATH, NDJSON, RUNS_PATH, event_line, finished_to_wire
from bot.sandbox.results import RunResult


class FakeRunner:
    def __init__(self, name: str, limit: int = 2, host: str = "127.0.0.1") -> None:
        self.name = name
        self.limit = limit
        self.host = host
        self.port = 0
        self.health = "ok"  # or "engine_unreachable", "shutting_down": answered with 503
        self.gate = asyncio.Event()
        self.gate.set()
        self.members: list[str] = []  # who asked for a run, in order
        self.running = 0
        self._transports: list[asyncio.BaseTransport] = []
        app = web.Application()
        app.router.add_get(HEALTH_PATH, self._healthz)
        app.router.add_get(IMAGES_PATH, self._images)
        app.router.add_post(RUNS_PATH, self._runs)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1)
        self._site: web.TCPSite | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self, port: int = 0) -> FakeRunner:
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, port)
        await self._site.start()
        server = getattr(self._site, "_server", None)
        self.port = server.sockets[0].getsockname()[1] if server and server.sockets else port
        return self

    async def kill(self) -> None:
        """Die like a killed process: every connection is reset, nothing listens any more."""
        for transport in self._transports:
            transport.abort()
        await self.stop()

    async def vanish(self) -> None:
        """Go silent like a node that dropped off the network: no new connections, open ones stay mute."""
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def stop(self) -> None:
        self.gate.set()
        await self._runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        body = {"status": self.health, "engine": "reachable", "running": self.running, "waiting": 0,
                "limit": self.limit}
        return web.json_response(body, status=200 if self.health == "ok" else 503)

    async def _images(self, request: web.Request) -> web.Response:
        return web.json_response({"images": ["alpine:latest"]})

    async def _runs(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.members.append(body["member"])
        if request.transport is not None:
            self._transports.append(request.transport)
        self.running += 1
        try:
            response = web.StreamResponse(headers={"Content-Type": NDJSON})
            await response.prepare(request)
            await response.write(event_line("started", waited=0.0))
            await self.gate.wait()
            output = f"{self.name}: {' '.join(body['argv'])}\n".encode()
            result = RunResult(exit_code=0, duration=0.01, runtime="runc", output=output)
            finished = Finished(body["image"], result, Limits(), Placement(node=f"node-{self.name}", runner=self.name))
            await response.write(json.dumps(finished_to_wire(finished)).encode() + b"\n")
            await response.write_eof()
            return response
        finally:
            self.running -= 1
