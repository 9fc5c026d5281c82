"""Image references: parsing, normalising, and the allow-list.

The grammar is the one the study notes teach, ``[registry/][user/]name[:tag][@digest]``
(Docker's reference grammar): a first component counts as a registry when it holds a
``.`` or a ``:`` or is ``localhost``; Docker Hub names without a user live under
``library/``. ``alpine`` therefore normalises to ``docker.io/library/alpine:latest``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_REGISTRY = "docker.io"
DEFAULT_TAG = "latest"
ANY_TAG = "*"
MAX_REFERENCE_CHARS = 255

_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_DOMAIN = re.compile(
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]{1,5})?"
)
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


class ImageRefError(ValueError):
    """A reference that does not follow the grammar. ``reason`` is an i18n key suffix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A normalised reference: ``registry/path:tag[@digest]``. ``tag`` is empty for a digest given
    without a tag (``alpine@sha256:…`` names no tag, and is not ``latest``)."""

    registry: str
    path: str
    tag: str
    digest: str | None = None

    @property
    def repository(self) -> str:
        """``docker.io/library/alpine``: what ``docker pull`` takes before the tag."""
        return f"{self.registry}/{self.path}"

    @property
    def canonical(self) -> str:
        text = f"{self.repository}:{self.tag}" if self.tag else self.repository
        return f"{text}@{self.digest}" if self.digest else text

    @property
    def engine_name(self) -> str:
        """The name to hand the engine: a digest pins the content, so it replaces the tag."""
        return f"{self.repository}@{self.digest}" if self.digest else f"{self.repository}:{self.tag}"

    @property
    def short(self) -> str:
        """The familiar form: ``alpine:latest``, ``user/app:1``, ``127.0.0.1:5000/x/y:1``; a digest in full
        (``x/y@sha256:…``), since that is what runs."""
        path = self.path
        text = path.removeprefix("library/") if self.registry == DEFAULT_REGISTRY else f"{self.registry}/{path}"
        if self.tag:
            text = f"{text}:{self.tag}"
        return f"{text}@{self.digest}" if self.digest else text

    def __str__(self) -> str:
        return self.canonical


def parse_reference(text: str, *, allow_any_tag: bool = False) -> ImageRef:
    """Parse and normalise ``text``; raise :class:`ImageRefError` when it is not a reference."""
    if not text:
        raise ImageRefError("empty")
    if len(text) > MAX_REFERENCE_CHARS:
        raise ImageRefError("too_long")
    if any(ch.isspace() for ch in text) or not text.isascii():
        raise ImageRefError("characters")

    rest, digest = text, None
    if "@" in rest:
        rest, _, digest = rest.partition("@")
        if not _DIGEST.fullmatch(digest):
            raise ImageRefError("digest")

    tag = None
    last_slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
        if not (allow_any_tag and tag == ANY_TAG) and not _TAG.fullmatch(tag):
            raise ImageRefError("tag")

    parts = rest.split("/")
    registry = DEFAULT_REGISTRY
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry = parts.pop(0)
        if not _DOMAIN.fullmatch(registry):
            raise ImageRefError("name")
        registry = registry.lower()
    if not parts or any(not part for part in parts):
        raise ImageRefError("name")
    for part in parts:
        if part.lower() != part:
            raise ImageRefError("uppercase")
        if not _COMPONENT.fullmatch(part):
            raise ImageRefError("name")
    if registry in ("index.docker.io", "registry-1.docker.io"):
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and len(parts) == 1:
        parts.insert(0, "library")
    if tag is None:
        tag = "" if digest else DEFAULT_TAG
    return ImageRef(registry=registry, path="/".join(parts), tag=tag, digest=digest)


@dataclass(frozen=True, slots=True)
class AllowList:
    """The images ``!run`` may use. An entry's tag ``*`` allows every tag of that repository."""

    entries: tuple[ImageRef, ...]

    def resolve(self, ref: ImageRef) -> ImageRef | None:
        """The reference to run for ``ref``, or None when the list does not allow it.

        A tag must be listed (or the entry's tag be ``*``). A digest is accepted only by a ``name:*``
        entry or by an entry that names that very digest: a digest of some other tag of a pinned
        repository is refused. A tag whose entry names a digest runs that digest.
        """
        for entry in self.entries:
            if entry.repository != ref.repository:
                continue
            if entry.tag == ANY_TAG:
                return ref
            if ref.digest is not None:
                if entry.digest == ref.digest:
                    return ref
            elif entry.tag == ref.tag:
                return entry if entry.digest else ref
        return None

    def names_digest(self, ref: ImageRef) -> bool:
        """Whether an entry names ``ref``'s digest itself (only such digests are ever pulled)."""
        return ref.digest is not None and any(
            entry.repository == ref.repository and entry.digest == ref.digest for entry in self.entries
        )

    def shown(self) -> list[str]:
        return [entry.short for entry in self.entries]

    def pullable(self) -> list[ImageRef]:
        """Entries with a concrete tag: what the background pull fetches."""
        return [entry for entry in self.entries if entry.tag != ANY_TAG]


def parse_allow_list(value: str | Iterable[str]) -> AllowList:
    """``"alpine, python:3-alpine"`` → an :class:`AllowList`; ValueError names a bad entry."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    entries = []
    for item in items:
        try:
            entries.append(parse_reference(item, allow_any_tag=True))
        except ImageRefError as exc:
            raise ValueError(f"bad image {item!r} ({exc.reason})") from None
    if not entries:
        raise ValueError("the list of images is empty")
    return AllowList(tuple(dict.fromkeys(entries)))
