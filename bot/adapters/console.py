"""The local console: chat with the bot from a terminal or a script, no token needed.

Each line is a message from one user in one channel. Replies print as plain text;
buttons print as numbered choices, and a bare number picks one.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from bot.context import Actor, Invocation, Place
from bot.core import Core
from bot.replies import Choice, Reply, Tone
from bot.textsafe import ascii_int, clean_input

KEPT_REPLIES = 64  # replies a long console session remembers (for edits); older ones are only printed


@dataclass
class ConsoleResponder:
    """Prints every reply; remembers the newest choices so ``1``, ``2``… can pick them.

    Only the newest :data:`KEPT_REPLIES` replies stay in memory (``keep_all`` for a one-shot ``say``,
    whose caller reads them all), so a console that runs for days stays the same size.
    """

    out: IO[str]
    choices: list[Choice] = field(default_factory=list)
    recent: dict[int, Reply] = field(default_factory=dict)
    count: int = 0
    errors: int = 0
    keep_all: bool = False
    awaiting_text: bool = False
    printed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def sent(self) -> list[Reply]:
        """The replies still remembered, oldest first."""
        return list(self.recent.values())

    async def send(self, reply: Reply) -> int:
        ref = self.count
        self.count += 1
        self.errors += reply.tone is Tone.ERROR
        self.recent[ref] = reply
        if not self.keep_all and len(self.recent) > KEPT_REPLIES:
            del self.recent[next(iter(self.recent))]
        self._print(reply)
        return ref

    async def edit(self, ref: Any, reply: Reply) -> None:
        index = int(ref)
        before = self.recent.get(index)
        if before is not None:
            self.recent[index] = reply
        # A terminal cannot rewrite old output. An edit that only closes a message's choices (a question
        # that ended) is not printed again; the choices just stop counting.
        if before is not None and before.choices and all(c.disabled for c in reply.choices):
            actions = {c.action for c in before.choices}
            self.choices = [c for c in self.choices if c.action not in actions]
            self.awaiting_text = False
            return
        self._print(reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return _quiet()

    def _print(self, reply: Reply) -> None:
        if reply.choices:
            open_choices = [c for c in reply.choices if not c.disabled]
            self.choices = [c for c in open_choices if c.text_input is None]
            self.awaiting_text = any(c.text_input is not None for c in open_choices)
        self.printed.set()
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
        text = clean_input(line).rstrip("\n")
        if not text.strip():
            return
        inv = self.invocation()
        number = ascii_int(text.strip())
        if number is not None and self.responder.choices and 1 <= number <= len(self.responder.choices):
            await self.core.handle_action(inv, self.responder.choices[number - 1].action)
            return
        if not await self.core.handle_message(inv, text):
            print(f"(not a command: start with {self.core.settings.prefix}, "
                  f"e.g. {self.core.settings.prefix}help)", file=self.responder.out, flush=True)

    async def run_lines(self, lines: Iterable[str] | AsyncIterator[str]) -> None:
        """Scripted input: each line in order, each waiting for what it answers; then wait for the rest."""
        async for line in _aiter(lines):
            if not self.core.parse(line, self.core.settings.prefix):
                await self._await_prompt()
            await self.handle_line(line)
        await self.drain()

    async def _await_prompt(self, limit: float = 15.0) -> None:
        """A scripted answer (``1``, ``container``) waits for the question it answers: when background
        work is running (a quiz round) and nothing asks for input yet, wait for the bot's next message."""
        while not (self.responder.choices or self.responder.awaiting_text) and self._background():
            self.responder.printed.clear()
            try:
                await asyncio.wait_for(self.responder.printed.wait(), timeout=limit)
            except TimeoutError:
                return

    @staticmethod
    def _background() -> list[asyncio.Task[object]]:
        return [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()
                and t.get_name().startswith("studybot:")]

    async def drain(self, limit: float = 120.0) -> None:
        """Wait for background work started by the lines (a quiz round, a queued run) to finish."""
        pending = self._background()
        if pending:
            await asyncio.wait(pending, timeout=limit)

    async def interactive(self) -> None:
        with contextlib.suppress(ImportError):  # readline gives input() history and line editing
            import readline  # noqa: F401
        prompt = f"{self.actor.name}@{self.place.channel_name}> "
        while (line := await ask(prompt)) is not None:
            await self.handle_line(line)
        print(file=self.responder.out)


async def _aiter(lines: Iterable[str] | AsyncIterator[str]) -> AsyncIterator[str]:
    if isinstance(lines, AsyncIterator):
        async for line in lines:
            yield line
    else:
        for line in lines:
            yield line


async def ask(prompt: str) -> str | None:
    """``input(prompt)`` on a daemon thread, once the previous answer is printed (so the prompt comes last);
    None at the end of input. A daemon thread means a stop (SIGTERM) never waits for a keystroke."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str | None] = loop.create_future()

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except (EOFError, KeyboardInterrupt, OSError, ValueError):
            line = None
        loop.call_soon_threadsafe(lambda: answer.done() or answer.set_result(line))

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return await answer


async def read_lines(read: Callable[[], str]) -> AsyncIterator[str]:
    """Lines from a blocking ``read`` (``stdin.readline``) as they come, without blocking the loop. The
    reading thread is a daemon, so a stop (SIGTERM) never waits for the next line of input."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=64)

    def pump() -> None:
        while True:
            try:
                line: str | None = read() or None  # readline() gives "" only at the end of input
            except (OSError, ValueError):
                line = None
            asyncio.run_coroutine_threadsafe(queue.put(line), loop).result()
            if line is None:
                return

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


async def run_console(core: Core, user: str, channel: str, stdin: IO[str] | None = None) -> None:
    stdin = stdin or sys.stdin
    # A line that is not UTF-8 is a message like any other: its bad bytes become U+FFFD (see clean_input).
    for stream in (stdin, sys.stdout):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="surrogateescape" if stream is stdin else "replace")  # type: ignore[attr-defined]
    console = Console(core, user=user, channel=channel)
    core.channels["console"] = console.open_channel
    if stdin.isatty():
        await console.interactive()
    else:
        await console.run_lines(read_lines(stdin.readline))


async def say(core: Core, message: str, user: str = "you", channel: str = "console") -> list[Reply]:
    console = Console(core, user=user, channel=channel)
    console.responder.keep_all = True
    core.channels["console"] = console.open_channel
    await console.run_lines([message])
    return console.responder.sent
