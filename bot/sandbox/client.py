"""The bot's side of the sandbox runners: :class:`RemoteSandbox` implements the same small interface
as the in-process :class:`~bot.sandbox.service.Sandbox`, over HTTP (:mod:`bot.sandbox.protocol`), spread
over every runner ``STUDYBOT_SANDBOX_URL`` names (:mod:`bot.sandbox.pool`).

The bot enforces the per-member rules itself, across all runners: one job per member, the cooldown, and
one first-come-first-served queue whose places are the runs at once of every healthy runner; a member's
place in it is the one they are told. Each run goes to the least busy healthy runner. A request that a
runner did not start (it cannot be reached, is stopping, or has no engine) is tried on another one; a run
on a runner that vanishes ends with a clear reply, and the others go on.

Every failure becomes a :class:`~bot.sandbox.errors.SandboxRefusal`: the runner's own refusals are
rebuilt from their JSON, and the runner being unreachable, refusing the secret, dropping the
connection or answering nonsense get their own classes, so chat always gets a sentence. This module
never imports the Docker SDK.

``RemoteSandbox.lab`` (:class:`RemoteLab`) is the lab (``!docker``) over the same runners: a lab lives on one
engine, so each lab's requests go to one runner, chosen by rendezvous hashing over the healthy ones.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import aiohttp

from bot.config import SandboxSettings
from bot.sandbox.errors import (
    BadCommand,
    BadImage,
    EngineUnavailable,
    ImageNotAllowed,
    QueueFull,
    RunnerBadAnswer,
    RunnerLost,
    RunnerRefusedCredentials,
    RunnerUnavailable,
    RuntimeMissing,
    SandboxRefusal,
    ShuttingDown,
    UnknownDigest,
    from_wire,
)
from bot.sandbox.lab.port import LabAnswer, LabEvents, LabOwner, LabRequest, LabState
from bot.sandbox.pool import CONNECT_TIMEOUT, Endpoint, RunnerPool
from bot.sandbox.port import Finished, NoEvents, RunEvents, check_argv
from bot.sandbox.protocol import (
    IMAGES_PATH,
    LAB_PATH,
    LAB_RESET_PATH,
    LAB_STATE_PATH,
    NDJSON,
    RUNS_PATH,
    answer_from_wire,
    finished_from_wire,
    lab_owner_to_wire,
    lab_request_to_wire,
    progress_from_wire,
    state_from_wire,
)
from bot.sandbox.queue import Place, RunQueue
from bot.sandbox.results import PullProgress

log = logging.getLogger(__name__)

T = TypeVar("T")

IMAGES_TIMEOUT = 5.0
MAX_ANSWER_BYTES = 128 * 1024 * 1024  # the runner caps output at 64 MiB (base64: ~86 MiB)
MAX_ATTEMPTS = 3  # runners one request is offered to before the member is told
# Refusals that mean "this runner did not start the run": another runner may.
NOT_STARTED = (RunnerUnavailable, RunnerLost, ShuttingDown, EngineUnavailable, RuntimeMissing, QueueFull)
# Refusals of the request itself: no run happened, so no cooldown either.
BAD_REQUEST = (BadImage, ImageNotAllowed, UnknownDigest, BadCommand)
# Refusals that mean "this runner did not touch the lab": the lab's next runner may take it (a fresh lab there).
LAB_NOT_STARTED = (RunnerUnavailable, ShuttingDown, EngineUnavailable)


class RemoteSandbox:
    """A sandbox that lives in the ``python -m bot runner`` services at ``STUDYBOT_SANDBOX_URL``."""

    def __init__(self, settings: SandboxSettings) -> None:
        if not settings.urls:
            raise ValueError("RemoteSandbox needs STUDYBOT_SANDBOX_URL")
        self._token = settings.token.get_secret_value() if settings.token else None
        self.request_timeout = settings.request_timeout
        self._session: aiohttp.ClientSession | None = None
        # The places grow and shrink with the healthy runners (set after each look at them).
        self.rules = RunQueue(1, settings.max_queue, settings.cooldown)
        self.pool = RunnerPool(settings.urls, self._client, self.rules.resize)
        self.lab = RemoteLab(self)

    def start(self) -> None:
        """Nothing to start: the runners are looked up on first use."""

    def start_sweeping(self) -> None:
        """Nothing to sweep here: each runner sweeps its own engine."""

    async def close(self) -> None:
        await self.pool.close()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            headers = {"User-Agent": "studybot"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            # A fresh connection per request: a runner replaced at the same address is never reached
            # through a connection to the old one.
            connector = aiohttp.TCPConnector(use_dns_cache=False, force_close=True)
            self._session = aiohttp.ClientSession(headers=headers, connector=connector)
        return self._session

    async def images(self) -> list[str]:
        return await self._on_some_runner(self._images, lambda exc: isinstance(exc, RunnerUnavailable))

    async def execute(self, image: str, argv: list[str], member: str, events: RunEvents | None = None) -> Finished:
        events = events or NoEvents()
        check_argv(argv)
        try:
            async with self.rules.member(member):
                if not await self.pool.available():
                    raise self.pool.problem()
                relay = Relay(events, time.monotonic())
                async with self.rules.slot(events.queued) as place:
                    relay.place = place
                    return await self._on_some_runner(
                        lambda endpoint: self._run(endpoint, image, argv, member, relay),
                        lambda exc: not relay.seen and isinstance(exc, NOT_STARTED),
                    )
        except BAD_REQUEST:
            self.rules.forgive(member)
            raise

    async def _on_some_runner(
        self, work: Callable[[Endpoint], Awaitable[T]], may_retry: Callable[[SandboxRefusal], bool],
        pick: Callable[[set[str]], Awaitable[Endpoint | None]] | None = None,
    ) -> T:
        """``work`` on the runner ``pick`` chooses (by default the least busy healthy one); on the next one when
        it fails in a way ``may_retry`` allows (at most :data:`MAX_ATTEMPTS` runners)."""
        tried: set[str] = set()
        problem: SandboxRefusal | None = None
        for _ in range(MAX_ATTEMPTS):
            endpoint = await (pick or self.pool.pick)(tried)
            if endpoint is None:
                break
            tried.add(endpoint.key)
            try:
                return await self.pool.guard(endpoint, work(endpoint))
            except SandboxRefusal as exc:
                if not may_retry(exc):
                    raise
                log.info("sandbox runner %s did not take a request (%s); trying another", endpoint.address, exc.code)
                self.pool.failed(endpoint, exc)
                problem = exc
            finally:
                self.pool.release(endpoint)
        raise problem or self.pool.problem()

    # one request to one runner -------------------------------------------------------------------

    async def _images(self, endpoint: Endpoint) -> list[str]:
        timeout = aiohttp.ClientTimeout(total=IMAGES_TIMEOUT, connect=CONNECT_TIMEOUT)
        try:
            async with self._client().get(
                endpoint.base + IMAGES_PATH, timeout=timeout, **endpoint.options()
            ) as response:
                body = await self._json_answer(response, endpoint)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._transport_problem(exc, endpoint) from None
        images = body.get("images")
        if not isinstance(images, list) or not all(isinstance(name, str) for name in images):
            raise RunnerBadAnswer("no image list")
        return images

    async def _run(self, endpoint: Endpoint, image: str, argv: list[str], member: str, events: RunEvents) -> Finished:
        payload = {"image": image, "argv": argv, "member": member}
        final = await self._post(endpoint, RUNS_PATH, payload, lambda r: self._follow(r, events, endpoint))
        return self._outcome(final, endpoint)

    async def _post(
        self, endpoint: Endpoint, path: str, payload: dict[str, Any],
        follow: Callable[[aiohttp.ClientResponse], Awaitable[dict[str, Any]]],
    ) -> dict[str, Any]:
        """POST ``payload``, asking for progress lines: ``follow`` reads them, else the JSON answer is read.
        Returns the final object; a transport failure raises the refusal that says what went wrong."""
        timeout = aiohttp.ClientTimeout(total=self.request_timeout, connect=CONNECT_TIMEOUT)
        options = endpoint.options()
        options["headers"] = {**options["headers"], "Accept": f"{NDJSON}, application/json"}
        try:
            async with self._client().post(endpoint.base + path, json=payload, timeout=timeout, **options) as r:
                if r.status == 200 and r.content_type == NDJSON:
                    return await follow(r)
                return await self._json_answer(r, endpoint)
        except SandboxRefusal:
            raise
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._transport_problem(exc, endpoint) from None

    # answers -----------------------------------------------------------------------------------

    async def _json_answer(self, response: aiohttp.ClientResponse, endpoint: Endpoint) -> dict[str, Any]:
        if response.status == 401:
            log.error(
                "the sandbox runner at %s refused the bot's credentials (401): STUDYBOT_SANDBOX_TOKEN must be "
                "the same for the bot and the runner", endpoint.address,
            )
            raise RunnerRefusedCredentials
        raw = await response.content.read(MAX_ANSWER_BYTES)
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RunnerBadAnswer(f"HTTP {response.status}, not JSON") from None
        if not isinstance(body, dict):
            raise RunnerBadAnswer(f"HTTP {response.status}, not a JSON object")
        if response.status != 200 and "error" not in body:
            raise RunnerBadAnswer(f"HTTP {response.status}")
        return body

    async def _follow(self, response: aiohttp.ClientResponse, events: RunEvents, endpoint: Endpoint) -> dict[str, Any]:
        """Hand each progress line to ``events``; return the last line (the result or the error)."""
        async for item in _items(response):
            if "result" in item or "error" in item:
                return item
            await _dispatch(item, events)
        lost = RunnerLost("the answer ended without a result")  # the runner went away mid-run
        lost.address = endpoint.address
        raise lost

    def _outcome(self, body: dict[str, Any], endpoint: Endpoint) -> Finished:
        error = body.get("error")
        if isinstance(error, dict):
            if error.get("code") == "unauthorized":
                raise RunnerRefusedCredentials
            raise from_wire(error)
        result = body.get("result")
        if not isinstance(result, dict):
            raise RunnerBadAnswer("neither a result nor an error")
        return finished_from_wire(result, endpoint.address)

    def _transport_problem(self, exc: BaseException, endpoint: Endpoint) -> SandboxRefusal:
        if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | aiohttp.InvalidURL):
            log.warning("sandbox runner at %s unreachable: %s", endpoint.address, exc)
            return RunnerUnavailable(str(exc))
        log.warning("lost the sandbox runner at %s during a request: %r", endpoint.address, exc)
        lost = RunnerLost(str(exc))
        lost.address = endpoint.address
        return lost


    # the lab ----------------------------------------------------------------------------------------

    async def lab_call(
        self, owner: LabOwner, path: str, payload: dict[str, Any], events: LabEvents | None = None
    ) -> dict[str, Any]:
        """``payload`` to ``path`` on the runner that holds ``owner``'s lab; the answer's JSON object."""
        key = f"{owner.server}\0{owner.member}"
        relay = LabRelay(events)
        return await self._on_some_runner(
            lambda endpoint: self._lab_post(endpoint, path, payload, relay),
            lambda exc: not relay.seen and isinstance(exc, LAB_NOT_STARTED),
            lambda tried: self.pool.pick_for(key, tried),
        )

    async def _lab_post(
        self, endpoint: Endpoint, path: str, payload: dict[str, Any], relay: LabRelay
    ) -> dict[str, Any]:
        final = await self._post(endpoint, path, payload, lambda r: self._follow_lab(r, relay, endpoint))
        error = final.get("error")
        if isinstance(error, dict):
            if error.get("code") == "unauthorized":
                raise RunnerRefusedCredentials
            raise from_wire(error)
        return final

    async def _follow_lab(
        self, response: aiohttp.ClientResponse, relay: LabRelay, endpoint: Endpoint
    ) -> dict[str, Any]:
        """Hand each ``output`` line to the member; return the last line (the answer or the error)."""
        async for item in _items(response):
            if item.get("event") is None:
                return item
            if item.get("event") == "output":
                text = item.get("text")
                if not isinstance(text, str):
                    raise RunnerBadAnswer("a bad output event")
                await relay.output(text)
        lost = RunnerLost("the answer ended without a result")
        lost.address = endpoint.address
        raise lost


class RemoteLab:
    """:class:`~bot.sandbox.lab.port.LabService` over HTTP: each lab on the runner rendezvous hashing gives it."""

    def __init__(self, sandbox: RemoteSandbox) -> None:
        self.sandbox = sandbox

    async def docker(self, request: LabRequest, events: LabEvents | None = None) -> LabAnswer:
        body = await self.sandbox.lab_call(request.owner, LAB_PATH, lab_request_to_wire(request), events)
        return answer_from_wire(body.get("answer"))

    async def state(self, owner: LabOwner) -> LabState:
        body = await self.sandbox.lab_call(owner, LAB_STATE_PATH, lab_owner_to_wire(owner))
        return state_from_wire(body.get("state"))

    async def reset(self, owner: LabOwner) -> int:
        body = await self.sandbox.lab_call(owner, LAB_RESET_PATH, lab_owner_to_wire(owner))
        removed = body.get("removed")
        if not isinstance(removed, int) or isinstance(removed, bool):
            raise RunnerBadAnswer("no count of removed objects")
        return removed


class LabRelay:
    """A lab command's progress, passed on; notes whether any came (then the command is not offered to
    another runner)."""

    def __init__(self, events: LabEvents | None) -> None:
        self.events = events
        self.seen = False

    async def output(self, text: str) -> None:
        self.seen = True
        if self.events is not None:
            await self.events.output(text)


class Relay:
    """The runner's progress events, passed on to the member. It notes whether any came (a run the runner
    never started may go to another runner), counts the wait from the start of the bot's own queue, and
    gives the bot's running place back while the runner pulls the image (the runner's own queue holds
    pulls apart from runs, so a slow pull never blocks the runs behind it)."""

    def __init__(self, events: RunEvents, since: float) -> None:
        self.events = events
        self.since = since
        self.seen = False
        self.place: Place | None = None

    def pulling(self, image: str, progress: PullProgress) -> None:
        self.seen = True
        if self.place is not None:
            self.place.give_back()
        self.events.pulling(image, progress)

    async def pulled(self, image: str, seconds: float) -> None:
        self.seen = True
        await self.events.pulled(image, seconds)

    def queued(self, position: int) -> None:
        self.seen = True
        self.events.queued(position)

    async def started(self, waited: float) -> None:
        self.seen = True
        await self.events.started(time.monotonic() - self.since)


async def _dispatch(item: dict[str, Any], events: RunEvents) -> None:
    kind = item.get("event")
    try:
        if kind == "pulling":
            events.pulling(str(item["image"]), progress_from_wire(item))
        elif kind == "pulled":
            await events.pulled(str(item["image"]), float(item["seconds"]))
        elif kind == "queued":
            events.queued(int(item["position"]))
        elif kind == "started":
            await events.started(float(item["waited"]))
        # other events: from a newer runner; ignored
    except (KeyError, TypeError, ValueError):
        raise RunnerBadAnswer(f"a bad {str(kind)[:20]} event") from None


async def _items(response: aiohttp.ClientResponse) -> AsyncIterator[dict[str, Any]]:
    """The NDJSON answer's objects, one per line; RunnerBadAnswer for a line that is not a JSON object."""
    async for line in _lines(response):
        try:
            item = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RunnerBadAnswer("a progress line is not JSON") from None
        if not isinstance(item, dict):
            raise RunnerBadAnswer("a progress line is not a JSON object")
        yield item


async def _lines(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """NDJSON lines of any length up to :data:`MAX_ANSWER_BYTES` (aiohttp's readline stops at 128 KiB,
    and a result with a megabyte of output is one line)."""
    buffer = bytearray()
    received = 0
    async for chunk in response.content.iter_any():
        received += len(chunk)
        if received > MAX_ANSWER_BYTES:
            raise RunnerBadAnswer("the answer is too large")
        scan_from = len(buffer)  # only the new bytes can hold the next newline
        buffer += chunk
        while (end := buffer.find(b"\n", scan_from)) >= 0:
            line = bytes(buffer[:end])
            del buffer[: end + 1]
            scan_from = 0
            if line.strip():
                yield line
    if buffer.strip():
        yield bytes(buffer)
