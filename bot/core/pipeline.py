"""The core: one object that owns the database, the notes index and the features,
and one pipeline that turns a message (from Discord, Slack or the console) into replies.
"""

from __future__ import annotations

import difflib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.context import Invocation, Responder
from bot.cooldowns import Cooldowns
from bot.core.commands import Command, CommandError, MissingArgument
from bot.i18n import t, usage
from bot.replies import Reply
from bot.storage import Database
from bot.textsafe import clean_input, inline_code

if TYPE_CHECKING:
    from bot.explain.answer import Explainer
    from bot.notes.index import NotesIndex
    from bot.quiz.service import QuizService
    from bot.sandbox.lab.port import LabService
    from bot.sandbox.port import SandboxService

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
ActionHandler = Callable[..., Awaitable[None]]  # (inv, action) or, for text-input choices, (inv, action, text)
MessageListener = Callable[[Invocation, str], Awaitable[bool]]
# Posts a reply to a channel without a triggering message (scheduled quizzes): (channel_id, reply) -> responder.
ChannelOpener = Callable[[str], Awaitable["Responder"]]
ChannelCheck = Callable[[str, str | None], Awaitable[str | None]]
# (member id, scope) -> the member's display name on that platform, or None when it cannot say.
MemberLookup = Callable[[str, str | None], Awaitable[str | None]]


_SEPARATOR = "\\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e"
_COMMAND = re.compile(f"([^{_SEPARATOR}]+)([{_SEPARATOR}]*)(.*)", re.DOTALL)


@dataclass(slots=True)
class ParsedCommand:
    name: str
    args: str


