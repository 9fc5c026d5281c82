"""``!docker compose …``: how the message's code blocks become the lab's ``compose.yaml`` (and the Dockerfile and
files its builds use), the short answer to each mistake, and the help lines (a lab that records what it was
asked stands in for the engine)."""

from __future__ import annotations

import pytest

from bot.replies import Code, Tone
from tests.lab.conftest import LabBot

FENCE = "```"
COMPOSE = "services:\n  web:\n    image: alpine"


@pytest.mark.parametrize(
    "info", ["yaml", "yml", "YAML", "", "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"]
)
async def test_the_compose_block_is_passed_as_compose_yaml(lab_bot: LabBot, info: str) -> None:
    await lab_bot.say(f"compose up -d\n{FENCE}{info}\n{COMPOSE}\n{FENCE}")
    [request] = lab_bot.lab.requests
    assert request.argv == ("compose", "up", "-d")
    assert request.files == {"compose.yaml": COMPOSE}


async def test_a_build_service_takes_the_dockerfile_and_named_files(lab_bot: LabBot) -> None:
    await lab_bot.say(
        f"docker compose -p demo up\n{FENCE}yaml\nservices:\n  app:\n    build: .\n{FENCE}\n"
        f"{FENCE}dockerfile\nFROM alpine\nCOPY app.sh /app.sh\n{FENCE}\n{FENCE}app.sh\necho hi\n{FENCE}"
    )
    [request] = lab_bot.lab.requests
    assert request.argv == ("compose", "-p", "demo", "up")
    assert request.files == {
        "compose.yaml": "services:\n  app:\n    build: .",
        "Dockerfile": "FROM alpine\nCOPY app.sh /app.sh",
        "app.sh": "echo hi",
    }


@pytest.mark.parametrize("words", ["compose ps", "compose logs web", "compose -p demo down -v"])
async def test_ps_logs_and_down_need_no_file(lab_bot: LabBot, words: str) -> None:
    await lab_bot.say(words)
    [request] = lab_bot.lab.requests
    assert request.argv == tuple(words.split()) and request.files == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("compose up -d", "`compose up` needs the compose file"),
        ("compose -p demo up", "`compose up` needs the compose file"),
        (f"compose up\n{FENCE}dockerfile\nFROM alpine\n{FENCE}", "`compose up` needs the compose file"),
        (f"compose up\n{FENCE}yaml\n{COMPOSE}\n{FENCE}\n{FENCE}yml\n{COMPOSE}\n{FENCE}",
         "Only one block may be the compose file"),
        (f"run alpine\n{FENCE}yaml\n{COMPOSE}\n{FENCE}", "Code blocks go with `build`"),
    ],
)
async def test_mistakes_get_a_short_reply_and_reach_no_lab(lab_bot: LabBot, text: str, expected: str) -> None:
    reply = await lab_bot.reply(text)
    assert reply.tone is Tone.ERROR
    assert expected in reply.plain_text()
    assert lab_bot.lab.requests == []


@pytest.mark.parametrize(("lang", "line"), [("en", "`compose` — `up [-d]`"), ("ko", "`compose` — `up [-d]`")])
async def test_help_lists_compose(lab_bot: LabBot, lang: str, line: str) -> None:
    text = (await lab_bot.reply("help", lang=lang)).plain_text()
    assert line in text and ("compose 파일" in text if lang == "ko" else "compose file" in text)


async def test_help_compose_shows_its_usage(lab_bot: LabBot) -> None:
    reply = await lab_bot.reply("help compose up")
    [code] = [b.text for b in reply.blocks if isinstance(b, Code)]
    assert code.startswith("Usage:  docker compose up [OPTIONS] [SERVICE...]\n\nCreate and start containers")
    assert "-d, --detach" in code
    group = next(b.text for b in (await lab_bot.reply("help compose")).blocks if isinstance(b, Code))
    assert "-p, --project-name string" in group and "  down        Stop and remove containers, networks" in group
