"""``docker compose up | down | ps | logs`` in a lab, with the compose file from a code block.

Names are Compose v2's (project ``lab`` unless ``-p`` or the file's ``name:`` says otherwise): containers
``<project>-<service>-1``, networks ``<project>_<name>`` (``<project>_default``), volumes ``<project>_<name>``, all
in the lab's namespace and labelled as the lab's, plus ``com.docker.compose.*`` labels that ``ps``, ``logs`` and
``down`` group by. Each service becomes a ``docker run``: its keys are turned into the run flags they stand for
and checked by the same policy (:func:`~bot.sandbox.lab.policy.run_spec`), and its container is made with the same
profile (:mod:`bot.sandbox.lab.containers`); networks and volumes are the lab's (internal, counted in its quotas).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from docker.errors import APIError

from bot.sandbox.lab import building
from bot.sandbox.lab.compose_file import (
    DEFAULT_PROJECT,
    FILE,
    PROJECT_NAME,
    ComposeProject,
    Service,
    load,
    project_name_error,
)
from bot.sandbox.lab.containers import (
    create_args,
    daemon_error,
    decode_output,
    ensure_image,
    start_failure,
)
from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.grammar import Parsed
from bot.sandbox.lab.names import LABEL_IMAGE, LABEL_PORTS
from bot.sandbox.lab.objects import Summary
from bot.sandbox.lab.policy import GLOBAL_HARMLESS, CliFailure, ParsedCommand, Refused, run_spec, typed, value
from bot.sandbox.lab.port import LabAnswer
from bot.sandbox.lab.subnets import create_network
from bot.sandbox.lab.tables import ago, command_cell, port_cell, table

LABEL_PROJECT = "com.docker.compose.project"
LABEL_SERVICE = "com.docker.compose.service"
LABEL_NUMBER = "com.docker.compose.container-number"
LABEL_HASH = "com.docker.compose.config-hash"
LABEL_NETWORK = "com.docker.compose.network"
LABEL_VOLUME = "com.docker.compose.volume"
POLL = 0.2  # seconds between looks at a foreground project
STOP_SECONDS = 10
DONE, FAILED = "✔", "✘"
NO_FILE = "no configuration file provided: not found"
# A service key -> the run flag it becomes, so that a refusal of the run policy names the key the member wrote.
FLAG_KEYS = {
    "--user": "user", "--memory": "mem_limit", "--cpus": "cpus", "--pids-limit": "pids_limit",
    "--ulimit": "ulimits", "--label": "labels", "--volume": "volumes", "--network": "networks",
    "--hostname": "hostname",
}


def check_options(parsed: ParsedCommand, allowed: frozenset[str]) -> None:
    """Compose's ``--env-file`` is refused like run's; any other option the lab does not implement is
    "unsupported" (``-p`` is every subcommand's)."""
    for key in parsed.options:
        if key == "env-file":
            raise Refused("flag", typed(parsed, key))
        if key not in allowed and key != "project-name" and key not in GLOBAL_HARMLESS:
            raise Refused("unsupported", typed(parsed, key))


def project_of(parsed: ParsedCommand, compose: ComposeProject | None) -> str:
    """``-p``, else the file's ``name:``, else ``lab`` (the directory name Compose would use)."""
    name = value(parsed, "project-name")
    if name is not None:
        if not PROJECT_NAME.fullmatch(name):
            raise CliFailure(project_name_error(name))
        return name
    if compose is not None and compose.name:
        return compose.name
    return DEFAULT_PROJECT


def compose_file(ctx: LabContext, *, required: bool) -> ComposeProject | None:
    text = ctx.files.get(FILE)
    if text is None:
        if required:
            raise CliFailure(NO_FILE)
        return None
    return load(text)


def warnings_text(compose: ComposeProject | None) -> str:
    return "".join(f"WARN[0000] {w}\n" for w in compose.warnings) if compose else ""


@dataclass(slots=True)
class Progress:
    """Compose v2's progress block: ``[+] Running 3/3`` and a line per object, ids and states aligned."""

    operation: str
    lines: list[tuple[str, str, str, float]] = field(default_factory=list)  # (mark, id, status, seconds)
    started: float = field(default_factory=time.monotonic)

    def done(self, task: str, status: str) -> None:
        now = time.monotonic()
        self.lines.append((DONE, task, status, now - self.started))
        self.started = now

    def failed(self, task: str) -> None:
        self.lines.append((FAILED, task, "Error", time.monotonic() - self.started))

    def text(self) -> str:
        if not self.lines:
            return ""
        finished = sum(1 for mark, *_ in self.lines if mark == DONE)
        width = max(len(task) for _, task, _, _ in self.lines)
        rows = [f" {mark} {task:<{width}}  {status}" for mark, task, status, _ in self.lines]
        end = max(len(row) for row in rows)
        body = [f"{row:<{end}}  {seconds:.1f}s" for row, (*_, seconds) in zip(rows, self.lines, strict=True)]
        return f"[+] {self.operation} {finished}/{len(self.lines)}\n" + "\n".join(body) + "\n"


def _labels_of(summary: Summary) -> dict[str, str]:
    return summary.get("Labels") or {}


async def project_containers(ctx: LabContext, project: str) -> list[Summary]:
    return [c for c in await ctx.objects.containers() if _labels_of(c).get(LABEL_PROJECT) == project]


def shown_name(ctx: LabContext, summary: Summary) -> str:
    return ctx.names.shown((summary.get("Names") or ["?"])[0])


def log_name(ctx: LabContext, summary: Summary) -> str:
    """``web-1`` for ``lab-web-1`` (Compose's name without the project); a ``container_name`` as it is."""
    labels = _labels_of(summary)
    name = shown_name(ctx, summary)
    project = labels.get(LABEL_PROJECT, "")
    return name[len(project) + 1:] if name.startswith(f"{project}-{labels.get(LABEL_SERVICE)}-") else name


# up -------------------------------------------------------------------------------------------------

UP_OPTIONS = frozenset({"detach", "build", "force-recreate"})


@dataclass(slots=True)
class Plan:
    """What ``up`` will do for one service, decided before anything is made."""

    service: Service
    container: str  # the member's name for it: lab-web-1
    spec: Any  # RunSpec
    argv: list[str]
    existing: Summary | None = None


def _run_words(service: Service, project: str, network: str | None) -> Parsed:
    """The ``docker run`` a service stands for, as the grammar would have parsed it (the policy reads this)."""
    options: dict[str, object] = {"detach": True}
    if service.environment:
        options["env"] = service.environment
    for key, option in (("working_dir", "workdir"), ("user", "user"), ("hostname", "hostname"),
                        ("memory", "memory"), ("cpus", "cpus"), ("pids", "pids-limit")):
        found = getattr(service, key)
        if found is not None:
            options[option] = found
    if service.entrypoint is not None:
        options["entrypoint"] = service.entrypoint[0] if service.entrypoint else ""
    if service.volumes:
        options["volume"] = tuple(
            f"{project}_{m.volume}:{m.path}{':ro' if m.read_only else ''}" for m in service.volumes
        )
    if network is not None:
        options["network"] = network
    if service.ports:
        options["publish"] = service.ports
    if service.ulimits:
        options["ulimit"] = service.ulimits
    labels = {**service.labels, LABEL_PROJECT: project, LABEL_SERVICE: service.name, LABEL_NUMBER: "1"}
    options["label"] = tuple(f"{k}={v}" for k, v in labels.items())
    if service.tty:
        options["tty"] = True
    return Parsed(("run",), options, (service.image or "",), ())


def _plan(
    ctx: LabContext, service: Service, project: str, runtime: str, existing: Summary | None
) -> Plan:
    first = service.networks[0][0] if service.networks else None
    network = f"{project}_{first}" if first is not None else None
    words = _run_words(service, project, network)
    try:
        spec = run_spec(words, ctx.limits, runtime, root_in_gvisor=ctx.settings.lab_root_in_gvisor,
                        networks=[network] if network else [])
    except Refused as exc:
        flag, _, rest = exc.detail.partition(" ")
        key = FLAG_KEYS.get(flag)
        detail = f"services.{service.name}.{key}: {rest}" if key else f"services.{service.name}: {exc.detail}"
        raise Refused(exc.code, detail, exc.exit_code) from None
    # run's --entrypoint takes one word: the rest of a list entrypoint goes before the command (the engine then
    # ignores the image's CMD, as it does for an entrypoint set at create)
    argv = [*(service.entrypoint or ())[1:], *(service.command or ())]
    name = service.container_name or f"{project}-{service.name}-1"
    return Plan(service, name, spec, argv, existing)


async def _check_room(ctx: LabContext, plans: list[Plan], compose: ComposeProject, project: str) -> None:
    """The lab's quotas for everything ``up`` will make, before it makes any of it."""
    s = ctx.settings
    containers = await ctx.objects.containers()
    volumes = await ctx.objects.volumes()
    networks = await ctx.objects.networks()
    if not (containers or volumes or networks):
        await ctx.check_new_lab()
    new = sum(1 for p in plans if p.existing is None)
    if len(containers) + new > s.lab_containers:
        raise Refused("quota", f"containers:{s.lab_containers}")
    running = sum(1 for c in containers if c.get("State") == "running")
    starting = sum(1 for p in plans if p.existing is None or p.existing.get("State") != "running")
    if running + starting > s.lab_running:
        raise Refused("quota", f"running:{s.lab_running}")
    have_networks = {ctx.names.shown(n["Name"]) for n in networks}
    wanted = {f"{project}_{key}" for p in plans for key, _ in p.service.networks}
    if len(networks) + len(wanted - have_networks) > s.lab_networks:
        raise Refused("quota", f"networks:{s.lab_networks}")
    have_volumes = {ctx.names.shown(v["Name"]) for v in volumes}
    wanted = {f"{project}_{key}" for key in compose.volumes}
    if len(volumes) + len(wanted - have_volumes) > s.lab_volumes:
        raise Refused("quota", f"volumes:{s.lab_volumes}")


def _config_hash(plan: Plan, image_id: str) -> str:
    text = json.dumps([asdict(plan.service), plan.container, image_id], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def _images(
    ctx: LabContext, plans: list[Plan], project: str, rebuild: bool, out: list[str], pulls: Progress
) -> dict[str, str] | LabAnswer:
    """Each service's engine image: built from the code blocks (``build``) or the lab's / an allowed image
    (pulled into the lab like ``docker run`` does). A failed build is the answer."""
    refs: dict[str, str] = {}
    for plan in plans:
        service = plan.service
        if service.build is not None:
            shown = service.image or f"{project}-{service.name}"
            if rebuild or await ctx.objects.image(shown) is None:
                words = Parsed(("build",), {"tag": (shown,), "file": service.build}, (".",), ())
                built = await building.build(ctx, words)
                out.append(built.output)
                if built.exit_code != 0 or built.refusal is not None:
                    return LabAnswer(built.exit_code or 1, "".join(out), refusal=built.refusal, detail=built.detail,
                                     notes=built.notes)
            tag = await ctx.objects.image(shown)
            if tag is None:
                raise CliFailure(f"no such image: {shown}")
            refs[service.name] = tag.engine_ref
        else:
            pulled, ref = await ensure_image(ctx, service.image or "")
            if pulled:
                pulls.done(service.name, "Pulled")
            refs[service.name] = ref
    return refs


async def _create(ctx: LabContext, plan: Plan, image: str, project: str, runtime: str, config_hash: str) -> str:
    """The container of ``plan`` made as ``docker run`` makes one (same request, same profile); its networks get
    the service's name as an alias, as Compose gives them."""
    service = plan.service
    shown_image = service.image or f"{project}-{service.name}"
    create, host = create_args(ctx, plan.spec, image, plan.argv, runtime, shown_image)
    create["labels"][LABEL_HASH] = config_hash
    networks = [(ctx.names.engine(f"{project}_{key}"), (service.name, *aliases)) for key, aliases in service.networks]

    def make(client: Any) -> str:
        config = None
        if networks:
            first, aliases = networks[0]
            config = client.create_networking_config({first: client.create_endpoint_config(aliases=list(aliases))})
        made = client.create_container(
            **create, host_config=client.create_host_config(**host), name=ctx.names.engine(plan.container),
            networking_config=config,
        )
        for other, aliases in networks[1:]:
            client.connect_container_to_network(made["Id"], other, aliases=list(aliases))
        return str(made["Id"])

    return await ctx.engine.call(make)


async def _ensure_networks(ctx: LabContext, compose: ComposeProject, plans: list[Plan], project: str,
                           progress: Progress) -> None:
    have = {ctx.names.shown(n["Name"]) for n in await ctx.objects.networks()}
    wanted = sorted({key for p in plans for key, _ in p.service.networks})
    for key in wanted:
        name = f"{project}_{key}"
        if name in have:
            continue
        labels = {**compose.networks.get(key, {}), **ctx.names.labels(**{LABEL_PROJECT: project, LABEL_NETWORK: key})}
        await create_network(ctx, name, labels)
        progress.done(f"Network {name}", "Created")


async def _ensure_volumes(ctx: LabContext, compose: ComposeProject, project: str, progress: Progress) -> None:
    have = {ctx.names.shown(v["Name"]) for v in await ctx.objects.volumes()}
    for key, extra in compose.volumes.items():
        name = f"{project}_{key}"
        if name in have:
            continue
        labels = {**extra, **ctx.names.labels(**{LABEL_PROJECT: project, LABEL_VOLUME: key})}
        await ctx.engine.call(lambda c, n=name, lb=labels: c.create_volume(ctx.names.engine(n), labels=lb))
        progress.done(f"Volume {name}", "Created")


async def up(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    check_options(parsed, UP_OPTIONS)
    compose = compose_file(ctx, required=True)
    assert compose is not None
    project = project_of(parsed, compose)
    services = compose.with_dependencies(parsed.args)
    runtime = await ctx.runtime()
    existing = {_labels_of(c).get(LABEL_SERVICE): c for c in await project_containers(ctx, project)}
    plans = [_plan(ctx, s, project, runtime, existing.get(s.name)) for s in services]
    await _check_room(ctx, plans, compose, project)
    if any(p.spec.volumes for p in plans):
        await ctx.check_volume_room()
    detach = bool(parsed.options.get("detach"))
    out = [warnings_text(compose)]
    pulls = Progress("Pulling")
    images = await _images(ctx, plans, project, bool(parsed.options.get("build")), out, pulls)
    if isinstance(images, LabAnswer):
        return images
    out.append(pulls.text())
    progress = Progress("Running")
    await _ensure_networks(ctx, compose, plans, project, progress)
    await _ensure_volumes(ctx, compose, project, progress)
    notes: list[str] = []
    for plan in plans:
        notes += [n for n in plan.spec.notes if n not in notes]
        task = f"Container {plan.container}"
        try:
            state = await _up_one(ctx, plan, images[plan.service.name], project, runtime, parsed, detach)
        except CliFailure as exc:
            progress.failed(task)
            return LabAnswer(exc.exit_code or 1, "".join(out) + progress.text() + exc.output, notes=tuple(notes))
        progress.done(task, state)
    out.append(progress.text())
    if detach:
        return LabAnswer(0, "".join(out), notes=tuple(notes))
    return await _attached(ctx, project, [p.container for p in plans], "".join(out), tuple(notes))


async def _up_one(
    ctx: LabContext, plan: Plan, image: str, project: str, runtime: str, parsed: ParsedCommand, detach: bool
) -> str:
    """Create (or keep, or recreate) and start one service's container; its final state for the progress."""
    tag = await ctx.objects.image(image.removeprefix(ctx.names.repository_prefix))
    config_hash = _config_hash(plan, tag.summary["Id"] if tag else image)
    found = plan.existing
    recreate = found is not None and (
        parsed.options.get("force-recreate") or _labels_of(found).get(LABEL_HASH) != config_hash
    )
    if found is not None and not recreate:
        if found.get("State") == "running":
            return "Running"
        await _start(ctx, found["Id"])
        return "Started" if detach else "Created"
    if found is not None:
        await ctx.engine.call(lambda c: c.remove_container(found["Id"], force=True))
    try:
        container_id = await _create(ctx, plan, image, project, runtime, config_hash)
    except APIError as exc:
        raise CliFailure(daemon_error(exc)) from exc
    await _start(ctx, container_id)
    if detach:
        return "Started"
    return "Recreated" if recreate else "Created"


async def _start(ctx: LabContext, container_id: str) -> None:
    try:
        await ctx.engine.call(lambda c: c.start(container_id))
    except APIError as exc:
        raise CliFailure(daemon_error(exc), start_failure(exc).exit_code) from exc


async def _attached(ctx: LabContext, project: str, names: list[str], head: str, notes: tuple[str, ...]) -> LabAnswer:
    """``up`` without ``-d``: the services' output, as Compose prints it attached, until they all exit or the
    lab's wait ends (then they go on running, like a foreground ``run``)."""
    deadline = time.monotonic() + ctx.settings.timeout
    while True:
        mine = [c for c in await project_containers(ctx, project) if shown_name(ctx, c) in names]
        if all(c.get("State") != "running" for c in mine) or time.monotonic() >= deadline:
            break
        await asyncio.sleep(POLL)
    mine.sort(key=lambda c: names.index(shown_name(ctx, c)))
    shown = [log_name(ctx, c) for c in mine]
    lines = [f"Attaching to {', '.join(shown)}\n", await _log_lines(ctx, mine, tail="all", stamps=False, prefix=True)]
    still = False
    for c in mine:
        found = await ctx.engine.call(lambda cl, i=c["Id"]: cl.inspect_container(i))
        state = found.get("State") or {}
        if state.get("Running"):
            still = True
        else:
            lines.append(f"{log_name(ctx, c)} exited with code {int(state.get('ExitCode') or 0)}\n")
    return LabAnswer(0, head + "".join(lines), notes=(*notes, "still_running") if still else notes)


# logs -----------------------------------------------------------------------------------------------

LOGS_OPTIONS = frozenset({"tail", "timestamps", "no-log-prefix"})


async def _log_lines(ctx: LabContext, containers: list[Summary], *, tail: int | str, stamps: bool,
                     prefix: bool) -> str:
    """Every container's lines, in the order they were written, prefixed ``web-1  | `` as Compose prints them."""
    names = [log_name(ctx, c) for c in containers]
    width = max((len(n) for n in names), default=0) + 1
    entries: list[tuple[str, int, str]] = []
    for index, (container, name) in enumerate(zip(containers, names, strict=True)):
        data = await ctx.engine.call(
            lambda c, i=container["Id"]: c.logs(i, stdout=True, stderr=True, timestamps=True, tail=tail)
        )
        for line in decode_output(data).splitlines():
            stamp, _, text = line.partition(" ")
            shown = f"{stamp} {text}" if stamps else text
            entries.append((stamp, index, (f"{name:<{width}} | " if prefix else "") + shown))
    entries.sort(key=lambda e: e[:2])
    return "".join(text + "\n" for *_, text in entries)


def _selected(containers: list[Summary], services: tuple[str, ...]) -> list[Summary]:
    if not services:
        return containers
    known = {_labels_of(c).get(LABEL_SERVICE) for c in containers}
    for service in services:
        if service not in known:
            raise CliFailure(f"no such service: {service}")
    return [c for c in containers if _labels_of(c).get(LABEL_SERVICE) in services]


async def logs(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    check_options(parsed, LOGS_OPTIONS)
    compose = compose_file(ctx, required=False)
    project = project_of(parsed, compose)
    containers = await project_containers(ctx, project)
    containers.sort(key=lambda c: shown_name(ctx, c))
    containers = _selected(containers, parsed.args)
    tail_text = value(parsed, "tail") or "all"
    if tail_text != "all" and not tail_text.lstrip("-").isdigit():
        raise CliFailure(f'invalid value "{tail_text}" for flag --tail')
    tail: int | str = "all" if tail_text == "all" or int(tail_text) < 0 else int(tail_text)
    text = await _log_lines(ctx, containers, tail=tail, stamps=bool(parsed.options.get("timestamps")),
                            prefix=not parsed.options.get("no-log-prefix"))
    return LabAnswer(0, warnings_text(compose) + text)


# ps -------------------------------------------------------------------------------------------------

PS_OPTIONS = frozenset({"all", "quiet", "services"})


async def ps(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    check_options(parsed, PS_OPTIONS)
    compose = compose_file(ctx, required=False)
    project = project_of(parsed, compose)
    if compose is not None:
        for service in parsed.args:
            if service not in {s.name for s in compose.services}:
                raise CliFailure(f"no such service: {service}")
    containers = [c for c in await project_containers(ctx, project)
                  if not parsed.args or _labels_of(c).get(LABEL_SERVICE) in parsed.args]
    if not parsed.options.get("all"):
        containers = [c for c in containers if c.get("State") == "running"]
    containers.sort(key=lambda c: shown_name(ctx, c))
    if parsed.options.get("quiet"):
        return LabAnswer(0, "".join(c["Id"] + "\n" for c in containers))
    if parsed.options.get("services"):
        services = list(dict.fromkeys(_labels_of(c).get(LABEL_SERVICE, "") for c in containers))
        return LabAnswer(0, "".join(s + "\n" for s in services))
    rows = []
    for c in containers:
        labels = _labels_of(c)
        ports = [p for p in (labels.get(LABEL_PORTS) or "").split(",") if p]
        rows.append([
            shown_name(ctx, c),
            labels.get(LABEL_IMAGE) or "",
            command_cell(c.get("Command") or ""),
            labels.get(LABEL_SERVICE) or "",
            ago(float(c.get("Created") or 0), ctx.now),
            str(c.get("Status") or ""),
            ", ".join(port_cell(p) for p in ports),
        ])
    headers = ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    return LabAnswer(0, warnings_text(compose) + table(headers, rows))


# down -----------------------------------------------------------------------------------------------

DOWN_OPTIONS = frozenset({"volumes", "timeout"})


def _labelled(objects: list[Summary], project: str) -> list[Summary]:
    return [o for o in objects if _labels_of(o).get(LABEL_PROJECT) == project]


async def down(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    check_options(parsed, DOWN_OPTIONS)
    compose = compose_file(ctx, required=False)
    project = project_of(parsed, compose)
    seconds_text = value(parsed, "timeout")
    seconds = STOP_SECONDS if seconds_text is None else max(0, min(int(seconds_text, 0), STOP_SECONDS))
    containers = _selected(await project_containers(ctx, project), parsed.args)
    containers.sort(key=lambda c: -int(c.get("Created") or 0))  # the last started first, as dependencies stop
    progress = Progress("Running")
    errors: list[str] = []

    async def remove(task: str, call: Any) -> None:
        try:
            await ctx.engine.call(call)
            progress.done(task, "Removed")
        except APIError as exc:
            progress.failed(task)
            errors.append(daemon_error(exc))

    for c in containers:
        if c.get("State") == "running":
            await ctx.engine.call(lambda cl, i=c["Id"]: cl.stop(i, timeout=seconds))
        await remove(f"Container {shown_name(ctx, c)}", lambda cl, i=c["Id"]: cl.remove_container(i))
    if not parsed.args:  # a subset of the services leaves the project's networks and volumes
        for n in _labelled(await ctx.objects.networks(), project):
            await remove(f"Network {ctx.names.shown(n['Name'])}", lambda cl, i=n["Id"]: cl.remove_network(i))
        if parsed.options.get("volumes"):
            for v in _labelled(await ctx.objects.volumes(), project):
                await remove(f"Volume {ctx.names.shown(v['Name'])}", lambda cl, n=v["Name"]: cl.remove_volume(n))
    if not progress.lines:
        return LabAnswer(0, warnings_text(compose)
                         + f'WARN[0000] Warning: No resource found to remove for project "{project}".\n')
    text = warnings_text(compose) + progress.text() + "".join(e + "\n" for e in errors)
    return LabAnswer(1 if errors else 0, text)


HANDLERS: Mapping[tuple[str, ...], Any] = {
    ("compose", "up"): up, ("compose", "down"): down, ("compose", "ps"): ps, ("compose", "logs"): logs,
}
