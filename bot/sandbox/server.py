"""``python -m bot runner``: the sandbox as a small HTTP service, so the process that holds chat tokens
never holds the Docker socket.

The service runs the same :class:`~bot.sandbox.service.Sandbox` the embedded bot uses and so
enforces the same policy whatever a caller asks: a request names only the image, the argv and the
member (see :mod:`bot.sandbox.protocol`). Requests carry a shared secret (``Authorization: Bearer``);
the only state is the in-memory queue, so several runners can sit behind one service name.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.config import SandboxSettings
from bot.sandbox.errors import SandboxRefusal, ShuttingDown
from bot.sandbox.protocol import (
    HEALTH_PATH,
    IMAGES_PATH,
    LAB_MAX_BODY_BYTES,
    LAB_PATH,
    LAB_RESET_PATH,
    LAB_STATE_PATH,
    MAX_BODY_BYTES,
    NDJSON,
    RUNS_PATH,
    MalformedRequest,
    answer_to_wire,
    error_body,
    event_line,
    finished_to_wire,
    parse_lab_owner,
    parse_lab_request,
    parse_run_request,
    pulling_event,
    state_to_wire,
)
from bot.sandbox.pulls import PullProgress
from bot.sandbox.service import Sandbox

log = logging.getLogger(__name__)

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
EVENT_INTERVAL = 0.2  # seconds between progress lines (pull progress is coalesced)
HEADER_TIMEOUT = 10.0  # a connection that has not sent a whole request head by then is closed (slow clients)
BODY_TIMEOUT = 10.0  # and a body (at most 64 KiB) that has not arrived by then is refused
# A run request nests two levels ({"argv": [...]}); a body nested deeper than this is refused before parsing,
# so the parser never recurses thousands of frames deep.
MAX_NESTING = 16
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
Answered = tuple[dict[str, Any], str]  # a request's answer body, and the outcome its log line names


class Unauthorized(SandboxRefusal):
    """Missing or wrong shared secret (Authorization: Bearer <STUDYBOT_SANDBOX_TOKEN>)."""

    code, status = "unauthorized", 401


class TooLarge(SandboxRefusal):
    """The request body is larger than the runner accepts."""

    code, status, fields = "too_large", 413, ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class InternalError(SandboxRefusal):
    """Something unexpected went wrong in the runner; it is logged there."""

    code, status = "internal_error", 500


class HttpProblem(SandboxRefusal):
    """Unknown path or method."""

    fields = ("detail",)

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status  # type: ignore[misc]  # per instance on purpose
        self.code = "not_found" if status == 404 else "method_not_allowed" if status == 405 else "http_error"  # type: ignore[misc]
        self.detail = detail

    def describe(self) -> str:
        return self.detail


def logfmt(**fields: object) -> str:
    """``key=value`` pairs, values quoted (JSON) when they hold spaces, quotes or ``=``."""
    parts = []
    for key, value in fields.items():
        text = f"{value:.3f}" if isinstance(value, float) else str(value)
        if not text or any(ch in text for ch in ' "=\\') or not text.isprintable():
            text = json.dumps(text, ensure_ascii=False)
        parts.append(f"{key}={text}")
    return " ".join(parts)


def refusal_response(exc: SandboxRefusal) -> web.Response:
    headers = {}
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="studybot-runner"'
    retry = getattr(exc, "retry_after", None) or getattr(exc, "seconds", None)
    if exc.status == 429 and retry:
        headers["Retry-After"] = str(max(1, int(retry + 0.999)))
    return web.json_response(error_body(exc), status=exc.status, headers=headers)


class EventStream:
    """Progress for one request (a run's, or a lab build's output) as NDJSON lines. Headers (status 200) go
    out with the first event; a request that ends before any event gets a plain JSON answer with its own status
    instead."""

    def __init__(self, request: web.Request) -> None:
        self.request = request
        self.response: web.StreamResponse | None = None
        self._pending: list[bytes] = []
        self._pull: bytes | None = None  # only the newest pull progress matters
        self._output: bytes | None = None  # and only a build's newest output so far
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

    # RunEvents ---------------------------------------------------------------------------------
    def pulling(self, image: str, progress: PullProgress) -> None:
        self._pull = pulling_event(image, progress)
        self._kick()

    async def pulled(self, image: str, seconds: float) -> None:
        self._pull = None
        self._pending.append(event_line("pulled", image=image, seconds=round(seconds, 3)))
        await self.flush()

    def queued(self, position: int) -> None:
        self._pending.append(event_line("queued", position=position))
        self._kick()

    async def started(self, waited: float) -> None:
        self._pending.append(event_line("started", waited=round(waited, 3)))
        await self.flush()

    # LabEvents -----------------------------------------------------------------------------------
    async def output(self, text: str) -> None:
        self._output = event_line("output", text=text)  # the output so far: only the newest matters
        self._kick()

    # writing -----------------------------------------------------------------------------------
    def _kick(self) -> None:
        self._wake.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_loop(), name="runner event writer")

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self.flush()
            await asyncio.sleep(EVENT_INTERVAL)

    async def flush(self) -> None:
        async with self._lock:
            lines, self._pending = self._pending, []
            if self._pull is not None:
                lines.insert(0, self._pull)
                self._pull = None
            if self._output is not None:
                lines.append(self._output)
                self._output = None
            if not lines:
                return
            try:
                if self.response is None:
                    self.response = web.StreamResponse(status=200, headers={"Content-Type": NDJSON})
                    await self.response.prepare(self.request)
                await self.response.write(b"".join(lines))
            except (ConnectionError, RuntimeError) as exc:  # the caller went away; the handler is cancelled
                log.debug("could not send progress: %r", exc)

    async def finish(self, body: dict[str, Any], status: int) -> web.StreamResponse:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        await self.flush()
        if self.response is None:
            return web.json_response(body, status=status)
        await self.response.write(json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n")
        await self.response.write_eof()
        return self.response

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)


class RunnerService:
    """The aiohttp application around one :class:`Sandbox`."""

    def __init__(self, settings: SandboxSettings, token: str | None) -> None:
        self.settings = settings
        self.sandbox = Sandbox(settings)
        self._token = token.encode("utf-8") if token else None
        self.draining = False
        self._in_flight: set[asyncio.Task[Any]] = set()
        # aiohttp's own cap is the largest body any path takes; each path checks its own (_read_body).
        self.app = web.Application(client_max_size=LAB_MAX_BODY_BYTES, middlewares=[self._json_errors])
        self.app.router.add_get(HEALTH_PATH, self.healthz)
        self.app.router.add_get(IMAGES_PATH, self.images)
        self.app.router.add_post(RUNS_PATH, self.runs)
        self.app.router.add_post(LAB_PATH, self.lab)
        self.app.router.add_post(LAB_STATE_PATH, self.lab_state)
        self.app.router.add_post(LAB_RESET_PATH, self.lab_reset)

    @web.middleware
    async def _json_errors(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every error, including aiohttp's own 404/405/413, as ``{"error": {"code", "message"}}``."""
        try:
            return await handler(request)
        except SandboxRefusal as exc:
            return refusal_response(exc)
        except web.HTTPRequestEntityTooLarge:
            return refusal_response(TooLarge(_body_limit(request.path)))
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return refusal_response(HttpProblem(exc.status, exc.reason))
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            log.exception("request %s %s failed", request.method, request.path[:80])
            return refusal_response(InternalError())  # JSON, like every other answer; no traceback

    def _check_token(self, request: web.Request) -> None:
        if self._token is None:
            return
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        given = presented.strip().encode("utf-8") if scheme.lower() == "bearer" else b""
        if not hmac.compare_digest(given, self._token):
            raise Unauthorized

    async def healthz(self, request: web.Request) -> web.Response:
        reachable = await self.sandbox.engine.ping()
        healthy = reachable and not self.draining
        body = {
            "status": "ok" if healthy else "shutting_down" if self.draining else "engine_unreachable",
            "engine": "reachable" if reachable else "unreachable",
            "running": self.sandbox.queue.running,
            "waiting": self.sandbox.queue.waiting,
            "limit": self.sandbox.queue.limit,  # runs at once: a bot spreading over runners sizes its queue by it
            "node": await self.sandbox.engine.node_name(),  # a bot keeps each lab on one node (one engine)
        }
        return web.json_response(body, status=200 if healthy else 503)

    async def images(self, request: web.Request) -> web.Response:
        self._check_token(request)
        return web.json_response({"images": await self.sandbox.images()})

    async def _read_body(self, request: web.Request) -> object:
        limit = _body_limit(request.path)
        if request.content_length is not None and request.content_length > limit:
            raise TooLarge(limit)
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                raw = await request.read()  # aiohttp stops at client_max_size however the body is sent
        except web.HTTPRequestEntityTooLarge:
            raise TooLarge(limit) from None
        except TimeoutError:
            raise MalformedRequest(f"the body did not arrive within {BODY_TIMEOUT:g} s") from None
        if len(raw) > limit:  # sent in chunks, without a length: the path's own limit, after the app's
            raise TooLarge(limit)
        if _too_deep(raw):
            raise MalformedRequest("the body is nested too deeply")
        try:
            return json.loads(raw)
        except ValueError:
            # Not JSON, not UTF-8, or an integer longer than Python converts.
            raise MalformedRequest("the body is not JSON that the runner reads") from None

    async def runs(self, request: web.Request) -> web.StreamResponse:
        async def work(body: object, stream: EventStream | None, fields: dict[str, object]) -> Answered:
            image, argv, member = parse_run_request(body)
            fields.update(member=member[:80], image=image[:120], argv_bytes=sum(len(a) for a in argv))
            finished = await self.sandbox.execute(image, argv, member, stream)
            result = finished.result
            outcome = "ok" if result.ok else "timeout" if result.timed_out else "oom" if result.oom_killed else (
                "truncated" if result.truncated else "exit"
            )
            fields.update(exit=result.exit_code, run_s=round(result.duration, 3), runtime=result.runtime)
            return finished_to_wire(finished), outcome

        return await self._serve(request, "run", work, image="-")

    # the lab (`!docker`) ------------------------------------------------------------------------

    async def lab(self, request: web.Request) -> web.StreamResponse:
        """One CLI command in a member's lab; a build's output as NDJSON ``output`` events when asked."""

        async def work(body: object, stream: EventStream | None, fields: dict[str, object]) -> Answered:
            asked = parse_lab_request(body)
            fields.update(member=asked.owner.member[:80], command=" ".join(asked.argv[:2])[:40],
                          files=len(asked.files))
            answer = await self.sandbox.lab.docker(asked, stream)
            fields.update(exit=answer.exit_code, refusal=answer.refusal or "-")
            return answer_to_wire(answer), "ok"

        return await self._serve(request, "lab", work)

    async def lab_state(self, request: web.Request) -> web.StreamResponse:
        async def work(body: object, stream: EventStream | None, fields: dict[str, object]) -> Answered:
            owner = parse_lab_owner(body)
            fields.update(member=owner.member[:80])
            return state_to_wire(await self.sandbox.lab.state(owner)), "ok"

        return await self._serve(request, "lab state", work)

    async def lab_reset(self, request: web.Request) -> web.StreamResponse:
        async def work(body: object, stream: EventStream | None, fields: dict[str, object]) -> Answered:
            owner = parse_lab_owner(body)
            fields.update(member=owner.member[:80])
            removed = await self.sandbox.lab.reset(owner)
            fields.update(removed=removed)
            return {"removed": removed}, "ok"

        return await self._serve(request, "lab reset", work)

    async def _serve(
        self, request: web.Request, kind: str,
        work: Callable[[object, EventStream | None, dict[str, object]], Awaitable[Answered]], **shown: object,
    ) -> web.StreamResponse:
        """What every POST shares: the token and draining checks, the body, the answer (JSON, or NDJSON after
        progress lines when the caller asked for them) and one log line (``kind``, the ``fields`` that ``work``
        filled in, the outcome it named, the duration). ``work`` gets the decoded body; its refusals are answers."""
        started = time.monotonic()
        task = asyncio.current_task()
        assert task is not None
        self._in_flight.add(task)
        fields: dict[str, object] = {"member": "-", **shown}
        stream: EventStream | None = None
        outcome = "cancelled"
        try:
            try:
                self._check_token(request)
                if self.draining:
                    raise ShuttingDown
                body = await self._read_body(request)
                if NDJSON in request.headers.get("Accept", ""):
                    stream = EventStream(request)
                answer, outcome = await work(body, stream, fields)
            except SandboxRefusal as exc:
                outcome = exc.code
                if stream is None:
                    return refusal_response(exc)
                return await stream.finish(error_body(exc), exc.status)
            return await stream.finish(answer, 200) if stream else web.json_response(answer)
        except Exception:
            outcome = "internal_error"
            log.exception("%s request failed", kind)
            raise
        finally:
            if stream is not None:
                await stream.close()
            self._in_flight.discard(task)
            log.info("%s %s", kind, logfmt(**fields, outcome=outcome, duration=time.monotonic() - started))

    async def drain(self, grace: float) -> None:
        """Refuse new runs, give the ones under way ``grace`` seconds, then stop and remove the rest."""
        self.draining = True
        if self._in_flight:
            log.info("waiting up to %.0f s for %d run request(s)", grace, len(self._in_flight))
            await asyncio.wait(set(self._in_flight), timeout=grace)
        await self.sandbox.close()  # kills and removes whatever still runs; its requests answer shutting_down
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=5)


