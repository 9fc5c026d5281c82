"""The lab's engine side in-process: :class:`Lab` implements :class:`~bot.sandbox.lab.port.LabService`.

One command at a time per lab (a lock per lab id), so quotas are counted on a lab that does not change under
them; different labs run at once. Every engine call goes through :class:`~bot.sandbox.engine.Engine`'s pools.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from docker.errors import APIError, NotFound

from bot.config import SandboxSettings
from bot.sandbox.engine import Engine
from bot.sandbox.images import AllowList
from bot.sandbox.lab import artifacts, building, compose, containers
from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.grammar import CliError, Parsed, parse, usage
from bot.sandbox.lab.inspect import inspect
from bot.sandbox.lab.names import LABEL_IMAGE, LABEL_LAB, LABEL_PORTS, LabNames
from bot.sandbox.lab.policy import GLOBAL_HARMLESS, CliFailure, Refused, check_globals, typed
from bot.sandbox.lab.port import (
    MAX_LAB_OUTPUT_BYTES,
    LabAnswer,
    LabContainer,
    LabEvents,
    LabImage,
    LabOwner,
    LabQuotas,
    LabRequest,
    LabState,
)
from bot.sandbox.lab.volume_usage import VolumeUsage
from bot.sandbox.policy import Limits
from bot.sandbox.pulls import Puller

log = logging.getLogger(__name__)

Handler = Callable[[LabContext, Parsed], Awaitable[LabAnswer]]

# Each command, and the options the lab implements for it (any other is refused as "unsupported"). build's
# --no-cache, --rm and --force-rm are what the lab's builder does anyway.
COMMANDS: dict[tuple[str, ...], tuple[Handler, frozenset[str]]] = {
    ("ps",): (containers.ps, frozenset({"all", "quiet"})),
    ("logs",): (containers.logs, frozenset({"tail", "timestamps"})),
    ("stop",): (containers.stop, frozenset({"timeout", "time"})),
    ("start",): (containers.start, frozenset()),
    ("restart",): (containers.restart, frozenset({"timeout", "time"})),
    ("rm",): (containers.rm, frozenset({"force", "volumes"})),
    ("images",): (artifacts.images, frozenset({"quiet", "all"})),
    ("rmi",): (artifacts.rmi, frozenset({"force"})),
    ("pull",): (artifacts.pull, frozenset()),
    ("tag",): (artifacts.tag, frozenset()),
    ("inspect",): (inspect, frozenset({"type"})),
    ("volume", "create"): (artifacts.volume_create, frozenset({"driver", "label", "name"})),
    ("volume", "ls"): (artifacts.volume_ls, frozenset({"quiet"})),
    ("volume", "rm"): (artifacts.volume_rm, frozenset({"force"})),
    ("network", "create"): (artifacts.network_create, frozenset({"driver", "internal", "label"})),
    ("network", "ls"): (artifacts.network_ls, frozenset({"quiet"})),
    ("network", "rm"): (artifacts.network_rm, frozenset({"force"})),
    ("build",): (building.build, frozenset({"tag", "file", "no-cache", "rm", "force-rm"})),
}
# run, exec and compose check their flags themselves (lab policy); inspect of one kind is inspect with --type.
OWN_POLICY: dict[tuple[str, ...], Handler] = {
    ("run",): containers.run, ("exec",): containers.exec_, **compose.HANDLERS,
}
KIND_INSPECT = {("volume", "inspect"): "volume", ("network", "inspect"): "network"}

_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def engine_time(text: object) -> float:
    """An engine timestamp (``2026-12-07T01:59:01.934813587Z``, or epoch seconds) as epoch seconds; 0 for none."""
    if isinstance(text, int | float):
        return float(text)
    if not isinstance(text, str) or not text or text.startswith("0001-"):
        return 0.0
    try:
        return datetime.fromisoformat(_FRACTION.sub(r"\1", text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def cut(answer: LabAnswer) -> LabAnswer:
    data = answer.output.encode()
    if len(data) <= MAX_LAB_OUTPUT_BYTES:
        return answer
    text = data[:MAX_LAB_OUTPUT_BYTES].decode("utf-8", errors="ignore")
    return LabAnswer(answer.exit_code, text, True, answer.refusal, answer.detail, answer.notes)


class Lab:
    """Every member's lab on this process's engine."""

    def __init__(
        self,
        engine: Engine,
        settings: SandboxSettings,
        allow_list: AllowList,
        puller: Puller,
        runtime: Callable[[], Awaitable[str]],
        *,
        on_use: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.on_use = on_use  # the first command starts the sandbox's sweepers
        self.settings = settings
        self.allow_list = allow_list
        self.puller = puller
        self.runtime = runtime
        self.limits = Limits.from_settings(settings)
        self.activity: dict[str, float] = {}  # lab id -> when this process last ran a command for it
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.volume_usage = VolumeUsage(engine, settings)
        self.network_lock = asyncio.Lock()

    def names(self, owner: LabOwner) -> LabNames:
        return LabNames.of(owner, self.settings.owner)

    def lock(self, lab: str) -> asyncio.Lock:
        found = self._locks.get(lab)
        if found is None:
            found = self._locks[lab] = asyncio.Lock()
        return found

    def context(
        self, names: LabNames, files: Mapping[str, str] | None = None, events: LabEvents | None = None
    ) -> LabContext:
        return LabContext(
            self.engine, names, self.settings, self.limits, self.allow_list, self.puller, self.runtime,
            files=files or {}, events=events, volume_usage=self.volume_usage, network_lock=self.network_lock,
        )

    # LabService -------------------------------------------------------------------------------------

    async def docker(self, request: LabRequest, events: LabEvents | None = None) -> LabAnswer:
        try:
            parsed = parse(request.argv)
        except CliError as exc:
            return LabAnswer(exc.exit_code, exc.message.rstrip("\n") + "\n")
        return await self.execute(request.owner, parsed, request.files, events)

    async def execute(
        self, owner: LabOwner, parsed: Parsed, files: Mapping[str, str] | None = None, events: LabEvents | None = None
    ) -> LabAnswer:
        """Run an already parsed command in ``owner``'s lab."""
        if parsed.help:
            return LabAnswer(0, usage(parsed.command).rstrip("\n") + "\n")
        names = self.names(owner)
        self.on_use()
        async with self.lock(names.id):
            self.activity[names.id] = time.time()
            try:
                answer = await self._dispatch(self.context(names, files, events), parsed)
            except Refused as exc:
                answer = LabAnswer(exc.exit_code, exc.output, refusal=exc.code, detail=exc.detail)
            except CliFailure as exc:
                answer = LabAnswer(exc.exit_code, exc.output)
            except NotFound as exc:  # removed between the lookup and the call: as the CLI says it
                answer = LabAnswer(1, containers.daemon_error(exc) + "\n")
            except APIError as exc:
                answer = LabAnswer(1, containers.daemon_error(exc) + "\n")
            self.activity[names.id] = time.time()
        return cut(answer)

    async def _dispatch(self, ctx: LabContext, parsed: Parsed) -> LabAnswer:
        if not self.settings.lab_enabled:
            raise Refused("lab_disabled")
        check_globals(parsed)
        if parsed.unsupported:
            raise Refused("unsupported", parsed.unsupported[0])
        command = parsed.command
        if command in OWN_POLICY:
            return await OWN_POLICY[command](ctx, parsed)
        if command in KIND_INSPECT:
            return await inspect(ctx, parsed, KIND_INSPECT[command])
        if command == ("version",):
            return await self._version()
        if command not in COMMANDS:
            raise Refused("unsupported", "docker " + " ".join(command))
        handler, allowed = COMMANDS[command]
        for key in parsed.options:
            if key not in allowed and key not in GLOBAL_HARMLESS:
                raise Refused("unsupported", typed(parsed, key))
        return await handler(ctx, parsed)

    async def _version(self) -> LabAnswer:
        version = await self.engine.call(lambda c: c.version())
        return LabAnswer(0, f"Docker version {version.get('Version', '?')}, build {version.get('GitCommit', '?')}\n")

    async def state(self, owner: LabOwner) -> LabState:
        names = self.names(owner)
        ctx = self.context(names)
        async with self.lock(names.id):
            found = await ctx.objects.containers()
            details = [await self._inspect(c["Id"]) for c in found]
            tags = await ctx.objects.image_tags()
            images = [await self._image(names, t.summary["Id"], t.shown) for t in tags]
            volumes = await ctx.objects.volumes()
            networks = await ctx.objects.networks()
        lab_containers = tuple(self._container(names, d) for d in details if d is not None)
        last = await self.last_activity(names, details, tags=[t.summary for t in tags], volumes=volumes,
                                        networks=networks)
        empty = not (found or tags or volumes or networks)
        return LabState(
            containers=lab_containers,
            images=tuple(i for i in images if i is not None),
            volumes=tuple(names.shown(v["Name"]) for v in volumes),
            networks=tuple(names.shown(n["Name"]) for n in networks),
            expires_at=None if empty else last + self.settings.lab_idle_minutes * 60,
            quotas=self.quotas(),
            runtime=await self.runtime(),
            volume_bytes=await self.volume_usage.size_of(names) if volumes else 0,
        )

    def quotas(self) -> LabQuotas:
        s = self.settings
        return LabQuotas(
            running=s.lab_running, containers=s.lab_containers, images=s.lab_images,
            image_bytes=s.lab_image_mib * 1024 * 1024, volumes=s.lab_volumes, networks=s.lab_networks,
            idle_seconds=s.lab_idle_minutes * 60.0, volume_bytes=s.lab_volume_mib * 2**20,
        )

    async def reset(self, owner: LabOwner) -> int:
        names = self.names(owner)
        async with self.lock(names.id):
            removed = await self.remove_lab(names)
            self.activity.pop(names.id, None)
        return removed

    # helpers ----------------------------------------------------------------------------------------

    async def _inspect(self, container_id: str) -> dict[str, Any] | None:
        try:
            return await self.engine.call(lambda c: c.inspect_container(container_id))
        except NotFound:
            return None

    async def _image(self, names: LabNames, image_id: str, shown: str) -> LabImage | None:
        try:
            found = await self.engine.call(lambda c: c.inspect_image(image_id))
        except NotFound:
            return None
        config = found.get("Config") or {}
        return LabImage(
            name=shown, id=found["Id"], size=int(found.get("Size") or 0), created=engine_time(found.get("Created")),
            cmd=tuple(config.get("Cmd") or ()), entrypoint=tuple(config.get("Entrypoint") or ()),
            env=tuple(config.get("Env") or ()), workdir=config.get("WorkingDir") or "",
            built=(config.get("Labels") or {}).get("studybot.lab") == names.id,
        )

    def _container(self, names: LabNames, found: dict[str, Any]) -> LabContainer:
        config, state = found.get("Config") or {}, found.get("State") or {}
        labels = config.get("Labels") or {}
        networks = ((found.get("NetworkSettings") or {}).get("Networks") or {}).keys()
        return LabContainer(
            name=names.shown(found.get("Name") or ""),
            id=found["Id"],
            image=labels.get(LABEL_IMAGE) or "",
            command=(*(config.get("Entrypoint") or ()), *(config.get("Cmd") or ())),
            status=str(state.get("Status") or ""),
            exit_code=int(state.get("ExitCode") or 0),
            created=engine_time(found.get("Created")),
            env=tuple(config.get("Env") or ()),
            ports=tuple(p for p in (labels.get(LABEL_PORTS) or "").split(",") if p),
            networks=tuple(names.shown(n) for n in networks if n.startswith(names.prefix)),
            volumes=tuple(
                f"{names.shown(m.get('Name') or '')}:{m.get('Destination')}"
                for m in found.get("Mounts") or () if m.get("Type") == "volume"
            ),
        )

    async def last_activity_of(self, names: LabNames) -> float:
        """:meth:`last_activity`, listing the lab's objects first."""
        ctx = self.context(names)
        details = [await self._inspect(c["Id"]) for c in await ctx.objects.containers()]
        tags = [t.summary for t in await ctx.objects.image_tags()]
        return await self.last_activity(
            names, details, tags=tags, volumes=await ctx.objects.volumes(), networks=await ctx.objects.networks()
        )

    async def last_activity(
        self,
        names: LabNames,
        details: list[dict[str, Any] | None],
        *,
        tags: list[dict[str, Any]],
        volumes: list[dict[str, Any]],
        networks: list[dict[str, Any]],
    ) -> float:
        """The newest of: this process's last command for the lab, and the engine's times of its objects."""
        times = [self.activity.get(names.id, 0.0)]
        for found in details:
            if found is not None:
                state = found.get("State") or {}
                times += [engine_time(found.get("Created")), engine_time(state.get("StartedAt")),
                          engine_time(state.get("FinishedAt"))]
        times += [engine_time(t.get("Created")) for t in tags if (t.get("Labels") or {}).get("studybot.lab")]
        times += [engine_time(v.get("CreatedAt")) for v in volumes]
        times += [engine_time(n.get("Created")) for n in networks]
        return max(times)

    async def remove_lab(self, names: LabNames) -> int:
        """Remove every object of the lab (containers first, then its tags, volumes and networks)."""
        ctx = self.context(names)
        found = await ctx.objects.containers()
        removed = await self._remove_all(
            [(c["Id"], lambda cl, i=c["Id"]: cl.remove_container(i, force=True)) for c in found]
        )
        removed += await self._remove_all(
            [(t.engine_ref, lambda cl, r=t.engine_ref: cl.remove_image(r)) for t in await ctx.objects.image_tags()]
        )
        # Images the lab built that lost their tag (a rebuild of the same name leaves the old one untagged, as the
        # CLI does): found by the lab's label, removed by id (their untagged parents go with them).
        dangling = await self.engine.call(
            lambda cl: cl.images(filters={"label": f"{LABEL_LAB}={names.id}", "dangling": True})
        )
        removed += await self._remove_all(
            [(i["Id"], lambda cl, r=i["Id"]: cl.remove_image(r)) for i in dangling]
        )
        removed += await self._remove_all(
            [(v["Name"], lambda cl, n=v["Name"]: cl.remove_volume(n, force=True)) for v in await ctx.objects.volumes()]
        )
        removed += await self._remove_all(
            [(n["Id"], lambda cl, i=n["Id"]: cl.remove_network(i)) for n in await ctx.objects.networks()]
        )
        return removed

    async def _remove_all(self, removals: list[tuple[str, Callable[[Any], object]]]) -> int:
        removed = 0
        for what, fn in removals:
            try:
                await self.engine.call(fn)
                removed += 1
            except NotFound:
                pass
            except APIError as exc:  # in use by a container being removed by another call: the next sweep
                log.warning("lab: could not remove %s: %s", what, exc)
        return removed
