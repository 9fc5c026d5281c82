"""The container commands: run, ps, logs, exec, stop, start, restart, rm."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from docker.errors import APIError

from bot.sandbox.errors import PullFailed
from bot.sandbox.images import ImageRefError, parse_reference
from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.names import (
    CONTAINER_NAME,
    LABEL_IMAGE,
    LABEL_PORTS,
    engine_message,
    random_name,
    unprefix,
)
from bot.sandbox.lab.objects import familiar
from bot.sandbox.lab.policy import (
    RUN_HELP,
    CliFailure,
    ParsedCommand,
    Refused,
    RunSpec,
    check_exec,
    run_spec,
    tty_notes,
    value,
    values,
)
from bot.sandbox.lab.port import MAX_LAB_OUTPUT_BYTES, LabAnswer
from bot.sandbox.lab.tables import ago, command_cell, port_cell, table
from bot.sandbox.lab.volume_usage import mounts_lab_volume
from bot.sandbox.output import OutputBuffer
from bot.sandbox.policy import NOBODY, container_request

log = logging.getLogger(__name__)

LOG_CONFIG = {"Type": "json-file", "Config": {"max-size": "256k", "max-file": "1"}}
POLL = 0.1  # seconds between looks at a foreground container
MAX_STOP_SECONDS = 10
STREAM_CLOSE_GRACE = 2.0  # seconds for an exec's output reader to end once its stream is closed


def daemon_error(exc: APIError) -> str:
    """The engine's message as the CLI prints it, without the lab's namespace."""
    return "Error response from daemon: " + engine_message(str(exc.explanation or exc))


def decode_output(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


# run ------------------------------------------------------------------------------------------------


async def ensure_image(ctx: LabContext, text: str) -> tuple[str, str]:
    """The lab's image ``text`` names, taken from the allow-list into the lab when it is not there yet (the
    CLI's implicit pull). Returns (what the CLI prints about it, the engine reference)."""
    tag = await ctx.objects.image(text)
    if tag is not None:
        return "", tag.engine_ref
    name = familiar(text)
    try:
        ref = parse_reference(text)
    except ImageRefError:
        raise CliFailure(f"docker: invalid reference format\n\n{RUN_HELP}", 125) from None
    allowed = ctx.allow_list.resolve(ref) if name is not None else None
    if allowed is None or name is None:
        shown = name or text
        raise Refused(
            "image_not_allowed", text, 125,
            f"Unable to find image '{shown}' locally\ndocker: Error response from daemon: pull access denied for "
            f"{shown.rsplit(':', 1)[0]}, repository does not exist or may require 'docker login'\n\n{RUN_HELP}\n",
        )
    await ctx.check_images()
    lines = await pull_into_lab(ctx, name, allowed.engine_name)
    return f"Unable to find image '{name}' locally\n{lines}", ctx.names.image(name)


async def pull_into_lab(ctx: LabContext, name: str, engine_name: str, *, already: bool = False) -> str:
    """Make sure the allow-listed ``engine_name`` is on the engine and tag it ``name`` in the lab; the CLI's
    pull lines."""
    ref = parse_reference(engine_name)
    try:
        await ctx.puller.ensure(ref)
    except PullFailed as exc:
        raise CliFailure(f"Error response from daemon: {exc.reason}") from exc
    tag = name.rsplit(":", 1)[1]
    target = ctx.names.image(name).rsplit(":", 1)[0]
    await ctx.engine.call(lambda c: c.tag(engine_name, target, tag))
    image = await ctx.engine.call(lambda c: c.inspect_image(engine_name))
    digests = [d.split("@", 1)[1] for d in image.get("RepoDigests") or () if "@" in d]
    path = ref.path
    lines = [f"{tag}: Pulling from {path}"]
    if digests:
        lines.append(f"Digest: {digests[0]}")
    # New to the lab is new to the member, whether or not the engine already had it for someone else.
    lines.append(f"Status: {'Image is up to date' if already else 'Downloaded newer image'} for {name}")
    return "\n".join(lines) + "\n"


