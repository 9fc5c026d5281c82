"""What ``!quiz``, ``!stats``, ``!leaderboard`` and ``!review`` do: the chat side of :mod:`bot.quiz`'s service
(registered by :mod:`bot.quiz.command`, which also hands it the state file and the chat platforms' channel
checks and member look-ups). The quiz's refusals (:class:`~bot.quiz.errors.QuizError`) pass through to
:mod:`bot.quiz.command`, which turns them into replies."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.context import Invocation, scope_key
from bot.core.commands import CommandError
from bot.i18n import t
from bot.quiz import stats as quiz_stats
from bot.quiz.replies import member_name
from bot.quiz.scheduler import Schedule
from bot.quiz.schedules import channel_label, days_text, parse_schedule
from bot.quiz.service import QuizService
from bot.replies import Reply, Text, Tone
from bot.textsafe import ascii_int, inline_code

if TYPE_CHECKING:
    from bot.core.pipeline import ChannelCheck, MemberLookup
    from bot.storage import Database

_MEMBER_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>$")
WEEK_SECONDS = 7 * 86400
log = logging.getLogger(__name__)


def _schedule_line(lang: str, s: Schedule, key: str) -> str:
    # labels stored before they were neutralised on the way in are neutralised on the way out too
    return t(lang, key, id=s.id, channel=channel_label(s.channel_label), time=s.at.strftime("%H:%M"), tz=s.tz,
             days=days_text(s.days), count=s.count, next=s.next_local())


class QuizCommands:
    def __init__(
        self, service: QuizService, *, db: Database, channel_checks: Mapping[str, ChannelCheck],
        member_names: Mapping[str, MemberLookup],
    ) -> None:
        self.service = service
        self.db = db
        self.channel_checks = channel_checks  # platform -> check, filled as each chat connects
        self.member_names = member_names  # platform -> look-up, likewise

    async def quiz(self, inv: Invocation, args: str) -> None:
        words = args.split()
        sub = words[0].casefold() if words else ""
        if sub in ("stop", "멈춤", "중지"):
            if not await self.service.stop_round(inv.place):
                raise CommandError(t(inv.lang, "quiz.not_running"), show_usage=False)
            return
        if sub in ("topics", "주제"):
            await inv.responder.send(self.topics_reply(inv))
            return
        if sub in ("hint", "힌트"):
            await self.service.hint(inv)
            return
        if sub in ("schedule", "schedules", "예약"):
            await self.schedule(inv, words[1:])
            return
        if sub in ("lab", "practice", "실습"):
            await self.service.start_lab(inv, " ".join(words[1:]) or None)
            return
        if sub in ("check", "확인"):
            await self.service.lab.check(inv)
            return
        if sub in ("skip", "giveup", "포기"):
            await self.service.lab.give_up(inv)
            return
        count, limit = self.service.default_count, self.service.max_count
        if words and words[0].isdigit():  # ASCII or not ("²", "③"): meant as a count
            number = ascii_int(words.pop(0))
            if number is None or not 1 <= number <= limit:
                raise CommandError(t(inv.lang, "quiz.bad_count", max=limit))
            count = number
        topic = " ".join(words) or None
        await self.service.start_round(
            place=inv.place, responder=inv.responder, lang=inv.lang, prefix=inv.prefix, count=count,
            topic=topic, started_by=inv.actor.id,
        )

    def topics_reply(self, inv: Invocation) -> Reply:
        counts = self.service.topics()
        lines = [
            t(inv.lang, "quiz.topics.line_one" if n == 1 else "quiz.topics.line", topic=topic, count=n)
            for topic, n in sorted(counts.items())
        ]
        labs = len(self.service.pool(None, lab=True))
        if labs and self.service.lab.available:
            lines.append(t(inv.lang, "quiz.lab.topics_line", count=labs, prefix=inv.prefix))
        files = {e.file for e in self.service.bank_errors}
        if files:
            lines.append("⚠️ " + t(inv.lang, "quiz.topics.bank_errors", count=len(files)))
        return Reply(
            blocks=[Text("\n".join(lines) or t(inv.lang, "quiz.no_questions"))],
            title=t(inv.lang, "quiz.topics.title"),
            footer=t(inv.lang, "quiz.topics.footer", prefix=inv.prefix),
        )

    async def schedule(self, inv: Invocation, words: list[str]) -> None:
        if not inv.actor.is_manager:
            raise CommandError(t(inv.lang, "quiz.schedule.managers_only"), show_usage=False)
        scheduler = self.service.scheduler
        sub = words[0].casefold() if words else "list"
        if sub in ("list", "목록"):
            schedules = await scheduler.list(inv.place)
            text = "\n".join(_schedule_line(inv.lang, s, "quiz.schedule.list_line") for s in schedules)
            await inv.responder.send(Reply(
                blocks=[Text(text or t(inv.lang, "quiz.schedule.none"))], title=t(inv.lang, "quiz.schedule.list_title")
            ))
            return
        if sub in ("remove", "delete", "삭제"):
            raw = words[1].lstrip("#") if len(words) == 2 else ""
            number = ascii_int(raw.lstrip("0") or raw[-1:], 18)
            if number is None:
                raise CommandError(t(inv.lang, "quiz.schedule.bad_id", prefix=inv.prefix), show_usage=False)
            if not await scheduler.remove(inv.place, number):
                raise CommandError(t(inv.lang, "quiz.schedule.not_found", id=number), show_usage=False)
            await inv.responder.send(Reply.text(t(inv.lang, "quiz.schedule.removed", id=number), tone=Tone.SUCCESS))
            return
        spec = parse_schedule(words, inv.lang)
        check = self.channel_checks.get(inv.place.platform)
        if check is not None:
            channel_id = await check(spec.channel_id, inv.place.scope)
            if channel_id is None:
                raise CommandError(
                    t(inv.lang, "quiz.schedule.unknown_channel", channel=inline_code(spec.channel_label, 40)),
                    show_usage=False,
                )
            spec = dataclasses.replace(spec, channel_id=channel_id)
        schedule = await scheduler.add(inv, spec)
        await inv.responder.send(
            Reply.text(_schedule_line(inv.lang, schedule, "quiz.schedule.added"), tone=Tone.SUCCESS)
        )

    async def stats(self, inv: Invocation, args: str) -> None:
        scope = scope_key(inv.place)
        target = args.strip()
        member_id, shown = inv.actor.id, inv.actor.name
        if target:
            mention = _MEMBER_MENTION.match(target)
            if mention:
                member_id, shown = mention.group(1), mention.group(2) or await self.name_of(inv, mention.group(1))
            else:
                found = await quiz_stats.find_member(self.db, scope, target.lstrip("@"))
                if found is None:
                    raise CommandError(
                        t(inv.lang, "quiz.stats.unknown_member", name=inline_code(target, 40)), show_usage=False
                    )
                member_id = found
        await self.show_stats(inv, member_id, shown)

    async def name_of(self, inv: Invocation, member_id: str) -> str:
        """A mentioned member's name from the chat platform (``core.member_names``), or their id when the
        platform cannot say."""
        lookup = self.member_names.get(inv.place.platform)
        name = None
        if lookup is not None:
            try:
                name = await lookup(member_id, inv.place.scope)
            except Exception:
                log.warning("could not look up member %s", member_id, exc_info=True)
        return str(name or member_id)

    async def show_stats(self, inv: Invocation, member_id: str, shown: str) -> None:
        scope = scope_key(inv.place)
        stats = await quiz_stats.member_stats(self.db, scope, member_id, self.service.today())
        if stats is None:
            await inv.responder.send(Reply.text(t(inv.lang, "quiz.stats.none", name=member_name(shown))))
            return
        lines = [
            t(inv.lang, "quiz.stats.totals", answered=stats.answered, correct=stats.correct,
              accuracy=stats.accuracy, points=stats.points),
            t(inv.lang, "quiz.stats.streak", current=stats.current_streak, longest=stats.longest_streak),
            "",
            t(inv.lang, "quiz.stats.by_topic"),
        ]
        lines += [
            "• " + t(inv.lang, "quiz.stats.topic_line", topic=s.topic, correct=s.correct, answered=s.answered,
                     accuracy=s.accuracy)
            for s in stats.topics[:10]
        ]
        if stats.weakest:
            lines += ["", t(inv.lang, "quiz.stats.weakest", topics=", ".join(f"`{s.topic}`" for s in stats.weakest))]
        await inv.responder.send(Reply(
            blocks=[Text("\n".join(lines))], title=t(inv.lang, "quiz.stats.title", name=member_name(stats.name))
        ))

    async def leaderboard(self, inv: Invocation, args: str) -> None:
        period = args.strip().casefold() or "week"
        if period in ("week", "weekly", "주간", "이번주"):
            since, title = self.service.clock.time() - WEEK_SECONDS, "quiz.leaderboard.title_week"
        elif period in ("all", "전체"):
            since, title = None, "quiz.leaderboard.title_all"
        else:
            raise CommandError(t(inv.lang, "quiz.leaderboard.bad_period"))
        rows = await quiz_stats.leaderboard(self.db, scope_key(inv.place), since)
        medals = {1: "🥇 ", 2: "🥈 ", 3: "🥉 "}
        lines = [
            medals.get(rank, "") + t(inv.lang, "quiz.leaderboard.line", rank=rank, name=member_name(r.name),
                                     points=r.points, correct=r.correct)
            for rank, r in enumerate(rows, start=1)
        ]
        await inv.responder.send(Reply(
            blocks=[Text("\n".join(lines) or t(inv.lang, "quiz.leaderboard.empty"))], title=t(inv.lang, title)
        ))

    async def review(self, inv: Invocation, args: str) -> None:
        await self.service.review.start(inv)
