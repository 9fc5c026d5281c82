"""``docker inspect``, filtered to what a learner needs, named without the lab's namespace."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.names import LABEL_IMAGE, RESERVED_LABEL_PREFIX, unprefix
from bot.sandbox.lab.objects import resolve
from bot.sandbox.lab.policy import ParsedCommand, value
from bot.sandbox.lab.port import LabAnswer


def _labels(labels: dict[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (labels or {}).items() if not k.startswith(RESERVED_LABEL_PREFIX)}


def container_view(ctx: LabContext, found: dict[str, Any]) -> dict[str, Any]:
    config, state = found.get("Config") or {}, found.get("State") or {}
    host = found.get("HostConfig") or {}
    networks = (found.get("NetworkSettings") or {}).get("Networks") or {}
    return {
        "Id": found["Id"],
        "Created": found.get("Created"),
        "Path": found.get("Path"),
        "Args": found.get("Args"),
        "State": {key: state.get(key) for key in ("Status", "Running", "Paused", "Restarting", "OOMKilled", "ExitCode",
                                                    "Error", "StartedAt", "FinishedAt")},
        "Image": found.get("Image"),
        "Name": "/" + ctx.names.shown(found.get("Name") or ""),
        "RestartCount": found.get("RestartCount", 0),
        "HostConfig": {"NetworkMode": unprefix(host.get("NetworkMode") or ""), "Memory": host.get("Memory"),
                       "NanoCpus": host.get("NanoCpus"), "PidsLimit": host.get("PidsLimit"),
                       "ReadonlyRootfs": host.get("ReadonlyRootfs"), "AutoRemove": host.get("AutoRemove")},
        "Mounts": [
            {"Type": m.get("Type"), "Name": unprefix(m.get("Name") or ""), "Destination": m.get("Destination"),
             "RW": m.get("RW")}
            for m in found.get("Mounts") or () if m.get("Type") == "volume"
        ],
        "Config": {
            "Hostname": config.get("Hostname"),
            "User": config.get("User"),
            "Env": config.get("Env"),
            "Cmd": config.get("Cmd"),
            "Image": (config.get("Labels") or {}).get(LABEL_IMAGE) or unprefix(config.get("Image") or ""),
            "WorkingDir": config.get("WorkingDir"),
            "Entrypoint": config.get("Entrypoint"),
            "Labels": _labels(config.get("Labels")),
        },
        "NetworkSettings": {"Networks": {unprefix(name): {} for name in networks}},
    }


def image_view(found: dict[str, Any], tags: list[str]) -> dict[str, Any]:
    config = found.get("Config") or {}
    return {
        "Id": found["Id"],
        "RepoTags": tags,
        "Created": found.get("Created"),
        "Size": found.get("Size"),
        "Architecture": found.get("Architecture"),
        "Os": found.get("Os"),
        "Config": {key: config.get(key) for key in ("User", "ExposedPorts", "Env", "Cmd", "WorkingDir", "Entrypoint")}
        | {"Labels": _labels(config.get("Labels"))},
    }


def volume_view(ctx: LabContext, found: dict[str, Any]) -> dict[str, Any]:
    return {"CreatedAt": found.get("CreatedAt"), "Driver": found.get("Driver"), "Labels": _labels(found.get("Labels")),
            "Name": ctx.names.shown(found["Name"]), "Scope": found.get("Scope")}


def network_view(ctx: LabContext, found: dict[str, Any]) -> dict[str, Any]:
    containers = found.get("Containers") or {}
    return {
        "Name": ctx.names.shown(found["Name"]), "Id": found["Id"], "Created": found.get("Created"),
        "Scope": found.get("Scope"), "Driver": found.get("Driver"), "Internal": found.get("Internal"),
        "Containers": {cid: {"Name": ctx.names.shown(c.get("Name") or "")} for cid, c in containers.items()},
        "Labels": _labels(found.get("Labels")),
    }


async def _find(ctx: LabContext, ref: str, kind: str | None) -> dict[str, Any] | None:
    if kind in (None, "container"):
        containers = await ctx.objects.containers()
        found = resolve(containers, ref, ctx.objects.container_names)
        if found is not None:
            details = await ctx.engine.call(lambda c: c.inspect_container(found["Id"]))
            return container_view(ctx, details)
    if kind in (None, "image"):
        tag = await ctx.objects.image(ref)
        if tag is not None:
            details = await ctx.engine.call(lambda c: c.inspect_image(tag.summary["Id"]))
            tags = [t.shown for t in await ctx.objects.image_tags() if t.summary["Id"] == tag.summary["Id"]]
            return image_view(details, tags)
    if kind in (None, "volume"):
        volume = await ctx.objects.volume(ref)
        if volume is not None:
            return volume_view(ctx, volume)
    if kind in (None, "network"):
        network = await ctx.objects.network(ref)
        if network is not None:
            details = await ctx.engine.call(lambda c: c.inspect_network(network["Id"]))
            return network_view(ctx, details)
    return None


MISSING = {None: "Error: No such object: {}", "container": "Error: No such container: {}",
           "image": "Error: No such image: {}", "volume": "Error: No such volume: {}",
           "network": "Error: No such network: {}"}


async def inspect(ctx: LabContext, parsed: ParsedCommand, kind: str | None = None) -> LabAnswer:
    kind = kind or value(parsed, "type")
    views, errors = [], []
    for ref in parsed.args:
        view = await _find(ctx, ref, kind)
        if view is None:
            errors.append(MISSING.get(kind, MISSING[None]).format(ref))
        else:
            views.append(view)
    text = json.dumps(views, indent=4, ensure_ascii=False) + "\n"
    return LabAnswer(1 if errors else 0, text + "".join(e + "\n" for e in errors))
