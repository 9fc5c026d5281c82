"""Image references and the allow-list (:mod:`bot.sandbox.images`): names normalised, malformed ones refused.
``!run``'s argument checks and their replies are in ``tests/run/test_command.py``."""

from __future__ import annotations

import pytest

from bot.sandbox.images import ImageRefError, parse_allow_list, parse_reference


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("alpine", "docker.io/library/alpine:latest"),
        ("alpine:3.19", "docker.io/library/alpine:3.19"),
        ("library/alpine", "docker.io/library/alpine:latest"),
        ("docker.io/library/alpine:latest", "docker.io/library/alpine:latest"),
        ("index.docker.io/library/busybox", "docker.io/library/busybox:latest"),
        ("user/app:1.0", "docker.io/user/app:1.0"),
        ("127.0.0.1:5000/studybot/tiny:1", "127.0.0.1:5000/studybot/tiny:1"),
        ("localhost/x", "localhost/x:latest"),
        ("ghcr.io/a/b-c_d.e", "ghcr.io/a/b-c_d.e:latest"),
        # A digest without a tag names no tag (it is not "latest").
        ("alpine@sha256:" + "a" * 64, "docker.io/library/alpine@sha256:" + "a" * 64),
        ("alpine:3@sha256:" + "a" * 64, "docker.io/library/alpine:3@sha256:" + "a" * 64),
    ],
)
def test_references_are_normalised(text: str, canonical: str) -> None:
    assert parse_reference(text).canonical == canonical


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("../x", "name"),
        ("Alpine", "uppercase"),
        ("a" * 256, "too_long"),
        ("alpine:", "tag"),
        ("alpine:-x", "tag"),
        ("alpine@sha256:abc", "digest"),
        ("a//b", "name"),
        ("-alpine", "name"),
        ("alp ine", "characters"),
        ("álpine", "characters"),
        ("bad_host!:5000/x", "name"),
    ],
)
def test_malformed_references_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ImageRefError) as caught:
        parse_reference(text)
    assert caught.value.reason == reason


def test_allow_list_tags_and_wildcards() -> None:
    allowed = parse_allow_list("alpine, python:3-alpine, node:*")
    assert allowed.resolve(parse_reference("alpine")) is not None
    assert allowed.resolve(parse_reference("alpine:3.19")) is None
    assert allowed.resolve(parse_reference("python:3-alpine")) is not None
    assert allowed.resolve(parse_reference("python")) is None
    assert allowed.resolve(parse_reference("node:22-alpine")) is not None
    assert allowed.resolve(parse_reference("evil/alpine")) is None
    # Issue 10, item 1: a digest does not get round a tag pin; only `name:*` or the entry naming it allow it.
    assert allowed.resolve(parse_reference("alpine@sha256:" + "b" * 64)) is None
    assert allowed.resolve(parse_reference("python@sha256:" + "b" * 64)) is None
    assert allowed.resolve(parse_reference("node@sha256:" + "b" * 64)) is not None
    pinned = parse_allow_list("alpine:3@sha256:" + "c" * 64)
    assert pinned.resolve(parse_reference("alpine@sha256:" + "c" * 64)) is not None
    assert pinned.resolve(parse_reference("alpine@sha256:" + "d" * 64)) is None
    # The pinned tag runs the pinned digest, and says so.
    assert pinned.resolve(parse_reference("alpine:3")).short == "alpine:3@sha256:" + "c" * 64  # type: ignore[union-attr]
    assert pinned.names_digest(parse_reference("alpine@sha256:" + "c" * 64))
    assert not parse_allow_list("node:*").names_digest(parse_reference("node@sha256:" + "c" * 64))
    with pytest.raises(ValueError, match="UPPER"):
        parse_allow_list("alpine, UPPER")