def create_args(ctx: LabContext, spec: RunSpec, image: str, argv: list[str], runtime: str, shown_image: str) -> Any:
    request = container_request(image, argv, spec.limits, runtime, ctx.settings.owner, "")
    create, host = request["create"], request["host"]
    create["command"] = argv or None
    create["labels"] = ctx.names.labels(
        **{LABEL_IMAGE: shown_image, LABEL_PORTS: ",".join(spec.ports)}, **spec.labels
    )
    create["user"] = spec.user if spec.user is not None else NOBODY
    create["environment"] = list(spec.env)
    create["working_dir"] = spec.workdir
    if spec.entrypoint is not None:
        create["entrypoint"] = [spec.entrypoint] if spec.entrypoint else [""]
    del create["hostname"]
    if spec.hostname:
        create["hostname"] = spec.hostname
    if spec.network is not None:
        create["network_disabled"] = False
        host["network_mode"] = ctx.names.engine(spec.network)
    host["binds"] = [
        f"{ctx.names.engine(v.name)}:{v.path}:{'ro' if v.read_only else 'rw'}" for v in spec.volumes
    ]
    host["log_config"] = LOG_CONFIG
    ulimits = {u["Name"]: u for u in host["ulimits"]}
    for name, amount in spec.ulimits.items():
        ulimits[name] = {"Name": name, "Soft": amount, "Hard": amount}
    host["ulimits"] = list(ulimits.values())
    return create, host


async def _prepare_volumes(ctx: LabContext, spec: RunSpec) -> None:
    """``-v data:/data`` makes the lab volume ``data`` when it is missing, as the CLI does."""
    for use in spec.volumes:
        if await ctx.objects.volume(use.name) is None:
            await ctx.check_volumes()
            await ctx.engine.call(
                lambda c, n=use.name: c.create_volume(ctx.names.engine(n), labels=ctx.names.labels())
            )


def start_failure(exc: APIError) -> CliFailure:
    """The CLI's status for a container that did not start: 127 command not found, 126 not runnable."""
    text = str(exc.explanation or exc)
    code = 125
    if "executable file not found" in text or "no such file or directory" in text:
        code = 127
    elif "permission denied" in text:
        code = 126
    return CliFailure(f"docker: {daemon_error(exc)}\n\n{RUN_HELP}", code)


