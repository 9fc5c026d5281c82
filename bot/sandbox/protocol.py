"""The runner's HTTP protocol, shared by the service (:mod:`bot.sandbox.server`) and the bot's
client (:mod:`bot.sandbox.client`). Described for people in ``docs/runner.md``.

``POST /v1/runs`` takes ``{"image": str, "argv": [str, …], "member": str}`` and nothing else: the
runner alone decides limits and container options. The answer is one JSON object,
``{"result": {…}}`` or ``{"error": {"code": …, "message": …, …}}``, with a status that matches.
A caller that sends ``Accept: application/x-ndjson`` gets progress as it happens instead: one
JSON object per line (``{"event": "pulling" | "pulled" | "queued" | "started", …}``), the last line
being the result or the error. Errors found before any event still get their own status.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from typing import Any

from bot.sandbox.errors import RunnerBadAnswer, SandboxRefusal
from bot.sandbox.policy import Limits
from bot.sandbox.port import MAX_MEMBER_CHARS, Finished, Placement
from bot.sandbox.results import PullProgress, RunResult

RUNS_PATH = "/v1/runs"
IMAGES_PATH = "/v1/images"
HEALTH_PATH = "/healthz"
NDJSON = "application/x-ndjson"
MAX_BODY_BYTES = 64 * 1024
REQUEST_FIELDS = ("image", "argv", "member")


class MalformedRequest(SandboxRefusal):
    """The request is not what ``POST /v1/runs`` takes."""

    code, status, fields = "malformed_request", 400, ("detail",)

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def describe(self) -> str:
        return self.detail


def parse_run_request(body: object) -> tuple[str, list[str], str]:
    """A decoded JSON body → ``(image, argv, member)``; raises :class:`MalformedRequest`."""
    if not isinstance(body, dict):
        raise MalformedRequest("the body must be a JSON object with image, argv and member")
    unknown = sorted(set(body) - set(REQUEST_FIELDS))
    if unknown:
        raise MalformedRequest(
            f"field {unknown[0][:40]!r} is not accepted: a request carries only image, argv and member; "
            "the runner decides limits and container options"
        )
    image, argv, member = (body.get(name) for name in REQUEST_FIELDS)
    if not isinstance(image, str):
        raise MalformedRequest("image must be a string")
    if not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv):
        raise MalformedRequest("argv must be a list of strings")
    if not isinstance(member, str) or not member.strip() or len(member) > MAX_MEMBER_CHARS:
        raise MalformedRequest(f"member must be a non-empty string of at most {MAX_MEMBER_CHARS} characters")
    return image, argv, member


def error_body(exc: SandboxRefusal) -> dict[str, Any]:
    return {"error": exc.to_wire()}


def finished_to_wire(finished: Finished) -> dict[str, Any]:
    result = finished.result
    return {
        "result": {
            "image": finished.image,
            "exit_code": result.exit_code,
            "signal": result.signal_name,
            "duration": round(result.duration, 4),
            "runtime": result.runtime,
            "timed_out": result.timed_out,
            "oom_killed": result.oom_killed,
            "truncated": result.truncated,
            "output": base64.b64encode(result.output).decode("ascii"),
            "limits": dataclasses.asdict(finished.limits),
            # Where it ran, for managers (`!run -v`): the engine's node and the runner's host name.
            "node": finished.placement.node if finished.placement else "",
            "runner": finished.placement.runner if finished.placement else "",
        }
    }


def finished_from_wire(body: dict[str, Any], address: str = "") -> Finished:
    """The ``result`` object of the runner at ``address`` → :class:`Finished`; raises RunnerBadAnswer when
    fields are missing (``node`` and ``runner`` are optional: older runners do not send them)."""
    try:
        limits_fields = {f.name for f in dataclasses.fields(Limits)}
        limits = Limits(**{k: v for k, v in dict(body["limits"]).items() if k in limits_fields})
        result = RunResult(
            exit_code=int(body["exit_code"]),
            duration=float(body["duration"]),
            runtime=str(body["runtime"]),
            output=base64.b64decode(body["output"], validate=True),
            timed_out=bool(body["timed_out"]),
            oom_killed=bool(body["oom_killed"]),
            truncated=bool(body["truncated"]),
        )
        placement = Placement(str(body.get("node") or ""), str(body.get("runner") or ""), address)
        return Finished(str(body["image"]), result, limits, placement)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise RunnerBadAnswer(f"incomplete result ({exc.__class__.__name__})") from None


def event_line(kind: str, **values: Any) -> bytes:
    return json.dumps({"event": kind, **values}, ensure_ascii=False).encode("utf-8") + b"\n"


def pulling_event(image: str, progress: PullProgress) -> bytes:
    return event_line(
        "pulling", image=image, done_bytes=progress.done_bytes, total_bytes=progress.total_bytes,
        layers_done=progress.layers_done, layers=progress.layers,
    )


def progress_from_wire(event: dict[str, Any]) -> PullProgress:
    return PullProgress(
        done_bytes=int(event.get("done_bytes") or 0), total_bytes=int(event.get("total_bytes") or 0),
        layers_done=int(event.get("layers_done") or 0), layers=int(event.get("layers") or 0),
    )
