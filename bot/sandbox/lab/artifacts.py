"""The image, volume and network commands: images, rmi, pull, tag, volume create|ls|rm, network create|ls|rm."""

from __future__ import annotations

import secrets

from docker.errors import APIError

from bot.sandbox.images import ImageRefError, parse_reference
from bot.sandbox.lab.containers import daemon_error, pull_into_lab
from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.names import CONTAINER_NAME, RESERVED_LABEL_PREFIX, unprefix
from bot.sandbox.lab.objects import LabImageTag, familiar
from bot.sandbox.lab.policy import CliFailure, ParsedCommand, Refused, typed, value, values
from bot.sandbox.lab.port import LabAnswer
from bot.sandbox.lab.subnets import create_network
from bot.sandbox.lab.tables import ago, human_size, table

DENIED = (
    "Error response from daemon: pull access denied for {}, repository does not exist or may require "
    "'docker login': denied: requested access to the resource is denied"
)


def _short_id(image_id: str) -> str:
    return image_id.removeprefix("sha256:")[:12]


def _split(shown: str) -> tuple[str, str]:
    repository, _, tag = shown.rpartition(":")
    return repository, tag


# images ---------------------------------------------------------------------------------------------


async def images(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    tags = await ctx.objects.image_tags()
    if parsed.args:
        wanted = parsed.args[0]
        has_tag = ":" in wanted.rsplit("/", 1)[-1]
        name = familiar(wanted) or ""
        tags = [t for t in tags if (t.shown == name if has_tag else _split(t.shown)[0] == _split(name)[0])]
    if parsed.options.get("quiet"):
        ids = dict.fromkeys(_short_id(t.summary["Id"]) for t in tags)
        return LabAnswer(0, "".join(i + "\n" for i in ids))
    rows = [
        [*_split(t.shown), _short_id(t.summary["Id"]), ago(float(t.summary.get("Created") or 0), ctx.now),
         human_size(float(t.summary.get("Size") or 0))]
        for t in tags
    ]
    return LabAnswer(0, table(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], rows))


async def _untag(ctx: LabContext, tag: LabImageTag, force: bool) -> list[str]:
    removed = await ctx.engine.call(lambda c: c.remove_image(tag.engine_ref, force=force))
    lines = []
    for item in removed or ():
        for key in ("Untagged", "Deleted"):
            if key in item:
                lines.append(f"{key}: {unprefix(item[key])}")
    return lines


