"""How a ``!docker`` message becomes the lab's argv and inline files, and the short answer to each mistake:
through the real command, with a lab that records what it was asked (``conftest.RecordingLab``)."""

from __future__ import annotations

import pytest

from bot.core.commands import CommandError
from bot.lab.parsing import read_blocks
from bot.replies import Tone
from bot.sandbox.lab.port import MAX_FILE_BYTES, MAX_FILES, LabOwner
from tests.lab.conftest import LabBot

FENCE = "```"


async def test_words_are_split_like_a_shell_and_sent_as_argv(lab_bot: LabBot) -> None:
    await lab_bot.say("""run --rm alpine echo "a  b" '$HOME' ; id > /tmp/x""")
    [request] = lab_bot.lab.requests
    assert request.argv == ("run", "--rm", "alpine", "echo", "a  b", "$HOME", ";", "id", ">", "/tmp/x")
    assert request.files == {}
    assert request.owner == LabOwner(member="u-alice", server="console:guild-1")


async def test_a_leading_docker_is_dropped_and_the_owner_is_per_server(lab_bot: LabBot) -> None:
    await lab_bot.say("docker ps -a", scope=None)
    [request] = lab_bot.lab.requests
    assert request.argv == ("ps", "-a")
    assert request.owner == LabOwner(member="u-alice", server="console:dm:general")


async def test_build_takes_the_dockerfile_and_named_files_from_code_blocks(lab_bot: LabBot) -> None:
    text = (
        f"build -t hello .\n{FENCE}dockerfile\nFROM alpine\nCOPY app.sh /app.sh\nCMD [\"sh\", \"/app.sh\"]\n{FENCE}\n"
        f"{FENCE}app.sh\necho hello\n{FENCE}\n\n{FENCE}conf/site.conf\nkey = 1\n{FENCE}"
    )
    await lab_bot.say(text)
    [request] = lab_bot.lab.requests
    assert request.argv == ("build", "-t", "hello", ".")
    assert request.files == {
        "Dockerfile": 'FROM alpine\nCOPY app.sh /app.sh\nCMD ["sh", "/app.sh"]',
        "app.sh": "echo hello",
        "conf/site.conf": "key = 1",
    }


@pytest.mark.parametrize("info", ["", "Dockerfile", "docker", "sh"])
async def test_the_first_block_not_named_as_a_file_is_the_dockerfile(lab_bot: LabBot, info: str) -> None:
    await lab_bot.say(f"image build -t x . {FENCE}{info}\nFROM busybox\n{FENCE}")
    [request] = lab_bot.lab.requests
    assert request.argv == ("image", "build", "-t", "x", ".")
    assert request.files == {"Dockerfile": "FROM busybox"}


async def test_a_dockerfile_named_by_f_is_a_file_block(lab_bot: LabBot) -> None:
    await lab_bot.say(f"build -f Dockerfile.dev .\n{FENCE}Dockerfile.dev\nFROM alpine\n{FENCE}")
    [request] = lab_bot.lab.requests
    assert request.files == {"Dockerfile.dev": "FROM alpine"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("run alpine echo 'hi", "quotes in that command are not balanced"),
        (f"{FENCE}\nFROM alpine\n{FENCE}", "A code block needs a command before it"),
        (f"run alpine\n{FENCE}\necho hi\n{FENCE}", "Code blocks go with `build`"),
        ("build -t x .", "`build` needs a Dockerfile"),
        (f"build .\n{FENCE}\nFROM alpine\n{FENCE}\nand more words", "Write the command first, then the code blocks"),
        (f"build .\n{FENCE}\nFROM alpine\n", "A code block is not closed"),
        (f"build .\n{FENCE}\nFROM alpine\n{FENCE}\n{FENCE}sh\nls\n{FENCE}", "Only one block may be the Dockerfile"),
        (f"build .\n{FENCE}\nFROM alpine\n{FENCE}\n{FENCE}../etc/passwd\nx\n{FENCE}", "`../etc/passwd` is not a file"),
        (f"build .\n{FENCE}\nFROM alpine\n{FENCE}\n{FENCE}/abs.txt\nx\n{FENCE}", "`/abs.txt` is not a file name"),
        (f"build .\n{FENCE}\nFROM a\n{FENCE}\n{FENCE}a.txt\n1\n{FENCE}\n{FENCE}a.txt\n2\n{FENCE}",
         "`a.txt` is given twice"),
        ("status now", "`!docker status` takes nothing after it"),
        ("reset all", "`!docker reset` takes nothing after it"),
    ],
)
async def test_bad_input_gets_a_clear_short_reply_and_reaches_no_lab(lab_bot: LabBot, text: str, expected: str) -> None:
    reply = await lab_bot.reply(text)
    assert reply.tone is Tone.ERROR
    assert expected in reply.plain_text()
    assert len(reply.plain_text()) < 300
    assert lab_bot.lab.requests == [] and lab_bot.lab.asked == []


async def test_file_count_follows_the_port(lab_bot: LabBot) -> None:
    blocks = "\n".join(f"{FENCE}f{n}.txt\n{n}\n{FENCE}" for n in range(MAX_FILES))  # + the Dockerfile: one too many
    reply = await lab_bot.reply(f"build .\n{FENCE}\nFROM alpine\n{FENCE}\n{blocks}")
    assert f"A build takes at most {MAX_FILES} files" in reply.plain_text()
    assert lab_bot.lab.requests == []


def test_file_size_follows_the_port() -> None:
    """Longer than a chat message may be (the pipeline stops those first), so read directly."""
    with pytest.raises(CommandError, match=r"The file `big\.txt` is larger than 16 KiB"):
        read_blocks("en", f"{FENCE}big.txt\n{'é' * (MAX_FILE_BYTES // 2)}x\n{FENCE}")  # bytes, not characters
    largest = "x" * MAX_FILE_BYTES
    assert read_blocks("en", f"{FENCE}big.txt\n{largest}\n{FENCE}") == {"big.txt": largest}


async def test_korean_lab_words_and_replies(lab_bot: LabBot) -> None:
    lab_bot.lab.removed = 0
    reply = await lab_bot.reply("초기화", lang="ko")
    assert "실습실은 이미 비어 있었습니다" in reply.plain_text()
    reply = await lab_bot.reply("build .", lang="ko")
    assert "Dockerfile 이 필요합니다" in reply.plain_text()