class RunnerServer:
    """Start and stop a :class:`RunnerService` on a TCP port (used by the CLI and the tests)."""

    def __init__(self, settings: SandboxSettings, token: str | None) -> None:
        self.service = RunnerService(settings, token)
        self._runner = web.AppRunner(
            self.service.app, handler_cancellation=True, shutdown_timeout=2.0, access_log=None,
            # aiohttp closes a connection that is waiting for a request head after this long, however
            # slowly its bytes trickle in (a started response resets it as keep-alive).
            keepalive_timeout=HEADER_TIMEOUT,
        )
        self.port = 0

    async def start(self, host: str, port: int) -> int:
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port
        self.service.sandbox.start()
        self.service.sandbox.start_sweeping()  # a runner exists to run sandboxes: it sweeps from the start
        return self.port

    async def stop(self, grace: float = 0.0) -> None:
        await self.service.drain(grace)
        await self._runner.cleanup()


MIN_TOKEN_CHARS = 32
PLACEHOLDER_TOKENS = frozenset({"change-me-to-a-long-random-secret"})  # what .env.example ships with
GENERATE_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def token_problem(host: str, token: str | None) -> str | None:
    """Why the runner must not start with this address and secret, or None."""
    if token is not None and (token in PLACEHOLDER_TOKENS or token.lower().startswith("change-me")):
        return (
            "Refusing to start with the placeholder STUDYBOT_SANDBOX_TOKEN from .env.example: make a secret with "
            f"`{GENERATE_COMMAND}` and give the bot and the runner that same value."
        )
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        return (
            f"Refusing to start with a STUDYBOT_SANDBOX_TOKEN of {len(token)} characters: it must have at least "
            f"{MIN_TOKEN_CHARS}. Make one with `{GENERATE_COMMAND}` and give the bot and the runner that same value."
        )
    if token or host in LOOPBACK:
        return None
    return (
        f"Refusing to listen on {host} without a shared secret: set STUDYBOT_SANDBOX_TOKEN or "
        f"STUDYBOT_SANDBOX_TOKEN_FILE (the same secret for the bot and the runner; make one with "
        f"`{GENERATE_COMMAND}`), or bind to 127.0.0.1."
    )


