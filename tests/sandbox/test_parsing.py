"""Argument and image checks: every bad form gets a clear reply, and nothing reaches the engine."""

from __future__ import annotations

import pytest
from sbx import BOTH_PATHS, MakeBot

from bot.i18n import t
from bot.replies import Tone
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


@BOTH_PATHS
@pytest.mark.parametrize(
    "args",
    ["-v /:/host alpine ls", "--privileged alpine id", "--rm alpine true", "-it alpine sh", "--network=host alpine"],
)
async def test_options_before_the_image_are_refused(make_bot: MakeBot, args: str) -> None:
    bot = await make_bot()
    reply = await bot.result(args)
    assert reply.tone is Tone.ERROR
    assert "Options are not accepted" in reply.plain_text()
    assert args.split()[0].split("=")[0] in reply.plain_text()


@BOTH_PATHS
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("../x ls", "is not a valid image name"),
        ("Alpine echo hi", "names must be lower case"),
        ("a" * 300 + " echo", "longer than 255"),
        ("alpine:@x echo", "is not a valid image name"),
        ("ubuntu echo hi", "is not on the list of images I may run"),
        ("evil.example.com/alpine echo hi", "is not on the list"),
        ("alpine:3.19 echo hi", "is not on the list"),
    ],
)
async def test_bad_or_unlisted_images_name_what_is_allowed(make_bot: MakeBot, args: str, expected: str) -> None:
    bot = await make_bot()
    text = (await bot.result(args)).plain_text()
    assert expected in text
    assert "Allowed images: `alpine:latest`, `busybox:latest`" in text


async def test_unbalanced_quotes_get_a_clear_reply(make_bot: MakeBot) -> None:
    bot = await make_bot()
    reply = await bot.result("alpine echo 'hi")
    assert "quotes in that command are not balanced" in reply.plain_text()


async def test_missing_command_and_bad_blocks(make_bot: MakeBot) -> None:
    bot = await make_bot()
    assert "Missing `command`" in (await bot.result("alpine")).plain_text()
    assert "not both" in (await bot.result("alpine echo\n```\nls\n```")).plain_text()
    assert "not closed" in (await bot.result("alpine\n```sh\nls\n")).plain_text()


@BOTH_PATHS
@pytest.mark.parametrize("args", ["", "images", "  IMAGES "])
async def test_run_alone_lists_the_images(make_bot: MakeBot, args: str) -> None:
    bot = await make_bot()
    text = (await bot.result(args)).plain_text()
    assert "Images you can run" in text
    for name in ("alpine:latest", "busybox:latest", "127.0.0.1:5000/studybot/tiny:1"):
        assert f"`{name}`" in text


@BOTH_PATHS
async def test_replies_follow_the_language(make_bot: MakeBot) -> None:
    bot = await make_bot()
    text = (await bot.result("--privileged alpine", lang="ko")).plain_text()
    assert "옵션" in text
    assert t("ko", "run.images.title") in (await bot.result("images", lang="ko")).plain_text()


@BOTH_PATHS
async def test_disabled_sandbox_says_so(make_bot: MakeBot) -> None:
    bot = await make_bot(sandbox_enabled=False)
    assert "turned off" in (await bot.result("alpine echo hi")).plain_text()
