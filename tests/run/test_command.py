"""``!run`` in chat: how its arguments are read (words as argv, code blocks, options refused), what it
answers to bad images, quotes and blocks, the image list, the reply to a run, and the language. Through the
sandbox tests' bot (``tests/sandbox/conftest.py``); the tests marked ``docker`` run a container."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.replies import Code, Reply, Tone
from tests.sandbox.sbx import BOTH_PATHS, Bot, MakeBot


def output_of(reply: Reply) -> str:
    codes = [block.text for block in reply.blocks if isinstance(block, Code)]
    assert codes, reply.plain_text()
    return codes[0]


# arguments and refusals: nothing here reaches the engine ------------------------------------------


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

# runs: what the command hands the container, and the reply it makes of the result ---------------------


@pytest.mark.docker
@BOTH_PATHS
async def test_happy_path(bot: Bot) -> None:
    replies = await bot.run("alpine echo hi")
    assert len(replies) == 1
    reply = replies[0]
    assert reply.tone is Tone.SUCCESS
    assert output_of(reply) == "hi"
    text = reply.plain_text()
    assert text.startswith("✅ alpine:latest — exit 0")
    assert "runtime `runsc`" in text  # gVisor is installed by .ci/setup-docker.sh
    assert not reply.attachments


@pytest.mark.docker
@BOTH_PATHS
async def test_words_go_to_the_container_as_argv_not_through_a_shell(bot: Bot) -> None:
    out = output_of(await bot.result("""alpine echo "a  b" '$HOME' ; id > /tmp/x"""))
    assert out == "a  b $HOME ; id > /tmp/x"


@pytest.mark.docker
async def test_code_block_runs_with_sh(bot: Bot) -> None:
    reply = await bot.result("alpine\n```sh\nfor i in 1 2 3; do echo n$i; done\nexit 3\n```")
    assert output_of(reply) == "n1\nn2\nn3"
    assert reply.tone is Tone.ERROR
    assert "exit 3" in reply.plain_text()


@pytest.mark.docker
async def test_empty_output_says_so(bot: Bot) -> None:
    assert output_of(await bot.result("alpine true")) == "[no output]"


@pytest.mark.docker
async def test_one_line_code_block_runs(bot: Bot) -> None:
    reply = await bot.result("alpine ```echo hi```")
    assert output_of(reply) == "hi", reply.plain_text()