async def rmi(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    force = bool(parsed.options.get("force"))
    lines, errors = [], []
    for ref in parsed.args:
        tag = await ctx.objects.image(ref)
        if tag is None:
            errors.append(f"Error response from daemon: No such image: {familiar(ref) or ref}")
            continue
        by_tag = tag.shown == familiar(ref)
        targets = [tag]
        if not by_tag:  # an id: every tag of the lab's that image carries (never the id: base images are shared)
            targets = [t for t in await ctx.objects.image_tags() if t.summary["Id"] == tag.summary["Id"]]
            if len(targets) > 1 and not force:
                errors.append(
                    f"Error response from daemon: conflict: unable to delete {_short_id(tag.summary['Id'])} "
                    "(must be forced) - image is referenced in multiple repositories"
                )
                continue
        try:
            for target in targets:
                lines += await _untag(ctx, target, force)
        except APIError as exc:
            errors.append(daemon_error(exc))
    return LabAnswer(1 if errors else 0, "".join(line + "\n" for line in lines + errors))


async def pull(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    text = parsed.args[0]
    try:
        ref = parse_reference(text)
    except ImageRefError:
        raise CliFailure("invalid reference format") from None
    name = familiar(text)
    allowed = ctx.allow_list.resolve(ref) if name is not None else None
    if allowed is None or name is None:
        repository = (name or text).rsplit(":", 1)[0]
        raise Refused("image_not_allowed", text, 1, DENIED.format(repository) + "\n")
    prefix = "Using default tag: latest\n" if ref.tag == "latest" and not text.endswith(":latest") else ""
    had = await ctx.objects.image(name)
    if had is None:
        await ctx.check_images()
    lines = await pull_into_lab(ctx, name, allowed.engine_name, already=had is not None)
    return LabAnswer(0, f"{prefix}{lines}{ref.canonical}\n")


async def tag(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    source_text, target_text = parsed.args[0], parsed.args[1]
    source = await ctx.objects.image(source_text)
    if source is None:
        raise CliFailure(f"Error response from daemon: No such image: {familiar(source_text) or source_text}")
    target = familiar(target_text)
    if target is None:
        raise CliFailure(
            f'Error parsing reference: "{target_text}" is not a valid repository/tag: invalid reference format'
        )
    existing = await ctx.objects.image(target)
    if existing is None or existing.shown != target:
        await ctx.check_images()
    repository, tag_name = _split(ctx.names.image(target))
    await ctx.engine.call(lambda c: c.tag(source.summary["Id"], repository, tag_name))
    return LabAnswer(0, "")


# volumes --------------------------------------------------------------------------------------------


def _check_labels(parsed: ParsedCommand) -> dict[str, str]:
    labels = {}
    for spec in values(parsed, "label"):
        if spec.startswith(RESERVED_LABEL_PREFIX):
            raise Refused("flag", f"{typed(parsed, 'label')} {spec}")
        key, _, text = spec.partition("=")
        labels[key] = text
    return labels


def _check_driver(parsed: ParsedCommand, allowed: str) -> None:
    driver = value(parsed, "driver")
    if driver is not None and driver != allowed:
        raise Refused("flag", f"{typed(parsed, 'driver')} {driver}")


async def volume_create(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    _check_driver(parsed, "local")
    labels = _check_labels(parsed)
    name = (parsed.args[0] if parsed.args else None) or value(parsed, "name") or secrets.token_hex(32)
    if not CONTAINER_NAME.fullmatch(name) or len(name) < 2:
        raise CliFailure(
            f'Error response from daemon: create {name}: "{name}" includes invalid characters for a local volume '
            'name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use '
            "absolute path"
        )
    if await ctx.objects.volume(name) is None:
        await ctx.check_volumes()
        await ctx.engine.call(
            lambda c: c.create_volume(ctx.names.engine(name), labels={**labels, **ctx.names.labels()})
        )
    return LabAnswer(0, name + "\n")


async def volume_ls(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    names = [ctx.names.shown(v["Name"]) for v in await ctx.objects.volumes()]
    if parsed.options.get("quiet"):
        return LabAnswer(0, "".join(n + "\n" for n in names))
    return LabAnswer(0, table(["DRIVER", "VOLUME NAME"], [["local", n] for n in names]))


async def volume_rm(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    force = bool(parsed.options.get("force"))
    done, errors = [], []
    for name in parsed.args:
        volume = await ctx.objects.volume(name)
        if volume is None:
            if not force:
                errors.append(f"Error response from daemon: get {name}: no such volume")
            continue
        try:
            await ctx.engine.call(lambda c, v=volume: c.remove_volume(v["Name"], force=force))
            done.append(name)
        except APIError as exc:
            errors.append(daemon_error(exc))
    return LabAnswer(1 if errors else 0, "".join(line + "\n" for line in done + errors))


# networks -------------------------------------------------------------------------------------------


async def network_create(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    _check_driver(parsed, "bridge")
    labels = _check_labels(parsed)
    name = parsed.args[0]
    if not CONTAINER_NAME.fullmatch(name):
        raise CliFailure(f"Error response from daemon: invalid network name: {name}")
    if any(ctx.names.shown(n["Name"]) == name for n in await ctx.objects.networks()):
        raise CliFailure(f"Error response from daemon: network with name {name} already exists")
    await ctx.check_networks()
    made = await create_network(ctx, name, {**labels, **ctx.names.labels()})
    return LabAnswer(0, str(made["Id"]) + "\n")


async def network_ls(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    networks = await ctx.objects.networks()
    if parsed.options.get("quiet"):
        return LabAnswer(0, "".join(n["Id"][:12] + "\n" for n in networks))
    rows = [[n["Id"][:12], ctx.names.shown(n["Name"]), n.get("Driver") or "bridge", n.get("Scope") or "local"]
            for n in networks]
    return LabAnswer(0, table(["NETWORK ID", "NAME", "DRIVER", "SCOPE"], rows))


async def network_rm(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    done, errors = [], []
    for ref in parsed.args:
        network = await ctx.objects.network(ref)
        if network is None:
            errors.append(f"Error response from daemon: network {ref} not found")
            continue
        try:
            await ctx.engine.call(lambda c, n=network: c.remove_network(n["Id"]))
            done.append(ref)
        except APIError as exc:
            errors.append(daemon_error(exc))
    if errors:
        errors.append("exit status 1")  # the CLI's own last line when a network could not be removed
    return LabAnswer(1 if errors else 0, "".join(line + "\n" for line in done + errors))
