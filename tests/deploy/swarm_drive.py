"""Members talking to the bot on a Swarm: run inside the stack's bot container by ``tests/deploy/test_swarm.py``
(``docker exec -i <bot> python - MODE < swarm_drive.py``), with the bot service's own configuration (runner URL,
Swarm secret file, limits) and the bot's real ``!run`` command on a core of its own (a scratch state file, so
the running bot's state is left alone). Prints one JSON object per line for the test to read.

``chaos``: 10 members, 4 runs each (members 0-4 are managers asking with ``-v``), each member's runs one
after the other with the cooldown between; before that, member 0 asks twice at once and member 1 twice in a
row, for the per-member rules. A line after every finished run lets the test kill a runner meanwhile.
``burst N``: N managers ask for one run each (with ``-v``) at the same time; prints the runs per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

from bot.config import load_settings
from bot.context import Actor, Invocation, Place
from bot.core import Core
from bot.replies import Code, Reply
from bot.run import command as run_command
from bot.storage import Database

MEMBERS = 10
ROUNDS = 4


class Transcript:
    """What one member was answered, in order; the run's progress notice, edited in place, keeps its place.
    (The image holds no tests/, so this script brings its own responder.)"""

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    async def send(self, reply: Reply) -> int:
        self.replies.append(reply)
        return len(self.replies) - 1

    async def edit(self, ref: object, reply: Reply) -> None:
        self.replies[int(str(ref))] = reply

    def typing(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


def say(**values: object) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


async def ask(core: Core, member: int, args: str, manager: bool = False) -> list[Reply]:
    inv = Invocation(
        actor=Actor(id=f"member-{member}", name=f"m{member}", is_manager=manager),
        place=Place(platform="console", channel_id="swarm", scope="swarm-ci"),
        responder=(transcript := Transcript()),
        lang="en",
    )
    await core.invoke(inv, "run", f"-v {args}" if manager else args)
    return transcript.replies


def summary(replies: list[Reply]) -> dict[str, object]:
    last = replies[-1] if replies else Reply.text("(no reply)")
    code = next((block.text for block in last.blocks if isinstance(block, Code)), "")
    return {"tone": str(last.tone), "output": code, "text": last.plain_text(),
            "queued": any("in the queue" in r.plain_text() or "Your turn" in r.plain_text() for r in replies)}


async def chaos(core: Core) -> None:
    pair = await asyncio.gather(ask(core, 0, "alpine sh -c 'sleep 1; echo twice'"), ask(core, 0, "alpine true"))
    say(event="rule", rule="one_job", replies=[summary(r) for r in pair])
    await asyncio.sleep(core.settings.sandbox.cooldown)
    first = await ask(core, 1, "alpine true")
    again = await ask(core, 1, "alpine true")
    say(event="rule", rule="cooldown", replies=[summary(first), summary(again)])
    await asyncio.sleep(core.settings.sandbox.cooldown)
    finished = 0

    async def member(n: int) -> None:
        nonlocal finished
        for round_ in range(ROUNDS):
            replies = await ask(core, n, f"alpine sh -c 'sleep 1.5; echo m{n}-r{round_}'", manager=n < MEMBERS // 2)
            finished += 1
            say(event="run", member=n, round=round_, finished=finished, **summary(replies))
            await asyncio.sleep(core.settings.sandbox.cooldown + 0.05)

    await asyncio.gather(*(member(n) for n in range(MEMBERS)))


async def burst(core: Core, count: int) -> None:
    started = time.monotonic()
    results = await asyncio.gather(*(ask(core, n, f"alpine echo burst-{n}", manager=True) for n in range(count)))
    seconds = time.monotonic() - started
    say(event="burst", runs=count, seconds=round(seconds, 2), per_second=round(count / seconds, 2),
        results=[summary(replies) for replies in results])


async def main(mode: str, count: int) -> None:
    settings = load_settings(db_path=Path(f"/tmp/drive-{mode}.sqlite3"))
    db = await Database.open(settings.db_path)
    core = Core(settings=settings, db=db, notes=None)  # type: ignore[arg-type]  # !run needs no notes
    await run_command.install(core)
    try:
        await (chaos(core) if mode == "chaos" else burst(core, count))
    finally:
        await core.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
