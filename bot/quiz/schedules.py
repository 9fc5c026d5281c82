"""Schedule specs (``daily 09:00 Asia/Seoul mon-fri 3``) and their slots in real time.

A slot is one local date of a schedule; its instant is that date at the local time in the
schedule's zone, converted with :mod:`zoneinfo`. A local time skipped by a daylight-saving jump
(02:30 on a spring-forward night) falls on the first real instant after the gap; a repeated one
(01:30 on a fall-back night) is the first occurrence. Either way there is one slot per local date.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.i18n import t
from bot.quiz.errors import QuizError
from bot.textsafe import ascii_int, inline_code, neutralize_mentions, strip_invisible

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_INDEX = (
    {name: i for i, name in enumerate(DAY_NAMES)}
    | {name: i for i, name in enumerate(_FULL_DAYS)}
    | {"tues": 1, "thur": 3, "thurs": 3}
    | {name: i for i, name in enumerate("월화수목금토일")}
)
_DAY_WORDS = {
    "daily": 0b1111111, "everyday": 0b1111111, "all": 0b1111111, "매일": 0b1111111,
    "weekdays": 0b0011111, "평일": 0b0011111, "weekends": 0b1100000, "주말": 0b1100000,
}
ALL_DAYS = 0b1111111
MAX_COUNT = 10
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
# Discord <#123>, Slack <#C123|name> or <#C123>, or a plain #name / id
_CHANNEL = re.compile(r"^<#([A-Za-z0-9]+)(?:\|([^>]*))?>$")
_PLAIN_CHANNEL = re.compile(r"^#?([\w.-]{1,80})$")


class ScheduleError(QuizError):
    """A schedule spec that cannot be used; ``message`` is ready for chat."""


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    channel_id: str
    channel_label: str
    at: dtime
    tz: str
    days: int  # bit 0 = Monday
    count: int

    @property
    def at_text(self) -> str:
        return self.at.strftime("%H:%M")


def parse_channel(token: str, lang: str) -> tuple[str, str]:
    """(channel id, label to show) from a mention or a plain name/id."""
    found = _CHANNEL.match(token)
    if found:
        channel_id = found.group(1)
        return channel_id, channel_label(f"#{found.group(2)}" if found.group(2) else token)
    plain = _PLAIN_CHANNEL.match(token)
    if plain:
        return plain.group(1), channel_label(f"#{plain.group(1)}")
    raise ScheduleError(t(lang, "quiz.schedule.bad_channel"))


def channel_label(label: str) -> str:
    """A channel's name as members typed it (``<#C1|@everyone>`` → ``#@everyone``), safe to show: one line,
    no invisible characters, mentions neutralised. Applied when a schedule is stored and when it is shown."""
    return neutralize_mentions(" ".join(strip_invisible(label).split())[:80]) or "#?"


def parse_time(token: str, lang: str) -> dtime:
    found = _TIME.match(token)
    if not found:
        raise ScheduleError(t(lang, "quiz.schedule.bad_time", value=inline_code(token, 20)))
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        raise ScheduleError(t(lang, "quiz.schedule.bad_time", value=inline_code(token, 20)))
    return dtime(hour, minute)


# Names in the zone database that are not places: the host's own zone, a placeholder, and copies.
_NOT_ZONES = {"localtime", "factory", "posixrules"}


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {
        name.casefold(): name for name in available_timezones()
        if name.casefold() not in _NOT_ZONES and not name.startswith(("posix/", "right/"))
    }


def parse_zone(token: str, lang: str) -> str:
    names = _zone_names()
    name = names.get(token.casefold())
    if name is None:
        close = difflib.get_close_matches(token.casefold(), list(names), n=1, cutoff=0.75)
        hint = t(lang, "quiz.schedule.zone_hint", zone=names[close[0]]) if close else ""
        raise ScheduleError(t(lang, "quiz.schedule.bad_zone", value=inline_code(token, 40)) + hint)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(t(lang, "quiz.schedule.bad_zone", value=inline_code(token, 40))) from None
    return name


def _day_index(word: str) -> int | None:
    return _DAY_INDEX.get(word.strip().casefold())


def parse_days(token: str, lang: str) -> int:
    """``mon-fri``, ``mon,wed,fri``, ``sat-sun``, ``weekdays``, ``월-금`` → a bit set (bit 0 = Monday)."""
    word = token.casefold()
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    mask = 0
    for part in re.split(r"[,/]", word):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2:
            raise ScheduleError(t(lang, "quiz.schedule.bad_days", value=inline_code(token, 30)))
        indexes = [_day_index(e) for e in ends]
        if any(i is None for i in indexes):
            raise ScheduleError(t(lang, "quiz.schedule.bad_days", value=inline_code(token, 30)))
        first, last = indexes[0], indexes[-1]
        assert first is not None and last is not None
        i = first
        while True:  # ranges wrap: fri-mon is Fri, Sat, Sun, Mon
            mask |= 1 << i
            if i == last:
                break
            i = (i + 1) % 7
    if not mask:
        raise ScheduleError(t(lang, "quiz.schedule.no_days"))
    return mask


def parse_schedule(args: list[str], lang: str) -> ScheduleSpec:
    """``<channel> daily HH:MM <Zone> [days] [n]`` (``daily`` may be left out)."""
    if len(args) < 3:
        raise ScheduleError(t(lang, "quiz.schedule.usage_hint"))
    channel_id, label = parse_channel(args[0], lang)
    rest = args[1:]
    if rest and rest[0].casefold() in ("daily", "매일"):
        rest = rest[1:]
    if len(rest) < 2:
        raise ScheduleError(t(lang, "quiz.schedule.usage_hint"))
    at = parse_time(rest[0], lang)
    tz = parse_zone(rest[1], lang)
    days, count = ALL_DAYS, 1
    extra = rest[2:]
    if extra and not extra[0].isdigit():  # "²" and "③" are meant as counts too (and refused below)
        days = parse_days(extra.pop(0), lang)
    if extra:
        word = extra.pop(0)
        number = ascii_int(word)
        if number is None or not 1 <= number <= MAX_COUNT:
            raise ScheduleError(t(lang, "quiz.schedule.bad_count", value=inline_code(word, 10), max=MAX_COUNT))
        count = number
    if extra:
        raise ScheduleError(t(lang, "quiz.schedule.extra", value=inline_code(" ".join(extra), 40)))
    return ScheduleSpec(channel_id, label, at, tz, days, count)


def days_text(mask: int) -> str:
    if mask == ALL_DAYS:
        return "daily"
    if mask == 0b0011111:
        return "mon-fri"
    if mask == 0b1100000:
        return "sat-sun"
    return ",".join(name for i, name in enumerate(DAY_NAMES) if mask & (1 << i))


# slots -------------------------------------------------------------------------------------------


def slot_instant(day: date, at: dtime, tz: str) -> float:
    """UTC epoch of ``day`` at local time ``at`` in ``tz`` (see the module doc for DST gaps and folds)."""
    zone = ZoneInfo(tz)
    local = datetime.combine(day, at, tzinfo=zone)
    # round-trip through UTC to find out whether this wall time exists (a DST gap)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        # a skipped wall time: use the end of the gap (the first valid local instant after it)
        later = datetime.combine(day, at, tzinfo=zone).replace(fold=1).astimezone(UTC)
        earlier = local.astimezone(UTC)
        instant = min(later, earlier)
        probe = instant
        while probe.astimezone(zone).replace(tzinfo=None) < local.replace(tzinfo=None):
            probe += timedelta(minutes=1)
        instant = probe
    return instant.timestamp()


def _local_day(epoch: float, tz: str) -> date:
    return datetime.fromtimestamp(epoch, ZoneInfo(tz)).date()


def next_slot_after(epoch: float, at: dtime, tz: str, days: int) -> tuple[date, float]:
    """The first slot strictly after ``epoch``: (local date, UTC epoch)."""
    day = _local_day(epoch, tz) - timedelta(days=1)
    for _ in range(10):
        if days & (1 << day.weekday()):
            instant = slot_instant(day, at, tz)
            if instant > epoch:
                return day, instant
        day += timedelta(days=1)
    raise ValueError("no slot within a week; days must not be empty")


def last_slot_at_or_before(epoch: float, at: dtime, tz: str, days: int) -> tuple[date, float]:
    """The latest slot at or before ``epoch``."""
    day = _local_day(epoch, tz) + timedelta(days=1)
    for _ in range(10):
        if days & (1 << day.weekday()):
            instant = slot_instant(day, at, tz)
            if instant <= epoch:
                return day, instant
        day -= timedelta(days=1)
    raise ValueError("no slot within a week; days must not be empty")