@dataclass
class Core:
    """Everything the commands share. Build it with :meth:`start`, end it with :meth:`close`."""

    settings: Settings
    db: Database
    notes: NotesIndex
    commands: dict[str, Command] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    listeners: list[MessageListener] = field(default_factory=list)
    cooldowns: Cooldowns = field(default_factory=Cooldowns)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # platform name -> coroutine giving a Responder that posts into a channel (set by each running adapter)
    channels: dict[str, ChannelOpener] = field(default_factory=dict)
    # platform name -> coroutine (channel text, scope) -> the channel's id in that scope, or None when no such
    # channel exists there; lets features check a channel named in a command (quiz schedules)
    channel_checks: dict[str, ChannelCheck] = field(default_factory=dict)
    # platform name -> member name look-up (set by each running adapter; `!stats @member`)
    member_names: dict[str, MemberLookup] = field(default_factory=dict)
    # a short-lived `say` / `index` beside a running bot (see start)
    one_shot: bool = False
    # what a feature's install() sets up, for the other ways in (slash forms, tests, benchmarks)
    explainer: Explainer | None = None
    quiz: QuizService | None = None
    sandbox: SandboxService | None = None  # in-process or remote runners; None when the sandbox is off
    lab: LabService | None = None  # `!docker`'s labs: the sandbox's lab; None when the lab is off
    _sandbox_opened: bool = field(default=False, init=False, repr=False)

    @classmethod
    async def start(cls, settings: Settings, *, one_shot: bool = False) -> Core:
        """Open the state file, bring the notes index up to date, and register every feature.

        ``one_shot`` (``say``, ``index``): a short-lived process beside a running bot; it starts no
        background loops (no quiz schedules) and leaves the running bot's state alone."""
        from bot.features import install_features
        from bot.notes.index import NotesIndex

        db = await Database.open(settings.db_path)
        try:
            notes = await NotesIndex.open(db, settings.notes.path, settings.data_dir)
        except BaseException:
            await db.close()
            raise
        core = cls(settings=settings, db=db, notes=notes, one_shot=one_shot)
        try:
            await install_features(core)
        except BaseException:
            # A feature that cannot start (the state file locked too long, say): close what is open, so
            # the process can exit instead of idling on the database and notes threads.
            await core.close()
            notes.close()
            raise
        return core

    def open_sandbox(self) -> SandboxService | None:
        """The process's sandbox, shared by ``!run`` and ``!docker``: the runner services at
        ``STUDYBOT_SANDBOX_URL`` when it is set, else the in-process one; None when the sandbox is off.

        Set up at the first call (a running bot's features call it at install; a one-shot ``say`` only when a
        command needs it, so ``say "!explain …"`` neither loads the Docker SDK nor starts pulls)."""
        if not self._sandbox_opened and self.sandbox is None:
            self._sandbox_opened = True
            from bot.sandbox.port import sandbox_from_settings  # the constructors import aiohttp or Docker

            sandbox = sandbox_from_settings(self.settings.sandbox)
            if sandbox is not None:
                self.sandbox = sandbox
                self.closers.append(sandbox.close)
                sandbox.start()
        return self.sandbox

    def open_lab(self) -> LabService | None:
        """The members' Docker labs (``!docker``, the quiz's lab exercises): the sandbox's, set up at the first
        need like :meth:`open_sandbox`; None when the sandbox or the lab is off (``STUDYBOT_SANDBOX_LAB_ENABLED``)."""
        if self.lab is None and self.settings.sandbox.lab_enabled:
            sandbox = self.open_sandbox()
            if sandbox is not None:
                self.lab = sandbox.lab
        return self.lab

    async def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                await closer()
            except Exception:
                log.exception("error while closing")
        await self.db.close()

    # registration -------------------------------------------------------------------------------

    def add_command(self, command: Command) -> None:
        for name in (command.name, *command.spec.aliases):
            if name in self.commands or name in self.aliases:
                raise ValueError(f"command name {name!r} is taken")
        self.commands[command.name] = command
        for alias in command.spec.aliases:
            self.aliases[alias] = command.name

    def add_action(self, prefix: str, handler: ActionHandler) -> None:
        """Route choices (buttons) whose action id starts with ``prefix:`` to ``handler``."""
        self.actions[prefix] = handler

    def add_listener(self, listener: MessageListener) -> None:
        """Call ``listener`` for messages that are not commands; it returns True if it used it."""
        self.listeners.append(listener)

    # lookup ---------------------------------------------------------------------------------------

    def find(self, name: str) -> Command | None:
        name = name.lower()
        return self.commands.get(self.aliases.get(name, name))

    def suggest(self, name: str) -> str | None:
        """The closest command name to a mistyped one, if any is close."""
        names = [*self.commands, *self.aliases]
        found = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
        if not found:
            return None
        return self.aliases.get(found[0], found[0])

    def parse(self, text: str, prefix: str | None = None) -> ParsedCommand | None:
        """``!explain -v run`` → ``ParsedCommand("explain", "-v run")``; None when not a command."""
        prefix = prefix or self.settings.prefix
        stripped = text.lstrip()
        if not stripped.startswith(prefix):
            return None
        found = _COMMAND.match(stripped[len(prefix):])
        if found is None:
            return None
        # Any whitespace (tab, CR, no-break space …) or zero-width space ends the name; a line break there
        # is kept, so "!run\n```…" still starts its argument on a new line.
        name, separator, args = found.groups()
        return ParsedCommand(name=name, args=("\n" if "\n" in separator else "") + args.rstrip())

    # the pipeline ---------------------------------------------------------------------------------

    async def handle_message(self, inv: Invocation, text: str) -> bool:
        """Handle one chat message. Returns True when the bot answered or used it."""
        text = clean_input(text)
        parsed = self.parse(text, inv.prefix)
        if parsed is None:
            for listener in self.listeners:
                if await listener(inv, text):
                    return True
            return False
        await self.invoke(inv, parsed.name, parsed.args)
        return True

    async def invoke(self, inv: Invocation, name: str, args: str) -> None:
        """Run command ``name`` with its raw argument text, answering every failure in chat."""
        args = clean_input(args)  # slash commands come here directly, not through handle_message
        command = self.find(name)
        if command is None:
            await inv.responder.send(self.unknown_command_reply(inv, name))
            return
        await self._guarded(inv, command, len(args), lambda: command.handler(inv, args))

    async def invoke_with(
        self, inv: Invocation, name: str, function: Callable[..., Awaitable[None]], *values: Any
    ) -> None:
        """Run ``function(core, inv, *values)`` — a command's structured form, such as a slash command's
        typed options — with the same checks, error replies and log line as :meth:`invoke`."""
        command = self.find(name)
        if command is None:
            await inv.responder.send(self.unknown_command_reply(inv, name))
            return
        size = sum(len(v) for v in values if isinstance(v, str))
        await self._guarded(inv, command, size, lambda: function(self, inv, *values))

    async def _guarded(
        self, inv: Invocation, command: Command, size: int, call: Callable[[], Awaitable[None]]
    ) -> None:
        started = time.perf_counter()
        outcome = "ok"
        try:
            self._check(inv, command, size)
            await call()
        except CommandError as exc:
            outcome = "user-error"
            await inv.responder.send(self.usage_error_reply(inv, command, exc))
        except Exception:
            outcome = "error"
            log.exception("command %s failed", command.name)
            await inv.responder.send(
                Reply.error(t(inv.lang, "error.internal", prefix=inv.prefix, name=command.name))
            )
        finally:
            log.info(
                "command=%s user=%s platform=%s channel=%s duration_ms=%.1f outcome=%s",
                command.name, inv.actor.id, inv.place.platform, inv.place.channel_id,
                (time.perf_counter() - started) * 1000, outcome,
            )

    def _check(self, inv: Invocation, command: Command, size: int) -> None:
        """Length, permission and cooldown checks shared by every way of calling a command."""
        if size > MAX_MESSAGE_CHARS:
            raise CommandError(
                t(inv.lang, "error.too_long", length=size, limit=MAX_MESSAGE_CHARS), show_usage=False
            )
        if command.spec.managers_only and not inv.actor.is_manager:
            raise CommandError(
                t(inv.lang, "error.managers_only", prefix=inv.prefix, name=command.name), show_usage=False
            )
        if command.spec.cooldown is not None:
            calls, per = command.spec.cooldown
            wait = self.cooldowns.hit(command.name, inv.actor.id, calls, per)
            if wait > 0:
                raise CommandError(t(inv.lang, "error.cooldown", seconds=wait), show_usage=False)

    async def handle_action(self, inv: Invocation, action: str, text: str | None = None) -> None:
        """A choice (button) was picked; route it by the part of its id before the first ``:``.

        ``text`` is what the member typed into the text box of a ``Choice(text_input=…)``.
        """
        prefix = action.split(":", 1)[0]
        text = None if text is None else clean_input(text)
        handler = self.actions.get(prefix)
        if handler is None:
            log.warning("no handler for action %r", action)
            return
        try:
            await (handler(inv, action) if text is None else handler(inv, action, text))
        except CommandError as exc:
            await inv.responder.send(Reply.error(exc.message, ephemeral=True))
        except Exception:
            log.exception("action %s failed", action)
            await inv.responder.send(
                Reply.error(t(inv.lang, "error.internal", prefix="", name=prefix), ephemeral=True)
            )

    # error replies shared with the adapters --------------------------------------------------------

    def usage_line(self, inv: Invocation, command: Command) -> str:
        return f"{inv.prefix}{usage(inv.lang, command.spec.usage)}"

    def unknown_command_reply(self, inv: Invocation, name: str) -> Reply:
        lines = [t(inv.lang, "error.unknown_command", prefix=inv.prefix, name=inline_code(name, 32))]
        suggestion = self.suggest(name)
        if suggestion:
            lines.append(t(inv.lang, "error.did_you_mean", prefix=inv.prefix, suggestion=suggestion))
        lines.append(t(inv.lang, "error.see_help", prefix=inv.prefix))
        return Reply.error("\n".join(lines))

    def usage_error_reply(self, inv: Invocation, command: Command, exc: CommandError) -> Reply:
        usage = self.usage_line(inv, command)
        if isinstance(exc, MissingArgument):
            return Reply.error(t(inv.lang, "error.missing_argument", argument=exc.argument, usage=usage))
        if not exc.show_usage:
            return Reply.error(exc.message)
        return Reply.error(t(inv.lang, "error.bad_argument", problem=exc.message, usage=usage))