async def serve(settings: SandboxSettings, host: str, port: int) -> int:
    """Run until SIGTERM or SIGINT, then shut down cleanly; the exit code for the CLI."""
    token = settings.token.get_secret_value() if settings.token else None
    problem = token_problem(host, token)
    if problem:
        log.error(problem)
        return 2
    server = RunnerServer(settings, token)
    try:
        bound = await server.start(host, port)
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", host, port, exc.strerror or exc)
        return 2
    shown_host = f"[{host}]" if ":" in host else host
    log.info("sandbox runner listening on http://%s:%d (auth: %s)", shown_host, bound, "token" if token else "none")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("sandbox runner stopping")
    await server.stop(settings.shutdown_grace)
    log.info("sandbox runner stopped")
    return 0


def _body_limit(path: str) -> int:
    """The largest body ``path`` takes: a run request is small; a lab request may carry a build's files."""
    return LAB_MAX_BODY_BYTES if path == LAB_PATH else MAX_BODY_BYTES


def _too_deep(raw: bytes) -> bool:
    """Brackets in ``raw`` nest deeper than :data:`MAX_NESTING`, strings skipped (a cheap look before
    parsing, not a parser: what it lets through, ``json.loads`` still checks)."""
    depth = 0
    for found in _STRING_OR_BRACKET.finditer(raw):
        token = found.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False
