"""Self-tests of the fake Discord: a minimal discord.py bot (defined here, not the project's) must work
against it exactly as it would against Discord."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_server import FakeDiscord, FakeDiscordTimeout


class MenuView(discord.ui.View):
    @discord.ui.button(label="Yes", custom_id="menu:yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content=f"{interaction.user.name} chose yes", view=None)

    @discord.ui.button(label="Later", custom_id="menu:later", disabled=True)
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("never")


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


deck = app_commands.Group(name="deck", description="Flash cards")


@deck.command(name="add", description="Add a card")
async def deck_add(interaction: discord.Interaction, card: str, owner: discord.Member, copies: int = 1) -> None:
    await interaction.response.send_message(f"added {card} x{copies} for {owner.display_name}")


class SelfTestCog(commands.Cog):
    @commands.command()
    async def ping(self, ctx: commands.Context) -> None:
        await ctx.send("pong")

    @commands.hybrid_command(description="Echo text back")
    async def echo(self, ctx: commands.Context, text: str, times: int = 1) -> None:
        await ctx.send(f"echo: {text}")
        await ctx.send(f"times: {times}")

    @commands.hybrid_command(description="Type, then answer twice")
    async def think(self, ctx: commands.Context) -> None:
        async with ctx.typing():
            pass
        await ctx.send("thought")
        await ctx.send("more")

    @app_commands.command(description="A private answer")
    async def secret(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you can see this", ephemeral=True)

    @app_commands.command(description="Think, then answer")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done thinking")

    @app_commands.command(description="Send feedback")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @app_commands.command(description="Managers only")
    @app_commands.default_permissions(manage_guild=True)
    async def admin(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("admin ok")

    @commands.command()
    async def menu(self, ctx: commands.Context) -> None:
        await ctx.send("pick one", view=MenuView())

    @commands.command()
    async def upload(self, ctx: commands.Context) -> None:
        await ctx.send("here", file=discord.File(io.BytesIO(b"hello file"), filename="notes.txt"))

    @commands.command()
    async def count(self, ctx: commands.Context) -> None:
        message = await ctx.send("1")
        await message.edit(content="2")

    @commands.command()
    async def readfile(self, ctx: commands.Context) -> None:
        async with ctx.typing():
            data = await ctx.message.attachments[0].read()
        await ctx.message.add_reaction("\N{THUMBS UP SIGN}")
        await ctx.reply(f"{len(data)} bytes: {data.decode()}", mention_author=False)

    @commands.command()
    async def whoami(self, ctx: commands.Context) -> None:
        assert isinstance(ctx.author, discord.Member)
        manager = ctx.author.guild_permissions.manage_guild
        mentioned = ", ".join(m.name for m in ctx.message.mentions) or "nobody"
        await ctx.send(f"{ctx.author.name} manager={manager} mentioned={mentioned}")

    @commands.command()
    async def dm(self, ctx: commands.Context) -> None:
        await ctx.author.send("psst")

    @commands.Cog.listener()
    async def on_reaction_add(self, reaction: discord.Reaction, user: discord.Member) -> None:
        if not user.bot:
            await reaction.message.channel.send(f"saw {reaction.emoji} from {user.name}")


def _intents(*, message_content: bool = True) -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = message_content
    intents.members = True
    return intents


class SelfTestBot(commands.Bot):
    def __init__(self, *, message_content: bool = True) -> None:
        super().__init__(
            command_prefix="!", intents=_intents(message_content=message_content), guild_ready_timeout=0.05
        )

    async def setup_hook(self) -> None:
        await self.add_cog(SelfTestCog())
        self.tree.add_command(deck)
        await self.tree.sync()


class ShardedSelfTestBot(commands.AutoShardedBot):
    def __init__(self) -> None:
        super().__init__(command_prefix="!", intents=_intents(), guild_ready_timeout=0.05)

    async def setup_hook(self) -> None:
        await self.add_cog(SelfTestCog())


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
        assert server.unknown_requests == [], server.describe()


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    async with fake.run_bot(SelfTestBot()) as running:
        yield running


async def test_login_and_ready_sees_the_guild(fake: FakeDiscord, bot: commands.Bot) -> None:
    guild = bot.get_guild(fake.guild.id)
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert bot.application_id == fake.application_id
    assert guild is not None and guild.name == "Study Group"
    assert {c.name for c in guild.text_channels} == {"general", "quiz"}
    assert guild.get_role(fake.guild.manager_role_id).permissions.manage_guild
    assert {c["name"] for c in fake.commands[None]} == {"echo", "think", "secret", "slow", "feedback", "admin", "deck"}


async def test_prefix_command_round_trip(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.send_message(fake.channel, alice, "!ping")
    reply = await fake.next_message(fake.channel)
    assert reply.content == "pong"
    assert reply.channel_id == fake.channel.id and reply.author_id == fake.bot_user.id


async def test_members_added_before_start_have_roles_and_mentions(fake: FakeDiscord) -> None:
    boss = fake.add_member("boss", manager=True)
    bob = fake.add_member("bob")
    async with fake.run_bot(SelfTestBot()):
        await fake.send_message(fake.channel, boss, f"!whoami {bob.user.mention}")
        reply = await fake.next_message()
    assert reply.content == "boss manager=True mentioned=bob"


async def test_hybrid_command_as_slash_replies_then_follows_up(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    interaction = await fake.slash(fake.channel, alice, "echo", {"text": "hi there", "times": 3})
    first = await fake.next_message()
    second = await fake.next_message()
    assert (first.content, second.content) == ("echo: hi there", "times: 3")
    assert interaction.callbacks[0]["type"] == 4
    assert first.interaction_token == second.interaction_token == interaction.token
    assert interaction.original_message_id == first.id


async def test_hybrid_command_still_works_with_prefix(fake: FakeDiscord, bot: commands.Bot) -> None:
    await fake.send_message(fake.channel, fake.add_member("alice"), "!echo word")
    assert [(await fake.next_message()).content for _ in range(2)] == ["echo: word", "times: 1"]


async def test_ephemeral_reply(fake: FakeDiscord, bot: commands.Bot) -> None:
    await fake.slash(fake.channel, fake.add_member("alice"), "secret")
    reply = await fake.next_message()
    assert reply.content == "only you can see this"
    assert reply.ephemeral


async def test_deferred_reply_is_read_after_the_edit(fake: FakeDiscord, bot: commands.Bot) -> None:
    interaction = await fake.slash(fake.channel, fake.add_member("alice"), "slow")
    reply = await fake.next_message()
    assert interaction.callbacks[0]["type"] == 5
    assert reply.content == "done thinking" and not reply.loading
    assert reply.edit_history[0]["content"] == ""


async def test_first_followup_after_a_defer_fills_the_placeholder(fake: FakeDiscord, bot: commands.Bot) -> None:
    interaction = await fake.slash(fake.channel, fake.add_member("alice"), "think")
    first, second = await fake.next_message(), await fake.next_message()
    assert [c["type"] for c in interaction.callbacks] == [5]
    assert (first.content, second.content) == ("thought", "more")
    assert first.id == interaction.original_message_id and len(fake.sent) == 2


async def test_button_click_edits_the_message_in_place(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.send_message(fake.channel, alice, "!menu")
    menu = await fake.next_message()
    assert [b["label"] for b in menu.buttons()] == ["Yes", "Later"]
    with pytest.raises(ValueError, match="disabled"):
        await fake.click(menu, "menu:later", alice)
    click = await fake.click(menu, "menu:yes", alice)
    await fake.wait_for(lambda m: m.id == menu.id and m.content == "alice chose yes")
    assert click.callbacks[0]["type"] == 7
    assert menu.components == [] and menu.edit_history[0]["content"] == "pick one"
    assert fake.sent == [menu]


async def test_modal_submit_reaches_on_submit(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    opened = await fake.slash(fake.channel, alice, "feedback")
    submitted = await fake.submit_modal(opened, alice, {"feedback:text": "great bot"})
    reply = await fake.next_message()
    assert reply.content == "thanks: great bot" and reply.ephemeral
    assert reply.interaction_token == submitted.token
    with pytest.raises(ValueError, match="no inputs"):
        await fake.submit_modal(opened, alice, {"nope": "x"})


async def test_file_upload_and_edit(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.send_message(fake.channel, alice, "!upload")
    upload = await fake.next_message()
    assert upload.content == "here" and upload.attachments == {"notes.txt": b"hello file"}
    await fake.send_message(fake.channel, alice, "!count")
    counted = await fake.next_message()
    await fake.wait_for(lambda m: m.id == counted.id and m.content == "2")
    assert [h["content"] for h in counted.edit_history] == ["1"]


async def test_user_attachment_typing_reaction_and_reply(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    sent = await fake.send_message(fake.channel, alice, "!readfile", attachments={"a.txt": b"abc"})
    reply = await fake.next_message()
    assert reply.content == "3 bytes: abc"
    assert reply.message_reference is not None and reply.message_reference["message_id"] == str(sent.id)
    assert reply.allowed_mentions is not None and reply.allowed_mentions["replied_user"] is False
    assert fake.typing == [fake.channel.id]
    assert sent.reactions == ["\N{THUMBS UP SIGN}"]


async def test_user_reaction_is_dispatched(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.send_message(fake.channel, alice, "!ping")
    pong = await fake.next_message()
    await fake.react(pong, alice, "\N{WHITE HEAVY CHECK MARK}")
    assert (await fake.next_message()).content == "saw \N{WHITE HEAVY CHECK MARK} from alice"


async def test_dm_from_the_bot_and_to_the_bot(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.send_message(fake.channel, alice, "!dm")
    dm = await fake.next_message()
    assert dm.content == "psst" and dm.channel_id == fake.dm_channel(alice).id and dm.guild_id is None
    await fake.send_dm(alice, "!ping")
    assert (await fake.next_message(fake.dm_channel(alice))).content == "pong"
    await fake.slash(fake.dm_channel(alice), alice, "echo", {"text": "in a DM"})
    assert (await fake.next_message(fake.dm_channel(alice))).content == "echo: in a DM"


async def test_slash_subcommand_with_member_option(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice, bob = fake.add_member("alice"), fake.add_member("bob")
    await fake.slash(fake.channel, alice, "deck", {"card": "docker ps", "owner": bob}, subcommand="add")
    assert (await fake.next_message()).content == "added docker ps x1 for bob"
    with pytest.raises(ValueError, match="requires"):
        await fake.slash(fake.channel, alice, "deck", {"card": "x"}, subcommand="add")
    with pytest.raises(ValueError, match="needs a subcommand"):
        await fake.slash(fake.channel, alice, "deck", {})
    with pytest.raises(ValueError, match="no option"):
        await fake.slash(fake.channel, alice, "echo", {"txt": "typo"})


async def test_default_permissions_hide_commands_from_non_managers(fake: FakeDiscord, bot: commands.Bot) -> None:
    with pytest.raises(ValueError, match="hidden"):
        await fake.slash(fake.channel, fake.add_member("alice"), "admin")
    await fake.slash(fake.channel, fake.add_member("boss", manager=True), "admin")
    assert (await fake.next_message()).content == "admin ok"


async def test_second_response_to_one_interaction_is_rejected(fake: FakeDiscord, bot: commands.Bot) -> None:
    interaction = await fake.slash(fake.channel, fake.add_member("alice"), "secret")
    await fake.next_message()
    url = f"{fake.base_url}/api/v10/interactions/{interaction.id}/{interaction.token}/callback"
    body = {"type": 4, "data": {"content": "again"}}
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as resp:
        assert resp.status == 400
        assert (await resp.json())["code"] == 40060


async def test_without_message_content_intent_prefix_commands_see_nothing(fake: FakeDiscord) -> None:
    alice = fake.add_member("alice")
    async with fake.run_bot(SelfTestBot(message_content=False)):
        await fake.send_message(fake.channel, alice, "!ping")
        with pytest.raises(FakeDiscordTimeout):
            await fake.next_message(timeout=0.3)


async def test_bad_token_fails_login(fake: FakeDiscord) -> None:
    with pytest.raises(discord.LoginFailure):
        async with fake.run_bot(SelfTestBot(), token="not-the-bot-token"):
            pass


async def test_unknown_routes_are_recorded_as_404(fake: FakeDiscord, bot: commands.Bot) -> None:
    guild = bot.get_guild(fake.guild.id)
    assert guild is not None
    with pytest.raises(discord.NotFound):
        await guild.fetch_emoji(1)  # an endpoint the fake does not serve
    assert [(r.method, r.status) for r in fake.unknown_requests] == [("GET", 404)]
    fake.unknown_requests.clear()


async def test_gateway_drop_resumes_and_replays_missed_events(fake: FakeDiscord, bot: commands.Bot) -> None:
    alice = fake.add_member("alice")
    await fake.close_gateway()
    await fake.send_message(fake.channel, alice, "!ping")
    assert (await fake.next_message()).content == "pong"
    session = fake.gateway.session_for_shard(0)
    assert session is not None and session.resumes == 1


async def test_two_shards_reach_ready(fake: FakeDiscord) -> None:
    fake.shard_count = 2
    second = fake.create_guild("Second Group")
    async with fake.run_bot(ShardedSelfTestBot()) as sharded:
        assert isinstance(sharded, commands.AutoShardedBot)
        assert sharded.shard_count == 2 and sorted(sharded.shards) == [0, 1]
        assert sorted(i["shard"] for i in fake.gateway.identifies) == [[0, 2], [1, 2]]
        for guild in (fake.guild, second):
            seen = sharded.get_guild(guild.id)
            assert seen is not None and seen.shard_id == (guild.id >> 22) % 2
        await fake.send_message(second.channel_named("general"), fake.add_member("zoe", guild=second), "!ping")
        assert (await fake.next_message()).content == "pong"
