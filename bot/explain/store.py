"""What ``!explain`` remembers per server: suggested choices, picks and gaps (SQL parameters only)."""

from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
from dataclasses import dataclass

from bot.notes.memo import remember
from bot.notes.results import EntryPlace
from bot.storage import Database
from bot.textsafe import strip_invisible

# Suggestions older than this cannot be picked any more (their buttons say so).
ASKED_KEEP_SECONDS = 7 * 24 * 3600
MAX_QUESTION_CHARS = 200
# A server's picks change when a member clicks a suggestion or a manager forgets them, both through this store,
# which then forgets what it kept; picks written by another process are seen within this many seconds.
LEARNED_FRESH_FOR = 2.0
_SCOPES_KEPT = 1000
_COUNT_GAP_SQL = (
    "INSERT INTO explain_gaps(scope, question, asked, last_at) VALUES (?,?,1,?)"
    " ON CONFLICT(scope, question) DO UPDATE SET asked = asked + 1, last_at = excluded.last_at"
)


def question_key(text: str) -> str:
    """The form a question is remembered by: NFKC, lower case, single spaces, no end punctuation."""
    flat = " ".join(strip_invisible(unicodedata.normalize("NFKC", text)).lower().split())
    return flat.strip(" ?!.~,·…")[:MAX_QUESTION_CHARS]


@dataclass(frozen=True, slots=True)
class PagePlace:
    """A page of Docker's reference (``logs``), or a Dockerfile instruction of it (``builder``, ``HEALTHCHECK``),
    offered as a choice."""

    page: str
    heading: str | None = None


# What a choice or a pick names: a notes entry, or a reference page.
Place = EntryPlace | PagePlace


# A page is stored in an entry place's five parts, its kind "reference" (an entry's is "section" or "entry"), so a
# process of an older version sharing the state file reads it as an entry it cannot find ("choice expired").
_PAGE_KIND = "reference"


def _encoded(place: Place) -> str:
    return json.dumps(["", place.page, _PAGE_KIND, place.heading, -1] if isinstance(place, PagePlace) else place)


def _decoded(data: list) -> Place:
    file, section, kind, symbol, ord_ = data
    if kind == _PAGE_KIND:
        return PagePlace(str(section), None if symbol is None else str(symbol))
    return (str(file), str(section), str(kind), symbol, int(ord_))


@dataclass(frozen=True, slots=True)
class Pick:
    question: str
    label: str
    picks: int


@dataclass(frozen=True, slots=True)
class Gap:
    question: str
    asked: int


class ExplainStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # scope -> (when read, question key -> the place picked most, as stored): every server's picks in one
        # read, kept for a moment. Most questions have none, and asking the state file that on every !explain
        # was a trip to the database thread each.
        self._learned: dict[str, tuple[float, dict[str, str]]] = {}
        self._writes = 0  # picks and forgets made through this store

    async def remember_choices(self, scope: str, question: str, places: list[Place]) -> int:
        """Keep the choices offered for ``question`` (their buttons name them by the id returned) and count it
        as a gap, since the notes did not answer it outright: one transaction, one trip to the database."""
        now = time.time()
        key = question_key(question)

        def keep(conn: sqlite3.Connection) -> int:
            conn.execute("DELETE FROM explain_asked WHERE asked_at < ?", (now - ASKED_KEEP_SECONDS,))
            conn.execute(_COUNT_GAP_SQL, (scope, key, now))
            cursor = conn.execute(
                "INSERT INTO explain_asked(scope, question, choices, asked_at) VALUES (?,?,?,?)",
                (scope, key, "[" + ",".join(map(_encoded, places)) + "]", now),
            )
            return int(cursor.lastrowid or 0)

        return await self.db.atomically(keep)

    async def choice(self, asked_id: int, number: int) -> tuple[str, str, Place] | None:
        """(scope, question, place) of choice ``number`` of a suggestion, or None when it is gone."""
        row = await self.db.fetchone("SELECT scope, question, choices FROM explain_asked WHERE id = ?", (asked_id,))
        if row is None:
            return None
        choices = json.loads(row[2])
        if not 0 <= number < len(choices):
            return None
        return str(row[0]), str(row[1]), _decoded(choices[number])

    async def record_pick(self, scope: str, question: str, place: Place, label: str) -> None:
        await self.db.execute(
            "INSERT INTO explain_picks(scope, question, place, label, picks, last_at) VALUES (?,?,?,?,1,?)"
            " ON CONFLICT(scope, question, place) DO UPDATE SET picks = picks + 1, last_at = excluded.last_at",
            (scope, question_key(question), _encoded(place), label, time.time()),
        )
        self._changed(scope)

    def _changed(self, scope: str) -> None:
        """This store wrote ``scope``'s picks: what it kept is stale, and so is any read still under way."""
        self._writes += 1
        self._learned.pop(scope, None)

    async def learned(self, scope: str, question: str) -> Place | None:
        """The entry or reference page this server picked most for ``question`` (latest on a tie)."""
        now = time.monotonic()
        kept = self._learned.get(scope)
        if kept is None or now - kept[0] >= LEARNED_FRESH_FOR:
            writes = self._writes
            # A server's picks are the questions its members clicked an answer for: hundreds, read in one go
            # (each place decoded only when asked for).
            rows = await self.db.fetchall(
                "SELECT question, place FROM explain_picks WHERE scope = ? ORDER BY picks DESC, last_at DESC",
                (scope,),
            )
            picks: dict[str, str] = {}
            for row in rows:
                picks.setdefault(str(row[0]), str(row[1]))
            kept = (now, picks)
            if writes == self._writes:  # else a pick or forget landed meanwhile: use it this once, keep nothing
                self._learned.pop(scope, None)  # the busiest servers stay, the idlest go first
                remember(self._learned, scope, kept, _SCOPES_KEPT)
        place = kept[1].get(question_key(question))
        if place is None:
            return None
        return _decoded(json.loads(place))

    async def picks(self, scope: str, limit: int = 20) -> list[Pick]:
        rows = await self.db.fetchall(
            "SELECT question, label, picks FROM explain_picks WHERE scope = ? ORDER BY last_at DESC LIMIT ?",
            (scope, limit),
        )
        return [Pick(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    async def forget(self, scope: str, question: str) -> int:
        """Undo what members picked for ``question`` here; the number of picks removed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM explain_picks WHERE scope = ? AND question = ?", (scope, question_key(question))
            )
            forgotten = int(cursor.rowcount or 0)
        self._changed(scope)
        return forgotten

    async def count_gap(self, scope: str, question: str) -> None:
        await self.db.execute(_COUNT_GAP_SQL, (scope, question_key(question), time.time()))

    async def close_gap(self, scope: str, question: str) -> None:
        await self.db.execute(
            "DELETE FROM explain_gaps WHERE scope = ? AND question = ?", (scope, question_key(question))
        )

    async def gaps(self, scope: str, limit: int) -> list[Gap]:
        rows = await self.db.fetchall(
            "SELECT question, asked FROM explain_gaps WHERE scope = ?"
            " ORDER BY asked DESC, last_at DESC LIMIT ?",
            (scope, limit),
        )
        return [Gap(str(r[0]), int(r[1])) for r in rows]
