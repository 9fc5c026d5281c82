"""The runner's HTTP protocol, shared by the service (:mod:`bot.sandbox.server`) and the bot's
client (:mod:`bot.sandbox.client`). Described for people in ``docs/runner.md``.

``POST /v1/runs`` takes ``{"image": str, "argv": [str, …], "member": str}`` and nothing else: the
runner alone decides limits and container options. The answer is one JSON object,
``{"result": {…}}`` or ``{"error": {"code": …, "message": …, …}}``, with a status that matches.
A caller that sends ``Accept: application/x-ndjson`` gets progress as it happens instead: one
JSON object per line (``{"event": "pulling" | "pulled" | "queued" | "started", …}``), the last line
being the result or the error. Errors found before any event still get their own status.

The lab (``!docker``) has three more: ``POST /v1/lab`` takes ``{"member", "server", "argv": [str, …],
"files": {name: text}}`` and answers ``{"answer": {…}}`` (:class:`~bot.sandbox.lab.port.LabAnswer`), with
``{"event": "output", "text": …}`` lines before it for NDJSON callers (a build's output as it comes);
``POST /v1/lab/state`` takes ``{"member", "server"}`` and answers ``{"state": {…}}``, ``POST /v1/lab/reset``
the same and answers ``{"removed": n}``. Errors are the same ``{"error": …}`` objects.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from typing import Any

from bot.sandbox.errors import RunnerBadAnswer, SandboxRefusal
from bot.sandbox.lab.port import (
    MAX_FILE_BYTES,
    MAX_FILES,
    LabAnswer,
    LabContainer,
    LabImage,
    LabOwner,
    LabQuotas,
    LabRequest,
    LabState,
)
from bot.sandbox.policy import Limits
from bot.sandbox.port import MAX_ARGS, MAX_ARGV_BYTES, MAX_MEMBER_CHARS, Finished, Placement
from bot.sandbox.results import PullProgress, RunResult

RUNS_PATH = "/v1/runs"
IMAGES_PATH = "/v1/images"
HEALTH_PATH = "/healthz"
NDJSON = "application/x-ndjson"
MAX_BODY_BYTES = 64 * 1024
REQUEST_FIELDS = ("image", "argv", "member")
LAB_PATH = "/v1/lab"
LAB_STATE_PATH = "/v1/lab/state"
LAB_RESET_PATH = "/v1/lab/reset"
# A build's inline files (8 × 16 KiB) as JSON, where quotes and backslashes take two bytes each.
LAB_MAX_BODY_BYTES = 2 * MAX_FILES * MAX_FILE_BYTES + 2 * MAX_ARGV_BYTES + 4096
LAB_OWNER_FIELDS = ("member", "server")
LAB_REQUEST_FIELDS = ("member", "server", "argv", "files")
MAX_FILE_NAME_CHARS = 200


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


# the lab ---------------------------------------------------------------------------------------------


def _fields_only(body: object, fields: tuple[str, ...], what: str) -> dict[str, object]:
    if not isinstance(body, dict):
        raise MalformedRequest(f"the body must be a JSON object with {', '.join(fields)}")
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise MalformedRequest(f"field {unknown[0][:40]!r} is not accepted: {what} carries only {', '.join(fields)}")
    return body


def _owner(body: dict[str, object]) -> LabOwner:
    member, server = body.get("member"), body.get("server")
    for name, value in (("member", member), ("server", server)):
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_MEMBER_CHARS or "\x00" in value:
            raise MalformedRequest(f"{name} must be a non-empty string of at most {MAX_MEMBER_CHARS} characters")
    return LabOwner(member=str(member), server=str(server))


def parse_lab_owner(body: object) -> LabOwner:
    """The body of ``/v1/lab/state`` or ``/v1/lab/reset`` → whose lab; raises :class:`MalformedRequest`."""
    return _owner(_fields_only(body, LAB_OWNER_FIELDS, "a lab state or reset request"))


def parse_lab_request(body: object) -> LabRequest:
    """The body of ``POST /v1/lab`` → a :class:`LabRequest`; raises :class:`MalformedRequest`."""
    fields = _fields_only(body, LAB_REQUEST_FIELDS, "a lab request")
    owner = _owner(fields)
    argv = fields.get("argv")
    if not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv):
        raise MalformedRequest("argv must be a list of strings")
    if len(argv) > MAX_ARGS or sum(len(arg.encode("utf-8", "surrogatepass")) + 1 for arg in argv) > MAX_ARGV_BYTES:
        raise MalformedRequest(f"argv holds more than {MAX_ARGS} words or {MAX_ARGV_BYTES} bytes")
    if any("\x00" in arg for arg in argv):
        raise MalformedRequest("argv holds a NUL character")
    files = fields.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise MalformedRequest("files must be an object of file names to texts")
    if len(files) > MAX_FILES:
        raise MalformedRequest(f"a lab request carries at most {MAX_FILES} files")
    for name, text in files.items():
        if not name or len(name) > MAX_FILE_NAME_CHARS or "\x00" in name:
            raise MalformedRequest(f"a file name must have 1 to {MAX_FILE_NAME_CHARS} characters and no NUL")
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise MalformedRequest(f"the file {name[:40]!r} is larger than {MAX_FILE_BYTES} bytes")
    return LabRequest(owner, tuple(argv), dict(files))


def lab_request_to_wire(request: LabRequest) -> dict[str, Any]:
    return {"member": request.owner.member, "server": request.owner.server, "argv": list(request.argv),
            "files": dict(request.files)}


def lab_owner_to_wire(owner: LabOwner) -> dict[str, Any]:
    return {"member": owner.member, "server": owner.server}


def answer_to_wire(answer: LabAnswer) -> dict[str, Any]:
    return {"answer": dataclasses.asdict(answer)}


def state_to_wire(state: LabState) -> dict[str, Any]:
    return {"state": dataclasses.asdict(state)}


def _build(cls: type[Any], data: object) -> Any:
    """A port dataclass from its JSON object: lists become tuples, fields a newer runner added are left out."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is not an object")
    known = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known})


def answer_from_wire(body: object) -> LabAnswer:
    """The ``answer`` object of a runner → :class:`LabAnswer`; raises RunnerBadAnswer when it is not one."""
    try:
        answer: LabAnswer = _build(LabAnswer, body)
        if not isinstance(answer.exit_code, int) or not isinstance(answer.output, str):
            raise TypeError("exit_code or output")
        return answer
    except (TypeError, ValueError) as exc:
        raise RunnerBadAnswer(f"incomplete lab answer ({exc.__class__.__name__})") from None


def state_from_wire(body: object) -> LabState:
    """The ``state`` object of a runner → :class:`LabState`; raises RunnerBadAnswer when it is not one."""
    try:
        if not isinstance(body, dict):
            raise TypeError("state is not an object")
        quotas = body.get("quotas")
        return LabState(
            containers=tuple(_build(LabContainer, c) for c in body.get("containers") or ()),
            images=tuple(_build(LabImage, i) for i in body.get("images") or ()),
            volumes=tuple(str(v) for v in body.get("volumes") or ()),
            networks=tuple(str(n) for n in body.get("networks") or ()),
            expires_at=None if body.get("expires_at") is None else float(body["expires_at"]),
            quotas=None if quotas is None else _build(LabQuotas, quotas),
            runtime=str(body.get("runtime") or ""),
            volume_bytes=int(body.get("volume_bytes") or 0),
        )
    except (TypeError, ValueError) as exc:
        raise RunnerBadAnswer(f"incomplete lab state ({exc.__class__.__name__})") from None
