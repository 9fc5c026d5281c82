"""The bot's side of the sandbox runner: :class:`RemoteSandbox` implements the same small interface
as the in-process :class:`~bot.sandbox.service.Sandbox`, over HTTP (:mod:`bot.sandbox.protocol`).

Every failure becomes a :class:`~bot.sandbox.errors.SandboxRefusal`: the runner's own refusals are
rebuilt from their JSON, and the runner being unreachable, refusing the secret, dropping the
connection or answering nonsense get their own classes, so chat always gets a sentence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from bot.config import Settings
from bot.sandbox.errors import (
    RunnerBadAnswer,
    RunnerLost,
    RunnerRefusedCredentials,
    RunnerUnavailable,
    SandboxRefusal,
    from_wire,
)
from bot.sandbox.protocol import IMAGES_PATH, NDJSON, RUNS_PATH, finished_from_wire, progress_from_wire
from bot.sandbox.service import Finished, NoEvents, RunEvents

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 1.5  # "the runner is down" must be answered within 2 s
IMAGES_TIMEOUT = 5.0
MAX_ANSWER_BYTES = 128 * 1024 * 1024  # the runner caps output at 64 MiB (base64: ~86 MiB)


class RemoteSandbox:
    """A sandbox that lives in a ``python -m bot runner`` service at ``STUDYBOT_SANDBOX_URL``."""

    def __init__(self, settings: Settings) -> None:
        if not settings.sandbox_url:
            raise ValueError("RemoteSandbox needs STUDYBOT_SANDBOX_URL")
        self.url = settings.sandbox_url.rstrip("/")
        self._token = settings.sandbox_token.get_secret_value() if settings.sandbox_token else None
        self.request_timeout = settings.sandbox_request_timeout
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        """Nothing to start: the connection is made on first use."""

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            headers = {"User-Agent": "studybot"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            # A fresh connection and name lookup per request: behind one service name with several
            # runners (compose --scale, a Swarm service, a Kubernetes Service), runs spread over all of
            # them instead of sticking to the one a kept-alive connection happens to reach.
            connector = aiohttp.TCPConnector(use_dns_cache=False, force_close=True)
            self._session = aiohttp.ClientSession(headers=headers, connector=connector)
        return self._session

    async def images(self) -> list[str]:
        timeout = aiohttp.ClientTimeout(total=IMAGES_TIMEOUT, connect=CONNECT_TIMEOUT)
        try:
            async with self._client().get(self.url + IMAGES_PATH, timeout=timeout) as response:
                body = await self._json_answer(response)
        except aiohttp.ClientError as exc:
            raise self._transport_problem(exc) from None
        except TimeoutError as exc:
            raise self._transport_problem(exc) from None
        images = body.get("images")
        if not isinstance(images, list) or not all(isinstance(name, str) for name in images):
            raise RunnerBadAnswer("no image list")
        return images

    async def execute(self, image: str, argv: list[str], member: str, events: RunEvents | None = None) -> Finished:
        events = events or NoEvents()
        timeout = aiohttp.ClientTimeout(total=self.request_timeout, connect=CONNECT_TIMEOUT)
        payload = {"image": image, "argv": argv, "member": member}
        try:
            async with self._client().post(
                self.url + RUNS_PATH, json=payload, timeout=timeout, headers={"Accept": f"{NDJSON}, application/json"}
            ) as response:
                if response.status == 200 and response.content_type == NDJSON:
                    final = await self._follow(response, events)
                else:
                    final = await self._json_answer(response)
        except SandboxRefusal:
            raise
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._transport_problem(exc) from None
        return self._outcome(final)

    # answers -----------------------------------------------------------------------------------

    async def _json_answer(self, response: aiohttp.ClientResponse) -> dict[str, Any]:
        if response.status == 401:
            log.error(
                "the sandbox runner at %s refused the bot's credentials (401): STUDYBOT_SANDBOX_TOKEN must be "
                "the same for the bot and the runner", self.url,
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

    async def _follow(self, response: aiohttp.ClientResponse, events: RunEvents) -> dict[str, Any]:
        """Hand each progress line to ``events``; return the last line (the result or the error)."""
        async for line in _lines(response):
            try:
                item = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise RunnerBadAnswer("a progress line is not JSON") from None
            if not isinstance(item, dict):
                raise RunnerBadAnswer("a progress line is not a JSON object")
            if "result" in item or "error" in item:
                return item
            await _dispatch(item, events)
        raise RunnerLost  # the stream ended without a result: the runner went away mid-run

    def _outcome(self, body: dict[str, Any]) -> Finished:
        error = body.get("error")
        if isinstance(error, dict):
            if error.get("code") == "unauthorized":
                raise RunnerRefusedCredentials
            raise from_wire(error)
        result = body.get("result")
        if not isinstance(result, dict):
            raise RunnerBadAnswer("neither a result nor an error")
        return finished_from_wire(result)

    def _transport_problem(self, exc: BaseException) -> SandboxRefusal:
        if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | aiohttp.InvalidURL):
            log.warning("sandbox runner at %s unreachable: %s", self.url, exc)
            return RunnerUnavailable(str(exc))
        log.warning("lost the sandbox runner at %s during a request: %r", self.url, exc)
        return RunnerLost(str(exc))


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
