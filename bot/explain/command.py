"""``!explain [-v] <topic>``: answer from the study notes (or Docker's reference); ``!reindex``.

The short answer is one entry or section as written in the notes, where it comes from, any
curated correction beside it, and "see also" when another symbol shares the name. ``-v`` (only
before the query, so ``!explain -v -v`` explains the ``-v`` flag) shows the whole section. When
the notes lack the answer and the question names a Docker word, the answer comes from Docker's
reference, labelled so. When unsure, up to three entries (one may be a reference page) are offered as
buttons; a pick is remembered per server and answers the same question next time (``!explain forget``
undoes it). A question about another tool (`kubectl logs`) gets a short "not Docker" instead.
``!explain gaps`` lists what members asked that the notes do not answer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.context import Invocation, scope_key
from bot.core.commands import Command, CommandError, CommandSpec
from bot.explain import strings as _strings  # noqa: F401  (registers the sentences)
from bot.explain.answer import Explainer, Source
from bot.explain.replies import (
    choice_label,
    choices_reply,
    forget_reply,
    gaps_reply,
    learned_reply,
    not_found_reply,
    page_label,
    pair_reply,
    reference_reply,
    short_reply,
    topics_reply,
    verbose_reply,
)
from bot.explain.store import ExplainStore, PagePlace
from bot.i18n import t
from bot.notes import NotesError
from bot.notes.query import MAX_QUERY_CHARS
from bot.reference.forms import FORMS_FILE, ReferenceForms
from bot.reference.index import ReferenceIndex
from bot.reference.pages import find_reference_dir
from bot.replies import Reply, Text, Tone
from bot.textsafe import inline_code, is_meaningful, show_invisible, strip_invisible

if TYPE_CHECKING:
    from bot.core import Core

VERBOSE_FLAGS = ("-v", "--verbose")
# After `-v`, only these words mean "explain the -v flag" (`!explain -v 옵션`), not "verbose".
_ABOUT_FLAG = re.compile(
    r"^(?:옵션|option|options|플래그|flag|flags|뭐야|뭐임|뭐지|뭔가요|설명|뜻|의미|is|what|means?|[?!. ])*$",
    re.IGNORECASE,
)


SPEC = CommandSpec(
    name="explain",
    usage="explain [-v] <topic> | gaps | learned | forget <question>",
    summary_key="cmd.explain.summary",
    details_key="cmd.explain.details",
    examples=("explain 이미지", "explain docker run", "explain --rm", "explain -v RUN"),
    aliases=("e", "설명"),
    options=(("query", "opt.explain.query"), ("verbose", "opt.explain.verbose")),
    cooldown=(5, 10.0),
)
REINDEX_SPEC = CommandSpec(
    name="reindex", usage="reindex", summary_key="cmd.reindex.summary", managers_only=True
)


def parse_arguments(args: str) -> tuple[str, bool]:
    """``-v run`` → ("run", True); ``-v -v`` → ("-v", True); ``run -v`` → ("run -v", False);
    ``-v`` alone or ``-v 옵션`` → ("-v …", False): a question about the flag itself."""
    text = args.strip()
    first, _, rest = text.partition(" ")
    if first in VERBOSE_FLAGS:
        if _ABOUT_FLAG.match(rest.strip()):
            return text, False
        return rest.strip(), True
    return text, False


async def explain(core: Core, inv: Invocation, query: str, verbose: bool) -> None:
    """Answer ``query`` from the notes (the slash command calls this with its literal options)."""
    await inv.responder.send(await explain_reply(core, inv, query, verbose))


def explainer(core: Core) -> Explainer:
    """The process's :class:`Explainer` (set up by :func:`install`)."""
    if core.explainer is None:
        raise RuntimeError("!explain is not installed")
    return core.explainer


