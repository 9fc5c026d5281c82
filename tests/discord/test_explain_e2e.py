"""`!explain`, `/explain`, help and errors through the real discord.py client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core import Core
from tests.discord.conftest import DiscordHarness
from tests.fakes.discord_server import FakeDiscord

NO_PINGS = {"parse": []}


async def test_login_ready_and_slash_commands_synced(discord_env: DiscordHarness) -> None:
    assert discord_env.bot.is_ready()
    synced = {c["name"] for cmds in discord_env.fake.commands.values() for c in cmds}
    assert {"explain", "help", "reindex"} <= synced


async def test_prefix_explain_replies_to_the_message(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    asked = await fake.send_message(fake.channel, discord_env.alice, "!explain 이미지가 뭐야")
    reply = await fake.next_message(fake.channel)
    assert reply.message_reference and int(reply.message_reference["message_id"]) == asked.id
    assert "컨테이너 실행에 필요한 파일과 설정값" in reply.text
    assert "docker-guide-ko.md › 이미지" in reply.text
    assert reply.allowed_mentions is not None and reply.allowed_mentions.get("parse") == []


async def test_mention_prefix_works(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, f"<@{fake.bot_user.id}> explain --rm")
    reply = await fake.next_message(fake.channel)
    assert "--rm" in reply.text


async def test_slash_explain_answers_the_interaction(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    interaction = await fake.slash(fake.channel, discord_env.alice, "explain", {"query": "RUN"})
    reply = await fake.next_message(fake.channel)
    assert reply.interaction_token == interaction.token
    assert "명령어를 그대로 실행" in reply.text  # the Dockerfile instruction, not the CLI command
    verbose = await fake.slash(fake.channel, discord_env.alice, "explain", {"query": "-v", "verbose": True})
    whole = await fake.next_message(fake.channel)
    assert whole.interaction_token == verbose.token
    assert "-d" in whole.text and "-p" in whole.text and "-v" in whole.text


async def test_unknown_command_suggests(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!explian run")
    reply = await fake.next_message(fake.channel)
    assert "Unknown command" in reply.text and "!explain" in reply.text


async def test_mention_laden_query_pings_nobody(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    target = discord_env.boss
    await fake.send_message(
        fake.channel, discord_env.alice, f"!explain @everyone @here <@{target.id}> <@&{fake.guild.id}> kubernetes"
    )
    reply = await fake.next_message(fake.channel)
    assert reply.allowed_mentions is not None and reply.allowed_mentions.get("parse") == []
    assert not reply.allowed_mentions.get("users") and not reply.allowed_mentions.get("roles")
    assert "@everyone" not in reply.text and "@here" not in reply.text
    assert f"<@{target.id}>" not in reply.text


async def test_help_and_managers_only(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!help")
    help_reply = await fake.next_message(fake.channel)
    assert "!explain [-v] <topic>" in help_reply.text
    await fake.send_message(fake.channel, discord_env.alice, "!reindex")
    refused = await fake.next_message(fake.channel)
    assert "Only members who can manage the server" in refused.text
    await fake.send_message(fake.channel, discord_env.boss, "!reindex")
    done = await fake.next_message(fake.channel, timeout=10)
    assert "Only members" not in done.text


@pytest.fixture
async def long_notes_core(tmp_path: Path, make_settings: Callable[..., Settings]) -> AsyncIterator[Core]:
    notes = tmp_path / "long-notes"
    notes.mkdir()
    entries = "\n".join(f"- `opt{i}` 옵션 {i} 설명: " + "긴 설명 문장입니다. " * 12 for i in range(60))
    code = "```sh\n" + "\n".join(f"docker run --name c{i} alpine echo {i}" for i in range(80)) + "\n```"
    (notes / "long.md").write_text(f"# 긴 노트\n\n## 옵션 모음\n> 아주 긴 섹션.\n\n{entries}\n\n{code}\n")
    settings: Settings = make_settings(notes_dir=notes)
    started = await Core.start(settings)
    yield started
    await started.close()


async def test_long_verbose_reply_is_split_within_limits(long_notes_core: Core) -> None:
    from bot.adapters.discord.client import StudyBot

    async with FakeDiscord() as fake:
        alice = fake.add_member("alice")
        async with fake.run_bot(StudyBot(long_notes_core, guild_ready_timeout=0.05)):
            await fake.send_message(fake.channel, alice, "!explain -v 옵션 모음")
            first = await fake.next_message(fake.channel)
            await fake.wait_for(lambda m: "opt59" in m.text, timeout=10)
            parts = [m for m in fake.sent if m.channel_id == fake.channel.id]
            assert parts[0].id == first.id and len(parts) >= 2
            for part in parts:
                [embed] = part.embeds
                assert len(embed.get("description", "")) <= 4096
                assert embed.get("description", "").count("```") % 2 == 0
            text = "\n".join(p.text for p in parts)
            assert "opt0" in text and "opt59" in text
        assert not fake.unknown_requests


async def test_sharded_bot_connects_every_shard_and_answers(core: Core) -> None:
    from bot.adapters.discord.client import ShardedStudyBot

    async with FakeDiscord(shard_count=2) as fake:
        alice = fake.add_member("alice")
        bot = ShardedStudyBot(core, guild_ready_timeout=0.05, shard_count=2)
        async with fake.run_bot(bot):
            assert sorted(bot.shards) == [0, 1]
            await fake.send_message(fake.channel, alice, "!explain -d")
            reply = await fake.next_message(fake.channel)
            assert "detached" in reply.text
        assert not fake.unknown_requests


async def test_a_refused_token_is_one_clear_line_and_exit_code_2(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    from bot.adapters.launch import run_chat

    started = await Core.start(make_settings(DISCORD_TOKEN="not-the-right-token"))
    try:
        async with FakeDiscord():
            assert await run_chat(started) == 2
    finally:
        await started.close()
    assert "Discord refused the token (DISCORD_TOKEN)" in caplog.text
    assert "not-the-right-token" not in caplog.text


async def test_slash_commands_carry_korean_descriptions(discord_env: DiscordHarness) -> None:
    commands = {c["name"]: c for cmds in discord_env.fake.commands.values() for c in cmds}
    explain = commands["explain"]
    assert explain["description"] == "Explain a Docker topic from the study notes."  # the words of !help
    assert explain["description_localizations"]["ko"] == "스터디 노트에서 Docker 주제를 찾아 설명합니다."
    query = next(o for o in explain["options"] if o["name"] == "query")
    assert query["description_localizations"]["ko"] == "설명할 것 (예: run, -v, 이미지)"
    assert set(commands) == {c.name for c in discord_env.core.commands.values()}  # every command has its slash form
    for command in commands.values():  # every description has its Korean text, within Discord's limit
        assert 0 < len(command["description_localizations"]["ko"]) <= 100, command["name"]
        for option in command.get("options", []):
            assert option["description_localizations"]["ko"] != option["description"], option["name"]
            assert len(option["description"]) <= 100


async def test_explain_choices_are_buttons_and_a_pick_is_learned(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!explain 컨테이너 공유")
    offer = await fake.next_message(fake.channel)
    link = next(b for b in offer.buttons() if "-link" in str(b.get("label")))
    await fake.click(offer, str(link["custom_id"]), discord_env.alice)
    shown = await fake.wait_for(lambda m: m.id != offer.id and "`-link` 컨테이너 연결" in m.text)
    assert "docker-guide-ko.md" in shown.text
    await fake.send_message(fake.channel, discord_env.boss, "!explain 컨테이너 공유")  # another member
    again = await fake.wait_for(lambda m: "Members here picked this" in m.text)
    assert "`-link` 컨테이너 연결" in again.text and not again.buttons()


async def test_explain_from_the_reference_is_labelled(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!explain 응답 없는 컨테이너 강제로 꺼야 돼")
    reply = await fake.next_message(fake.channel)
    assert "Docker reference" in reply.text and "docker kill" in reply.text
    assert "not the study notes" in reply.text
