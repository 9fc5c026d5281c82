"""``docker build``: the lab's side of it (names, quotas, which bases a FROM may name); the build itself is
:func:`bot.sandbox.lab.build.build_image`."""

from __future__ import annotations

from docker.errors import APIError

from bot.sandbox.errors import PullFailed
from bot.sandbox.images import ImageRefError, parse_reference
from bot.sandbox.lab.build import build_image
from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.dockerfile import BuildRefused
from bot.sandbox.lab.objects import LabImageTag, familiar
from bot.sandbox.lab.policy import CliFailure, ParsedCommand, Refused, value, values
from bot.sandbox.lab.port import LabAnswer

DOCKERFILE = "Dockerfile"


async def resolve_base(ctx: LabContext, text: str) -> str:
    """A FROM: one of the lab's images, or an allow-listed one (pulled when missing); else BuildRefused."""
    tag = await ctx.objects.image(text)
    if tag is not None:
        return tag.engine_ref
    try:
        allowed = ctx.allow_list.resolve(parse_reference(text))
    except ImageRefError:
        allowed = None
    if allowed is None:
        raise BuildRefused("build_from", text)
    try:
        await ctx.puller.ensure(allowed)
    except PullFailed as exc:
        raise BuildRefused("build_from", text) from exc
    return allowed.engine_name


async def _built_bytes(ctx: LabContext, replaced: LabImageTag | None) -> int:
    """What the lab's built images hold on the engine, the ones a rebuild left untagged included (the member
    never sees them, but the disk holds them). Untagged ones no container uses are removed first; the image
    the new build's tag takes over (``replaced``, when that tag is its only one) does not count: it is the one
    this build replaces (so a lab holds at most one such image over its cap, until its next build)."""
    names = ctx.names
    images = await ctx.engine.call(lambda c: c.images(filters=names.filter))
    kept = []
    for image in images:
        tags = [t for t in image.get("RepoTags") or () if t != "<none>:<none>"]
        if not tags:
            try:
                await ctx.engine.call(lambda c, i=image["Id"]: c.remove_image(i))
                continue
            except APIError:  # a container of the lab still uses it: it stays, and counts
                pass
        if replaced is not None and image["Id"] == replaced.summary["Id"] and tags == [replaced.engine_ref]:
            continue
        kept.append(image)
    return sum(int(image.get("Size") or 0) for image in kept)


async def build(ctx: LabContext, parsed: ParsedCommand) -> LabAnswer:
    tags = values(parsed, "tag")
    if not tags:
        raise Refused("unsupported", "build without -t")  # an untagged image would belong to no lab
    shown = familiar(tags[-1])
    if shown is None:
        raise CliFailure(f'invalid argument "{tags[-1]}" for "-t, --tag" flag: invalid reference format')
    name = value(parsed, "file") or DOCKERFILE
    dockerfile = ctx.files.get(name)
    if dockerfile is None:
        raise CliFailure(
            f"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {name}: "
            "no such file or directory"
        )
    existing = await ctx.objects.image(shown)
    if existing is None or existing.shown != shown:
        await ctx.check_images()
    if not await ctx.objects.containers() and not await ctx.objects.volumes():
        await ctx.check_new_lab()
    replaced = existing if existing is not None and existing.shown == shown else None
    room = ctx.settings.lab_image_mib * 1024 * 1024 - await _built_bytes(ctx, replaced)
    if room <= 0:
        raise Refused("quota", f"image_mib:{ctx.settings.lab_image_mib}")

    async def base(text: str) -> str:
        return await resolve_base(ctx, text)

    return await build_image(
        ctx.engine,
        dockerfile=dockerfile,
        files={k: v for k, v in ctx.files.items() if k != name},
        target=ctx.names.image(shown),
        shown_target=shown,
        labels=ctx.names.labels(),
        resolve_base=base,
        limits=ctx.limits,
        runtime=await ctx.runtime(),
        step_timeout=ctx.settings.timeout,
        max_bytes=room,
        events=ctx.events,
    )
