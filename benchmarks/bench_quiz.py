"""Quiz benchmarks: the scheduler with 10k schedules, and answers recorded per second.

    python benchmarks/bench_quiz.py

1. 10,000 schedules spread over the day in a few time zones. Each tick finds the due ones through
   the ``next_due`` index, claims each slot and starts its round (posting the first question to an
   in-memory channel). Compared with a naive tick that loads every schedule and works out its
   latest slot in Python.
2. Answers through the full path (``QuizService.answer_choice``: checks, scoring, one transaction with
   the answer, the streak day and the FSRS card, then the acknowledgement) against a plain
   ``INSERT`` loop into an equivalent table on the same connection. Target: ≥ 1,000 answers/s.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import DEFAULT_DATA_DIR, load_settings
from bot.context import Actor, Invocation, Place
from bot.core import Core
from bot.quiz import command as quiz_commands
from bot.quiz.schedules import last_slot_at_or_before, next_slot_after
from bot.storage import Database
from tests.invocations import CollectingResponder
from tests.quiz.clock import FakeClock

SCHEDULES = 10_000
TICKS = 30
ANSWERS = 3_000
ZONES = ("UTC", "Asia/Seoul", "Europe/Berlin", "America/New_York")
START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)


async def make_core(folder: Path, clock: FakeClock) -> Core:
    settings = load_settings(
        _env_file=None, db_path=folder / "bench.sqlite3", data_dir=DEFAULT_DATA_DIR, quiz_generated=True,
    )
    db = await Database.open(settings.db_path)
    core = Core(settings=settings, db=db, notes=None)  # type: ignore[arg-type]
    await quiz_commands.install(core, clock=clock, run_scheduler=False)
    channels: dict[str, CollectingResponder] = {}

    async def opener(channel_id: str) -> CollectingResponder:
        return channels.setdefault(channel_id, CollectingResponder())

    core.channels["console"] = opener
    return core


async def bench_scheduler(folder: Path) -> None:
    clock = FakeClock(START, settle_timeout=60)
    core = await make_core(folder, clock)
    service = core.quiz
    assert service is not None
    rng = random.Random(7)
    rows = []
    for i in range(SCHEDULES):
        tz = ZONES[i % len(ZONES)]
        hour, minute = rng.randrange(24), rng.randrange(60)
        at = datetime(2000, 1, 1, hour, minute).time()
        _, first = next_slot_after(clock.time(), at, tz, 0b1111111)
        rows.append(("console", f"ch{i}", f"#ch{i}", "console:bench", "bench", at.strftime("%H:%M"), tz,
                     0b1111111, 1, "bench", clock.time(), first))
    async with service.store.transaction() as conn:
        await conn.executemany(
            "INSERT INTO quiz_schedules(platform, channel_id, channel_label, scope, place_scope, at_time, tz, days,"
            " count, created_by, created_at, next_due) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    tick_ms: list[float] = []
    find_ms: list[float] = []
    naive_ms: list[float] = []
    posted = 0
    for _ in range(TICKS):
        await clock.advance(60)
        now = clock.time()
        t0 = time.perf_counter()
        await core.db.fetchall("SELECT id FROM quiz_schedules WHERE next_due <= ?", (now,))
        find_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        all_rows = await core.db.fetchall("SELECT id, at_time, tz, days, next_due FROM quiz_schedules")
        due_naive = 0
        for r in all_rows:
            at = datetime.strptime(r[1], "%H:%M").time()
            _, slot = last_slot_at_or_before(now, at, r[2], r[3])
            due_naive += slot > now - 60
        naive_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        posted += await service.scheduler.tick()
        tick_ms.append((time.perf_counter() - t0) * 1000)
    await clock.settle()
    print(f"scheduler: {SCHEDULES:,} schedules, {TICKS} one-minute ticks, {posted} quizzes posted "
          f"({posted / TICKS:.1f} per tick)")
    print(f"  find due (indexed query):       median {statistics.median(find_ms):7.2f} ms")
    print(f"  tick (find + claim + post):     median {statistics.median(tick_ms):7.2f} ms, "
          f"max {max(tick_ms):7.2f} ms")
    print(f"  naive scan of every schedule:   median {statistics.median(naive_ms):7.2f} ms "
          f"(ratio naive/tick {statistics.median(naive_ms) / statistics.median(tick_ms):.1f}x)")
    await core.close()


async def bench_answers(folder: Path) -> None:
    clock = FakeClock(START)
    core = await make_core(folder, clock)
    service = core.quiz
    assert service is not None
    channel = CollectingResponder()
    place = Place("console", "bench-answers", scope="bench")
    await service.start_round(place=place, responder=channel, lang="en", prefix="!", count=1,
                              topic="dockerfile", started_by="bench")
    await clock.settle()
    live = next(iter(service.instances.values()))
    ack = CollectingResponder()
    rng = random.Random(3)
    t0 = time.perf_counter()
    for i in range(ANSWERS):
        inv = Invocation(Actor(f"m{i}", f"member {i}"), place, ack)
        if live.choices:
            await service.answer_choice(inv, live.instance_id, i % len(live.choices))
        else:
            await service.answer_text(inv, live.instance_id, rng.choice((live.question.canonical, "wrong")))
    full = ANSWERS / (time.perf_counter() - t0)
    stored = await core.db.fetchone("SELECT COUNT(*) FROM quiz_answers")
    assert stored is not None and stored[0] == ANSWERS, tuple(stored or ())

    await core.db.execute(
        "CREATE TABLE plain_answers (id INTEGER PRIMARY KEY, instance_id INTEGER, member_id TEXT, given TEXT,"
        " correct INTEGER, points INTEGER, answered_at REAL, UNIQUE(instance_id, member_id))"
    )
    t0 = time.perf_counter()
    for i in range(ANSWERS):
        await core.db.execute(
            "INSERT INTO plain_answers(instance_id, member_id, given, correct, points, answered_at)"
            " VALUES(?, ?, ?, ?, ?, ?)",
            (1, f"m{i}", "x", 1, 100, clock.time()),
        )
    plain = ANSWERS / (time.perf_counter() - t0)
    print(f"answers: {ANSWERS:,} members answering one question")
    print(f"  full answer path:   {full:8.0f} answers/s (target >= 1,000: {'ok' if full >= 1000 else 'MISSED'})")
    print(f"  plain INSERT loop:  {plain:8.0f} inserts/s (baseline)")
    print(f"  ratio full/plain:   {full / plain:.2f}")
    await service.stop_round(place)
    await core.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await bench_scheduler(Path(tmp) / "sched")
        await bench_answers(Path(tmp) / "answers")


if __name__ == "__main__":
    asyncio.run(main())
