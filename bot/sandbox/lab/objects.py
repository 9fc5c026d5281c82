"""A lab's objects on the engine, and the member's references to them.

Whatever a member names (``web``, ``3f2a``, ``hello:1``) is looked up among the lab's own objects only, listed
with the lab's label filter (images: the lab's tags); the engine is then given the object's full id or namespaced
name, never the member's text. Another lab's object is therefore exactly as absent as a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sandbox.engine import Engine
from bot.sandbox.images import DEFAULT_REGISTRY, ImageRefError, parse_reference
from bot.sandbox.lab.names import LabNames
from bot.sandbox.lab.policy import CliFailure

Summary = dict[str, Any]
NO_SUCH_CONTAINER = "Error response from daemon: No such container: {}"


def familiar(reference: str) -> str | None:
    """``alpine`` → ``alpine:latest``, ``user/app:1`` → ``user/app:1``; None for a reference the lab cannot hold
    (a registry host, a digest) or that is not a reference at all."""
    try:
        ref = parse_reference(reference)
    except ImageRefError:
        return None
    if ref.registry != DEFAULT_REGISTRY or ref.digest is not None:
        return None
    return f"{ref.path.removeprefix('library/')}:{ref.tag}"


@dataclass(frozen=True, slots=True)
class LabImageTag:
    shown: str  # hello:latest
    engine_ref: str  # lab-<id>/hello:latest
    summary: Summary  # the engine's image list entry


class LabObjects:
    """Listing and resolving one lab's objects. The calls use the regular pool, not the quick one: a busy
    engine lists slowly, and a lab command may wait for it."""

    def __init__(self, engine: Engine, names: LabNames) -> None:
        self.engine = engine
        self.names = names

    async def containers(self) -> list[Summary]:
        return await self.engine.call(lambda c: c.containers(all=True, filters=self.names.filter))

    async def container(self, reference: str, *, missing: str = NO_SUCH_CONTAINER) -> Summary:
        """The lab's container ``reference`` names (its name, full id or a unique id prefix); raises
        :class:`CliFailure` with ``missing`` (the command's own text) when it names none of the lab's."""
        found = resolve(await self.containers(), reference, self.container_names)
        if found is None:
            raise CliFailure(missing.format(reference))
        return found

    def container_names(self, summary: Summary) -> list[str]:
        return [self.names.shown(n) for n in summary.get("Names") or ()]

    async def image_tags(self) -> list[LabImageTag]:
        prefix = self.names.repository_prefix
        # Every image, filtered here: the engine's reference filter matches one path component per ``*``, and a
        # member's repository may have any number (``a/b/c/d``); a tag the lab did not see would outlive it.
        images = await self.engine.call(lambda c: c.images())
        tags = []
        for image in images:
            for tag in image.get("RepoTags") or ():
                if tag.startswith(prefix):
                    tags.append(LabImageTag(tag.removeprefix(prefix), tag, image))
        tags.sort(key=lambda t: (-int(t.summary.get("Created") or 0), t.shown))
        return tags

    async def image(self, reference: str) -> LabImageTag | None:
        """The lab's image ``reference`` names: a tag (``alpine`` = ``alpine:latest``), or an id or unique id
        prefix (the first tag of that image)."""
        tags = await self.image_tags()
        name = familiar(reference)
        for tag in tags:
            if tag.shown == name:
                return tag
        wanted = reference.removeprefix("sha256:").lower()
        if len(wanted) < 1 or any(ch not in "0123456789abcdef" for ch in wanted):
            return None
        matches = {t.summary["Id"]: t for t in tags if t.summary["Id"].removeprefix("sha256:").startswith(wanted)}
        return next(iter(matches.values())) if len(matches) == 1 else None

    async def volumes(self) -> list[Summary]:
        found = await self.engine.call(lambda c: c.volumes(filters=self.names.filter))
        return sorted(found.get("Volumes") or (), key=lambda v: v["Name"])

    async def volume(self, name: str) -> Summary | None:
        return next((v for v in await self.volumes() if self.names.shown(v["Name"]) == name), None)

    async def networks(self) -> list[Summary]:
        found = await self.engine.call(lambda c: c.networks(filters=self.names.filter))
        return sorted(found, key=lambda n: n["Name"])

    async def network(self, reference: str) -> Summary | None:
        return resolve(await self.networks(), reference, lambda n: [self.names.shown(n["Name"])])


def resolve(objects: list[Summary], reference: str, names: Any) -> Summary | None:
    """The engine's lookup order, over ``objects`` only: full id, then name, then a unique id prefix."""
    if not reference:
        return None
    for obj in objects:
        if obj["Id"] == reference:
            return obj
    for obj in objects:
        if reference in names(obj):
            return obj
    matches = [obj for obj in objects if obj["Id"].startswith(reference.lower())]
    return matches[0] if len(matches) == 1 else None
