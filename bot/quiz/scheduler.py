"""Scheduled quizzes: stored schedules, and the loop that posts each slot once.

Each schedule keeps ``next_due``, the UTC instant of its next unhandled slot (indexed, so a tick
finds the due ones without scanning). On each tick, for every due schedule:

1. the latest slot at or before now is found; if it is within the grace window it is *claimed*
   — ``quiz_schedule_slots`` gets (schedule, local date) and ``next_due`` moves past now, in one
   transaction — and only then posted. Older missed slots (downtime) are skipped.
2. If the claim finds the slot already recorded, nothing is posted: a restart or a second tick
   can never post a slot twice.
3. A claimed slot is recorded as ``claimed`` until its round has started (its first message is
   posted), then ``posted``. A slot still ``claimed`` at a tick was left by a process that stopped
   between the claim and the post: it is posted then, if its grace window has not passed
   (``missed`` otherwise). A slot that cannot start (no questions) is ``failed``; a round already
   running in the channel makes it ``busy``. The one window left is a stop in the moment between the
   round's first message and recording ``posted``: that slot is posted again after the restart (a chat
   message and a state file cannot change together).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.context import Invocation, Place, scope_key
from bot.quiz.errors import QuizError
from bot.quiz.schedules import ScheduleSpec, last_slot_at_or_before, next_slot_after, slot_instant
from bot.storage import Database

if TYPE_CHECKING:
    from bot.quiz.service import QuizService

log = logging.getLogger(__name__)

MAX_SCHEDULES_PER_SCOPE = 25
TICK_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Schedule:
    id: int
    platform: str
    channel_id: str
    channel_label: str
    scope: str
    place_scope: str | None
    at: time
    tz: str
    days: int
    count: int
    next_due: float

    def next_local(self) -> str:
        return datetime.fromtimestamp(self.next_due, ZoneInfo(self.tz)).strftime("%Y-%m-%d %H:%M")


_COLUMNS = "id, platform, channel_id, channel_label, scope, place_scope, at_time, tz, days, count, next_due"


def _schedule(row: object) -> Schedule:
    r = row  # sqlite3.Row
    return Schedule(
        int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5], time.fromisoformat(r[6]), str(r[7]),  # type: ignore[index]
        int(r[8]), int(r[9]), float(r[10]),  # type: ignore[index]
    )


class Scheduler:
    def __init__(self, service: QuizService) -> None:
        self.service = service
        self._task: asyncio.Task[None] | None = None
        self._posting: set[tuple[int, str]] = set()  # (schedule id, slot) being posted by this process

    @property
    def db(self) -> Database:
        return self.service.core.db

    @property
    def grace(self) -> float:
        return float(self.service.settings.quiz.grace_minutes) * 60

    # the loop ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._task = asyncio.create_task(self._loop(), name="quiz-scheduler")
        self.service.clock.track(self._task)  # type: ignore[arg-type]

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        # tick first: a slot missed while the bot was down is caught up at start
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("quiz scheduler tick failed")
            await self.service.clock.sleep(float(self.service.settings.quiz.tick_seconds))

    async def tick(self) -> int:
        """Handle every due schedule; returns how many quizzes were posted."""
        now = self.service.clock.time()
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM quiz_schedules WHERE next_due <= ? ORDER BY next_due LIMIT ?",  # noqa: S608
            (now, TICK_BATCH),
        )
        posted = 0
        for row in rows:
            try:
                if await self._handle(_schedule(row), now):
                    posted += 1
            except Exception:
                log.exception("quiz schedule %s failed", row[0])
        try:
            posted += await self._unposted(now)
        except Exception:
            log.exception("quiz scheduler: claimed slots could not be checked")
        return posted

    async def _unposted(self, now: float) -> int:
        """Post the slots an earlier process claimed but stopped before posting (within their grace)."""
        rows = await self.db.fetchall(
            f"SELECT {', '.join('s.' + c for c in _COLUMNS.split(', '))}, k.slot FROM quiz_schedule_slots k"  # noqa: S608
            " JOIN quiz_schedules s ON s.id = k.schedule_id WHERE k.status = 'claimed' ORDER BY k.recorded_at",
        )
        posted = 0
        for row in rows:
            s, slot = _schedule(row), str(row[len(_COLUMNS.split(", "))])
            if (s.id, slot) in self._posting:
                continue
            day = date.fromisoformat(slot)
            if now - slot_instant(day, s.at, s.tz) > self.grace:
                await self._set_status(s.id, day, "missed")
                log.info("quiz schedule %s: the claimed slot %s was not posted in time", s.id, slot)
                continue
            opener = self.service.core.channels.get(s.platform)
            if opener is None:
                continue  # that chat is not connected yet
            log.info("quiz schedule %s: posting slot %s, claimed before a restart", s.id, slot)
            if await self._post(s, day, opener):
                posted += 1
        return posted

    async def _set_status(self, schedule_id: int, day: date, status: str) -> None:
        async with self.service.store.transaction() as conn:
            await conn.execute(
                "UPDATE quiz_schedule_slots SET status = ? WHERE schedule_id = ? AND slot = ?",
                (status, schedule_id, day.isoformat()),
            )

    async def _handle(self, s: Schedule, now: float) -> bool:
        day, slot = last_slot_at_or_before(now, s.at, s.tz, s.days)
        _, following = next_slot_after(now, s.at, s.tz, s.days)
        within = now - slot <= self.grace
        opener = self.service.core.channels.get(s.platform)
        if within and opener is None:
            return False  # that chat is not connected (yet): try again next tick, while the grace lasts
        async with self.service.store.transaction() as conn:
            cur = await conn.execute(
                "UPDATE quiz_schedules SET next_due = ? WHERE id = ? AND next_due = ?", (following, s.id, s.next_due)
            )
            if cur.rowcount != 1:
                return False
            claimed = False
            if within:
                cur = await conn.execute(
                    "INSERT OR IGNORE INTO quiz_schedule_slots(schedule_id, slot, status, recorded_at)"
                    " VALUES(?, ?, 'claimed', ?)",
                    (s.id, day.isoformat(), now),
                )
                claimed = cur.rowcount == 1
        if not within:
            log.info("quiz schedule %s: skipped slot(s) missed by more than the grace window", s.id)
            return False
        if not claimed:
            return False
        assert opener is not None
        return await self._post(s, day, opener)

    async def _post(self, s: Schedule, day: date, opener: object) -> bool:
        key = (s.id, day.isoformat())
        self._posting.add(key)
        try:
            return await self._post_claimed(s, day, opener)
        finally:
            self._posting.discard(key)

    async def _post_claimed(self, s: Schedule, day: date, opener: object) -> bool:
        service = self.service
        place = Place(platform=s.platform, channel_id=s.channel_id, channel_name=s.channel_label, scope=s.place_scope)
        if service.round_in(place) is not None:
            await self._set_status(s.id, day, "busy")
            log.info("quiz schedule %s: a round is already running in %s", s.id, s.channel_id)
            return False
        try:
            responder = await opener(s.channel_id)  # type: ignore[operator]
            await service.start_round(
                place=place, responder=responder, lang=service.settings.lang, prefix=service.settings.prefix,
                count=s.count, started_by=f"schedule:{s.id}", schedule_id=s.id,
            )
        except QuizError as exc:
            log.warning("quiz schedule %s could not start: %s", s.id, exc.message)
            await self._set_status(s.id, day, "failed")
            return False
        except Exception:
            # stays claimed: the next tick tries again while the grace window lasts
            log.exception("quiz schedule %s could not post to %s", s.id, s.channel_id)
            return False
        await self._set_status(s.id, day, "posted")
        return True

    # managing schedules -----------------------------------------------------------------------

    async def add(self, inv: Invocation, spec: ScheduleSpec) -> Schedule:
        scope = scope_key(inv.place)
        row = await self.db.fetchone("SELECT COUNT(*) FROM quiz_schedules WHERE scope = ?", (scope,))
        if row is not None and int(row[0]) >= MAX_SCHEDULES_PER_SCOPE:
            raise OverflowError(MAX_SCHEDULES_PER_SCOPE)
        now = self.service.clock.time()
        _, first = next_slot_after(now, spec.at, spec.tz, spec.days)
        async with self.service.store.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO quiz_schedules(platform, channel_id, channel_label, scope, place_scope, at_time, tz,"
                " days, count, created_by, created_at, next_due) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (inv.place.platform, spec.channel_id, spec.channel_label, scope, inv.place.scope, spec.at_text,
                 spec.tz, spec.days, spec.count, inv.actor.id, now, first),
            )
            schedule_id = int(cur.lastrowid or 0)
        return Schedule(schedule_id, inv.place.platform, spec.channel_id, spec.channel_label, scope,
                        inv.place.scope, spec.at, spec.tz, spec.days, spec.count, first)

    async def list(self, place: Place) -> list[Schedule]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM quiz_schedules WHERE scope = ? ORDER BY id",  # noqa: S608
            (scope_key(place),),
        )
        return [_schedule(r) for r in rows]

    async def remove(self, place: Place, schedule_id: int) -> bool:
        async with self.service.store.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM quiz_schedules WHERE id = ? AND scope = ?", (schedule_id, scope_key(place))
            )
            return cur.rowcount == 1
