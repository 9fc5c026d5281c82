"""The local console: chat with the bot from a terminal or a script, no token needed.

Each line is a message from one user in one channel. Replies print as plain text;
buttons print as numbered choices, and a bare number picks one.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from bot.context import Actor, Invocation, Place
from bot.core import Core
from bot.replies import Choice, Reply


@dataclass
class ConsoleResponder:
    """Prints every reply; remembers the newest choices so ``1``, ``2``… can pick them."""

    out: IO[str]
    choices: list[Choice] = field(default_factory=list)
    sent: list[Reply] = field(default_factory=list)

    async def send(self, reply: Reply) -> int:
        self.sent.append(reply)
        self._print(reply)
        return len(self.sent) - 1

    async def edit(self, ref: Any, reply: Reply) -> None:
        index = int(ref)
        if 0 <= index < len(self.sent):
            self.sent[index] = reply
        # A terminal cannot rewrite old output: show the new state only when it says something new.
        if reply.choices and all(c.disabled for c in reply.choices):
            self.choices = [c for c in self.choices if c not in reply.choices]
            return
        self._print(reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return _quiet()

    def _print(self, reply: Reply) -> None:
        if reply.choices:
            self.choices = [c for c in reply.choices if not c.disabled]
        prefix = "(only you) " if reply.ephemeral else ""
        print(prefix + reply.plain_text(), file=self.out, flush=True)
        print(file=self.out, flush=True)


@asynccontextmanager
async def _quiet() -> AsyncIterator[None]:
    yield


class Console:
    """One local chat session over a :class:`Core`."""

    def __init__(self, core: Core, user: str = "you", channel: str = "console", out: IO[str] | None = None):
        self.core = core
        self.responder = ConsoleResponder(out or sys.stdout)
        self.actor = Actor(id=f"console:{user}", name=user, is_manager=True)
        self.place = Place(platform="console", channel_id=channel, channel_name=channel, scope="console")

    def invocation(self) -> Invocation:
        return Invocation(
            actor=self.actor, place=self.place, responder=self.responder,
            lang=self.core.settings.lang, prefix=self.core.settings.prefix,
        )

    async def open_channel(self, channel_id: str) -> ConsoleResponder:
        """Scheduled posts to any channel print here."""
        return self.responder

    async def handle_line(self, line: str) -> None:
        text = line.rstrip("\n")
        if not text.strip():
            return
        inv = self.invocation()
        stripped = text.strip()
        if stripped.isdigit() and self.responder.choices:
            number = int(stripped)
            if 1 <= number <= len(self.responder.choices):
                await self.core.handle_action(inv, self.responder.choices[number - 1].action)
                return
        if not await self.core.handle_message(inv, text):
            print(f"(not a command: start with {self.core.settings.prefix}, "
                  f"e.g. {self.core.settings.prefix}help)", file=self.responder.out, flush=True)

    async def run_lines(self, lines: list[str]) -> None:
        for line in lines:
            await self.handle_line(line)
        await self.drain()

    async def drain(self, limit: float = 120.0) -> None:
        """Wait for background work started by the lines (a quiz round, a queued run) to finish."""
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()
                   and t.get_name().startswith("studybot:")]
        if pending:
            await asyncio.wait(pending, timeout=limit)

    async def interactive(self) -> None:
        with contextlib.suppress(ImportError):  # readline gives input() history and line editing
            import readline  # noqa: F401
        loop = asyncio.get_running_loop()
        while True:
            try:
                line = await loop.run_in_executor(None, input, f"{self.actor.name}@{self.place.channel_name}> ")
            except (EOFError, KeyboardInterrupt):
                print(file=self.responder.out)
                return
            await self.handle_line(line)


async def run_console(core: Core, user: str, channel: str, stdin: IO[str] | None = None) -> None:
    stdin = stdin or sys.stdin
    console = Console(core, user=user, channel=channel)
    core.channels["console"] = console.open_channel
    if stdin.isatty():
        await console.interactive()
    else:
        await console.run_lines(stdin.readlines())


async def say(core: Core, message: str, user: str = "you", channel: str = "console") -> list[Reply]:
    console = Console(core, user=user, channel=channel)
    core.channels["console"] = console.open_channel
    await console.run_lines([message])
    return console.responder.sent
