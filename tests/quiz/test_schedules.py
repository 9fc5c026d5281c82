"""``!quiz schedule``: managers only, clear messages for bad input, list and remove."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.quiz import strings as _strings  # noqa: F401
from bot.quiz.clock import as_datetime
from bot.quiz.schedules import ScheduleError, parse_days, parse_schedule, slot_instant
from tests.quiz.conftest import Harness, texts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("#study daily 25:00 Asia/Seoul", "`25:00` is not a time of day: use HH:MM from 00:00 to 23:59."),
        ("#study daily 9am Asia/Seoul", "`9am` is not a time of day: use HH:MM from 00:00 to 23:59."),
        ("#study daily 09:00 Asia/Seol",
         "Unknown time zone `Asia/Seol`: use a name like Asia/Seoul, Europe/Berlin or UTC. Did you mean `Asia/Seoul`?"),
        ("#study daily 09:00 Mars/Olympus", "Unknown time zone `Mars/Olympus`: use a name like Asia/Seoul, "
         "Europe/Berlin or UTC."),
        ("#study daily 09:00 UTC ,", "That selects no days: give at least one day, e.g. mon-fri."),
        ("#study daily 09:00 UTC someday",
         "`someday` is not a set of days: use e.g. mon-fri, mon,wed,fri, weekends or daily."),
        ("#study daily 09:00 UTC mon-fri 0", "`0` is not a number of questions from 1 to 10."),
        ("#study daily 09:00 UTC mon-fri 3 extra", "I don't understand `extra` at the end."),
        ("#study daily", "Give a channel, a time and a time zone, e.g. `#study daily 09:00 Asia/Seoul mon-fri 3`."),
        ("@@@ daily 09:00 UTC", "That is not a channel: use #name, a channel mention or an id."),
    ],
)
def test_parse_errors(args: str, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(args.split(), "en")
    assert str(caught.value) == message


def test_channel_forms_and_days() -> None:
    assert parse_schedule(["<#123>", "daily", "09:00", "UTC"], "en").channel_id == "123"
    slack = parse_schedule(["<#C0123|general>", "07:30", "Asia/Seoul", "weekdays", "2"], "en")
    assert (slack.channel_id, slack.channel_label, slack.at, slack.count) == ("C0123", "#general", time(7, 30), 2)
    assert slack.days == 0b0011111
    assert parse_schedule(["study", "daily", "9:05", "asia/seoul"], "en").tz == "Asia/Seoul"
    assert parse_days("월-금", "en") == parse_days("mon-fri", "en") == 0b0011111
    assert parse_days("fri-mon", "en") == 0b1110001
    assert parse_days("Tuesday,thu", "en") == 0b0001010


def test_daylight_saving_slots() -> None:
    # 02:30 does not exist in New York on 2026-03-08: the slot is the end of the gap (03:00 EDT)
    assert as_datetime(slot_instant(date(2026, 3, 8), time(2, 30), "America/New_York")).isoformat() == (
        "2026-03-08T07:00:00+00:00"
    )
    # 01:30 happens twice on 2026-11-01: the slot is the first one (EDT)
    assert as_datetime(slot_instant(date(2026, 11, 1), time(1, 30), "America/New_York")).isoformat() == (
        "2026-11-01T05:30:00+00:00"
    )


async def test_schedule_commands(harness: Harness) -> None:
    h = harness
    refused = await h.say("!quiz schedule #study daily 09:00 Asia/Seoul")
    assert texts(refused) == ["❌ Only members who can manage the server may change quiz schedules."]
    bad = await h.say("!quiz schedule #study daily 25:00 Asia/Seoul", manager=True)
    assert texts(bad) == ["❌ `25:00` is not a time of day: use HH:MM from 00:00 to 23:59."]

    added = await h.say("!quiz schedule <#C42|study> daily 09:00 Asia/Seoul mon-fri 3", manager=True)
    # the clock is Monday 2026-01-05 09:00 in Seoul, so the next slot is Tuesday
    assert texts(added) == [
        "✅ Schedule #1: 3 question(s) in #study at 09:00 Asia/Seoul (mon-fri). Next: 2026-01-06 09:00."
    ]
    await h.say("!quiz schedule quiz-room 18:00 Europe/Berlin sat-sun", manager=True)
    listed = texts(await h.say("!quiz schedule list", manager=True))[0]
    assert "#1 · #study · 09:00 Asia/Seoul · mon-fri · 3 question(s) · next 2026-01-06 09:00" in listed
    assert "#2 · #quiz-room · 18:00 Europe/Berlin · sat-sun · 1 question(s) · next 2026-01-10 18:00" in listed
    other_server = texts(await h.say("!quiz schedule list", manager=True, scope="elsewhere"))[0]
    assert other_server == "Quiz schedules\nNo quiz schedules here yet."

    assert texts(await h.say("!quiz schedule remove 7", manager=True)) == ["❌ There is no schedule #7 here."]
    assert texts(await h.say("!quiz schedule remove x", manager=True)) == [
        "❌ Give the schedule number from `!quiz schedule list`."
    ]
    assert texts(await h.say("!quiz schedule remove 1", manager=True, scope="elsewhere")) == [
        "❌ There is no schedule #1 here."
    ]
    assert texts(await h.say("!quiz schedule remove 1", manager=True)) == ["✅ Schedule #1 removed."]
    assert "#1 ·" not in texts(await h.say("!quiz schedule list", manager=True))[0]