async def run(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    image_text, argv = parsed.args[0], list(parsed.args[1:])
    runtime = await ctx.runtime()
    networks = [ctx.names.shown(n["Name"]) for n in await ctx.objects.networks()]
    spec = run_spec(
        parsed, ctx.limits, runtime, root_in_gvisor=ctx.settings.lab_root_in_gvisor, networks=networks
    )
    name = value(parsed, "name")
    if name is not None and not CONTAINER_NAME.fullmatch(name):
        raise CliFailure(
            f"docker: Error response from daemon: Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] "
            f"are allowed\n\n{RUN_HELP}", 125,
        )
    await ctx.check_containers()
    if spec.volumes:
        await ctx.check_volume_room()
    pulled, image = await ensure_image(ctx, image_text)
    await _prepare_volumes(ctx, spec)
    detach = bool(parsed.options.get("detach"))
    remove = bool(parsed.options.get("rm"))
    create, host = create_args(ctx, spec, image, argv, runtime, image_text)
    host["auto_remove"] = remove and detach

    def make(client: Any) -> str:
        for _ in range(5 if name is None else 1):
            wanted = name or random_name()
            try:
                made = client.create_container(
                    **create, host_config=client.create_host_config(**host), name=ctx.names.engine(wanted)
                )
                return str(made["Id"])
            except APIError as exc:
                if name is not None or exc.status_code != 409:
                    raise
        raise APIError("could not find a free name for the container")

    try:
        container_id = await ctx.engine.call(make)
    except APIError as exc:
        raise CliFailure(pulled + f"docker: {daemon_error(exc)}\n\n{RUN_HELP}", 125) from exc
    try:
        await ctx.engine.call(lambda c: c.start(container_id))
    except APIError as exc:
        if remove:
            await _remove_quietly(ctx, container_id)
        failure = start_failure(exc)
        raise CliFailure(pulled + failure.output, failure.exit_code) from exc
    if detach:
        return LabAnswer(0, pulled + container_id + "\n", notes=spec.notes)
    return await _foreground(ctx, container_id, pulled, spec.notes, remove=remove)


async def _foreground(
    ctx: LabContext, container_id: str, pulled: str, notes: tuple[str, ...], *, remove: bool
) -> LabAnswer:
    deadline = time.monotonic() + ctx.settings.timeout
    state: dict[str, Any] = {}
    while True:
        state = (await ctx.engine.call(lambda c: c.inspect_container(container_id)))["State"]
        if not state.get("Running") or time.monotonic() >= deadline:
            break
        await asyncio.sleep(POLL)
    output = decode_output(await ctx.engine.call(lambda c: c.logs(container_id, stdout=True, stderr=True)))
    if state.get("Running"):
        return LabAnswer(0, pulled + output, notes=(*notes, "still_running"))
    if remove:
        await _remove_quietly(ctx, container_id)
    return LabAnswer(int(state.get("ExitCode") or 0), pulled + output, notes=notes)


async def _remove_quietly(ctx: LabContext, container_id: str) -> None:
    with contextlib.suppress(APIError):  # already gone (auto-removed) or being removed
        await ctx.engine.call(lambda c: c.remove_container(container_id, force=True))


# ps -------------------------------------------------------------------------------------------------


async def ps(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    containers = await ctx.objects.containers()
    if not parsed.options.get("all"):
        containers = [c for c in containers if c.get("State") == "running"]
    containers.sort(key=lambda c: -int(c.get("Created") or 0))
    if parsed.options.get("quiet"):
        return LabAnswer(0, "".join(c["Id"][:12] + "\n" for c in containers))
    rows = []
    for c in containers:
        labels = c.get("Labels") or {}
        ports = [p for p in (labels.get(LABEL_PORTS) or "").split(",") if p]
        rows.append([
            c["Id"][:12],
            labels.get(LABEL_IMAGE) or unprefix(c.get("Image") or ""),
            command_cell(unprefix(c.get("Command") or "")),
            ago(float(c.get("Created") or 0), ctx.now),
            str(c.get("Status") or ""),
            ", ".join(port_cell(p) for p in ports),
            ",".join(ctx.names.shown(n) for n in c.get("Names") or ()),
        ])
    headers = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    return LabAnswer(0, table(headers, rows))


# logs, exec -----------------------------------------------------------------------------------------


async def logs(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    container = await ctx.objects.container(parsed.args[0])
    tail_text = value(parsed, "tail") or "all"
    if tail_text != "all" and not tail_text.lstrip("-").isdigit():
        raise CliFailure(f'invalid value "{tail_text}" for flag --tail')
    tail: int | str = "all" if tail_text == "all" or int(tail_text) < 0 else int(tail_text)
    stamps = bool(parsed.options.get("timestamps"))
    data = await ctx.engine.call(
        lambda c: c.logs(container["Id"], stdout=True, stderr=True, timestamps=stamps, tail=tail)
    )
    return LabAnswer(0, decode_output(data))


async def exec_(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    runtime = await ctx.runtime()
    user = check_exec(parsed, runtime, root_in_gvisor=ctx.settings.lab_root_in_gvisor)
    container = await ctx.objects.container(parsed.args[0])
    argv = list(parsed.args[1:])
    kwargs: dict[str, Any] = {"environment": list(values(parsed, "env")) or None, "workdir": value(parsed, "workdir")}
    if user is not None:
        kwargs["user"] = user
    try:
        exec_id = (await ctx.engine.call(lambda c: c.exec_create(container["Id"], argv, **kwargs)))["Id"]
    except APIError as exc:
        raise CliFailure(daemon_error(exc), 126 if "executable" in str(exc) else 1) from exc
    notes = tty_notes(parsed)
    if parsed.options.get("detach"):
        await ctx.engine.call(lambda c: c.exec_start(exec_id, detach=True))
        return LabAnswer(0, "", notes=notes)

    # Streamed, kept up to the answer's size, and given up at the time limit: a flood never fills the memory,
    # and an exec that never ends (or keeps writing) never keeps a thread of the engine's pool.
    stream = await ctx.engine.call(lambda c: c.exec_start(exec_id, stream=True))
    buffer = OutputBuffer(MAX_LAB_OUTPUT_BYTES)

    def drain() -> None:
        try:
            for chunk in stream:
                if buffer.feed(chunk):
                    break
        except Exception as exc:  # closed at the time limit, or the connection broke
            log.debug("exec %s output ended: %r", exec_id[:12], exc)
        finally:
            stream.close()

    reader = asyncio.ensure_future(ctx.engine.in_thread(drain))
    done, _ = await asyncio.wait({reader}, timeout=ctx.settings.timeout)
    if not done:
        stream.close()
        await asyncio.wait({reader}, timeout=STREAM_CLOSE_GRACE)
    result = await ctx.engine.call(lambda c: c.exec_inspect(exec_id))
    if result.get("Running"):
        return LabAnswer(0, decode_output(buffer.data), buffer.truncated, notes=(*notes, "still_running"))
    return LabAnswer(int(result.get("ExitCode") or 0), decode_output(buffer.data), buffer.truncated, notes=notes)


# stop, start, restart, rm ---------------------------------------------------------------------------


async def _each(ctx: LabContext, refs: tuple[str, ...], act: Any) -> tuple[list[str], list[str]]:
    """Apply ``act(container)`` to each named container: (the names done, the error lines)."""
    done, errors = [], []
    for ref in refs:
        try:
            container = await ctx.objects.container(ref)
            await act(container)
            done.append(ref)
        except CliFailure as exc:
            errors.append(exc.output.rstrip("\n"))
        except APIError as exc:
            errors.append(daemon_error(exc))
    return done, errors


def _answer(done: list[str], errors: list[str], final: str = "") -> LabAnswer:
    lines = done + errors + ([final] if errors and final else [])
    return LabAnswer(1 if errors else 0, "".join(line + "\n" for line in lines))


def _stop_seconds(parsed: ParsedCommand) -> int:
    text = value(parsed, "timeout") or value(parsed, "time")
    if text is None:
        return MAX_STOP_SECONDS
    if not text.lstrip("-").isdigit():
        raise CliFailure(f'invalid argument "{text}" for "-t, --timeout" flag: strconv.ParseInt: parsing "{text}": '
                         "invalid syntax")
    return max(0, min(int(text), MAX_STOP_SECONDS))


async def _check_startable(ctx: LabContext, container: dict[str, Any]) -> None:
    """Quotas before (re)starting: a running slot for a stopped container, and volume room for one that mounts a
    lab volume (a restart too: it would go on writing)."""
    if container.get("State") != "running":
        await ctx.check_running()
    if mounts_lab_volume(container, ctx.names):
        await ctx.check_volume_room()


async def stop(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    seconds = _stop_seconds(parsed)

    async def act(container: dict[str, Any]) -> None:
        await ctx.engine.call(lambda c: c.stop(container["Id"], timeout=seconds))

    return _answer(*await _each(ctx, parsed.args, act))


async def start(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    async def act(container: dict[str, Any]) -> None:
        if container.get("State") != "running":
            await _check_startable(ctx, container)
        try:
            await ctx.engine.call(lambda c: c.start(container["Id"]))
        except APIError as exc:
            raise CliFailure(daemon_error(exc)) from exc

    done, errors = await _each(ctx, parsed.args, act)
    failed = [ref for ref in parsed.args if ref not in done]
    return _answer(done, errors, f"Error: failed to start containers: {', '.join(failed)}")


async def restart(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    seconds = _stop_seconds(parsed)

    async def act(container: dict[str, Any]) -> None:
        await _check_startable(ctx, container)
        await ctx.engine.call(lambda c: c.restart(container["Id"], timeout=seconds))

    return _answer(*await _each(ctx, parsed.args, act))


async def rm(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    force = bool(parsed.options.get("force"))

    async def act(container: dict[str, Any]) -> None:
        await ctx.engine.call(lambda c: c.remove_container(container["Id"], force=force))

    return _answer(*await _each(ctx, parsed.args, act))