async def explain_reply(core: Core, inv: Invocation, query: str, verbose: bool) -> Reply:
    lang = inv.lang
    if not query.strip():
        return topics_reply(core, inv)
    cleaned = " ".join(strip_invisible(query).split())
    shown = inline_code(cleaned or show_invisible(query), 60)
    if len(cleaned) > MAX_QUERY_CHARS:
        return Reply.error(t(lang, "explain.too_long", length=len(cleaned), limit=MAX_QUERY_CHARS))
    if not is_meaningful(cleaned):
        return Reply.error(t(lang, "explain.no_words", query=f"`{shown}`"))
    scope = scope_key(inv.place)
    the = explainer(core)
    try:
        outcome = await the.answer(cleaned, scope)
    except NotesError as exc:
        return Reply.error(t(lang, "explain.unavailable", problem=str(exc)))
    result = outcome.result
    if result.problem == "too_long":
        return Reply.error(t(lang, "explain.too_long", length=len(cleaned), limit=MAX_QUERY_CHARS))
    if result.problem == "empty":
        return Reply.error(t(lang, "explain.no_words", query=f"`{shown}`"))
    if outcome.second is not None:  # two questions in one, both answered from the notes
        return await pair_reply(core, inv, outcome, cleaned, verbose)
    if outcome.from_notes:  # (a gap it closes drops off `!explain gaps` there, which asks again)
        best = result.hits[0]
        reply = (await verbose_reply(core, inv, result, best) if verbose
                 else await short_reply(core, inv, result, best, cleaned))
        if outcome.source is Source.LEARNED:
            reply.blocks.append(Text(t(lang, "explain.learned")))
        return reply
    if outcome.source is Source.CHOICES:  # counts the question as a gap with the choices it keeps
        return await choices_reply(the, inv, outcome, scope, cleaned, shown)
    if not result.elsewhere:  # another tool's question is no gap in the notes
        await the.store.count_gap(scope, cleaned)
    if outcome.source is Source.REFERENCE:
        reply = reference_reply(inv, outcome.reference, verbose)
        if outcome.learned:
            reply.blocks.append(Text(t(lang, "explain.learned")))
        return reply
    return not_found_reply(inv, result, shown)


_MANAGED = ("gaps", "learned", "forget")


async def install(core: Core) -> None:
    reference = await ReferenceIndex.open(core.db, find_reference_dir(core.settings.notes.reference_dir))
    core.notes.language.reference_words = reference.words()
    forms = ReferenceForms.load(core.settings.data_dir / FORMS_FILE)
    the = core.explainer = Explainer(core.notes, reference, ExplainStore(core.db), forms)

    async def run_explain(inv: Invocation, args: str) -> None:
        sub, _, rest = args.strip().partition(" ")
        if sub.lower() in _MANAGED:
            if not inv.actor.is_manager:
                raise CommandError(t(inv.lang, "explain.managers_only", prefix=inv.prefix, sub=sub.lower()),
                                   show_usage=False)
            if sub.lower() == "gaps":
                await inv.responder.send(await gaps_reply(the, inv))
            elif sub.lower() == "learned":
                await inv.responder.send(await learned_reply(the, inv))
            elif rest.strip():
                await inv.responder.send(await forget_reply(the, inv, rest.strip()))
            else:
                raise CommandError(t(inv.lang, "explain.forget.none", question="``"))
            return
        query, verbose = parse_arguments(args)
        await explain(core, inv, query, verbose)

    async def pick(inv: Invocation, action: str) -> None:
        """``explain:pick:<asked id>:<choice>``: show the entry and remember the pick for this server."""
        parts = action.split(":")
        if len(parts) != 4 or not (parts[2].isascii() and parts[2].isdigit() and parts[3].isascii()
                                   and parts[3].isdigit()):
            raise CommandError(t(inv.lang, "explain.pick.gone"))
        found = await the.store.choice(int(parts[2]), int(parts[3]))
        if found is None:
            raise CommandError(t(inv.lang, "explain.pick.gone"))
        scope, question, place = found
        if scope != scope_key(inv.place):
            raise CommandError(t(inv.lang, "explain.pick.other_server"))
        if isinstance(place, PagePlace):  # the notes still lack it: it stays a gap
            page = await the.reference.page(place.page, place.heading)
            if page is None:
                raise CommandError(t(inv.lang, "explain.pick.gone"))
            await the.store.record_pick(scope, question, place, page_label(inv.lang, page))
            await inv.responder.send(reference_reply(inv, [page], False))
            return
        result = await core.notes.entry(place)
        if result is None:
            raise CommandError(t(inv.lang, "explain.pick.gone"))
        best = result.hits[0]
        await the.store.record_pick(scope, question, place, choice_label(best))
        await the.store.close_gap(scope, question)
        await inv.responder.send(await short_reply(core, inv, result, best, question))

    async def run_reindex(inv: Invocation, args: str) -> None:
        async with inv.responder.typing():
            try:
                stats = await core.notes.rebuild()
            except NotesError as exc:
                raise CommandError(t(inv.lang, "reindex.failed", problem=str(exc)), show_usage=False) from exc
        await inv.responder.send(
            Reply.text(
                t(inv.lang, "reindex.done", files=stats.files, sections=stats.sections, entries=stats.entries,
                  seconds=stats.seconds),
                tone=Tone.SUCCESS,
            )
        )

    async def close_notes() -> None:  # the index's read thread; the core closes the database after
        core.notes.close()

    core.add_action("explain", pick)
    core.add_command(Command(SPEC, run_explain))
    core.add_command(Command(REINDEX_SPEC, run_reindex))
    core.closers.append(close_notes)
