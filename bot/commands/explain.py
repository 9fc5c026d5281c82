"""``!explain [-v] <topic>``: answer from the study notes (or Docker's reference); ``!reindex``.

The short answer is one entry or section as written in the notes, where it comes from, any
curated correction beside it, and "see also" when another symbol shares the name. ``-v`` (only
before the query, so ``!explain -v -v`` explains the ``-v`` flag) shows the whole section. When
the notes lack the answer and the question names a Docker word, the answer comes from Docker's
reference, labelled so. When unsure, up to three entries are offered as buttons; a pick is
remembered per server and answers the same question next time (``!explain forget`` undoes it).
``!explain gaps`` lists what members asked that the notes do not answer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.context import Invocation
from bot.core.commands import Command, CommandError, CommandSpec
from bot.explain.answer import Explainer, Outcome, Source
from bot.explain.store import ExplainStore
from bot.i18n import register, t
from bot.notes import NotesError
from bot.notes.index import Hit, SearchResult
from bot.notes.query import MAX_QUERY_CHARS
from bot.quiz.store import scope_key
from bot.reference.forms import FORMS_FILE, ReferenceForms
from bot.reference.index import ReferenceIndex, RefHit
from bot.reference.pages import find_reference_dir
from bot.replies import Block, Choice, Code, Reply, Text, Tone
from bot.textsafe import inline_code, is_meaningful, neutralize_mentions, show_invisible, strip_invisible

if TYPE_CHECKING:
    from bot.core import Core

SHORT_CHARS = 750
SHORT_LINES = 13
MAX_TOPICS_LISTED = 60
VERBOSE_FLAGS = ("-v", "--verbose")
# After `-v`, only these words mean "explain the -v flag" (`!explain -v 옵션`), not "verbose".
_ABOUT_FLAG = re.compile(
    r"^(?:옵션|option|options|플래그|flag|flags|뭐야|뭐임|뭐지|뭔가요|설명|뜻|의미|is|what|means?|[?!. ])*$",
    re.IGNORECASE,
)
REFERENCE_CHARS = 600
MAX_GAPS_LISTED = 15

register(
    {
        "cmd.explain.summary": {
            "en": "Explain a Docker topic from the study notes.",
            "ko": "스터디 노트에서 Docker 주제를 찾아 설명합니다.",
        },
        "cmd.explain.details": {
            "en": "Ask in English or Korean: a command (`run`), a flag (`--rm`), a Dockerfile instruction "
            "(`RUN`) or a question (`이미지가 뭐야`). `{prefix}explain -v <topic>` shows the whole section. "
            "`{prefix}explain` alone lists the topics.",
            "ko": "영어나 한국어로 물어보세요: 명령어(`run`), 옵션(`--rm`), Dockerfile 명령(`RUN`), 질문"
            "(`이미지가 뭐야`). `{prefix}explain -v <주제>` 는 섹션 전체를 보여줍니다. "
            "`{prefix}explain` 만 입력하면 주제 목록이 나옵니다.",
        },
        "cmd.reindex.summary": {
            "en": "Rebuild the notes index from the notes files.",
            "ko": "노트 파일로 노트 색인을 다시 만듭니다.",
        },
        "explain.source": {"en": "📄 Source: {source}", "ko": "📄 출처: {source}"},
        "explain.correction": {"en": "⚠️ Correction: {text}", "ko": "⚠️ 바로잡기: {text}"},
        "explain.see_also": {"en": "🔗 See also: {items}", "ko": "🔗 함께 보기: {items}"},
        "explain.related": {"en": "**Related**", "ko": "**관련 항목**"},
        "explain.more": {
            "en": "More: {prefix}explain -v {query}",
            "ko": "자세히: {prefix}explain -v {query}",
        },
        "explain.cut": {"en": "… (cut short)", "ko": "… (생략됨)"},
        "explain.not_found.title": {"en": "Not in the notes", "ko": "노트에 없는 내용"},
        "explain.not_found": {
            "en": "I found nothing in the study notes that answers {query}.",
            "ko": "스터디 노트에서 {query} 에 대한 답을 찾지 못했습니다.",
        },
        "explain.closest": {"en": "Closest topics:", "ko": "가까운 주제:"},
        "explain.topics_hint": {
            "en": "{prefix}explain alone lists every topic.",
            "ko": "{prefix}explain 만 입력하면 전체 주제 목록이 나옵니다.",
        },
        "explain.topics.title": {"en": "Topics in the study notes", "ko": "스터디 노트 주제"},
        "explain.reference.title": {"en": "Docker reference · {title}", "ko": "Docker 레퍼런스 · {title}"},
        "explain.reference.footer": {
            "en": "From Docker's official reference (docker-doc), not the study notes.",
            "ko": "스터디 노트가 아니라 Docker 공식 레퍼런스(docker-doc)에서 가져온 답입니다.",
        },
        "explain.reference.also": {"en": "Also in the reference: {items}", "ko": "레퍼런스의 다른 항목: {items}"},
        "explain.choices.title": {"en": "Did you mean one of these?", "ko": "혹시 이 중 하나인가요?"},
        "explain.choices.intro": {
            "en": "I am not sure the notes answer {query}. Pick the closest entry:",
            "ko": "{query} 에 대한 답인지 확실하지 않습니다. 가장 가까운 항목을 고르세요:",
        },
        "explain.choices.footer": {
            "en": "Your pick is remembered for this server, so the same question gets that answer next time.",
            "ko": "고른 항목은 이 서버에서 기억해 두었다가, 같은 질문에 바로 답합니다.",
        },
        "explain.pick.gone": {
            "en": "That choice has expired or the notes changed: ask again.",
            "ko": "선택지가 만료되었거나 노트가 바뀌었습니다. 다시 물어보세요.",
        },
        "explain.pick.other_server": {
            "en": "That choice belongs to another server.",
            "ko": "다른 서버의 선택지입니다.",
        },
        "explain.learned": {
            "en": "🧠 Members here picked this for that question.",
            "ko": "🧠 이 서버 멤버들이 이 질문에 고른 항목입니다.",
        },
        "explain.gaps.title": {"en": "Questions the notes do not answer yet", "ko": "노트가 아직 답하지 못하는 질문"},
        "explain.gaps.none": {
            "en": "No unanswered questions recorded here.",
            "ko": "기록된 미해결 질문이 없습니다.",
        },
        "explain.gaps.line": {"en": "{count}× {question}", "ko": "{count}회 · {question}"},
        "explain.gaps.footer": {
            "en": "A question leaves this list once the notes answer it.",
            "ko": "노트가 답하게 되면 목록에서 빠집니다.",
        },
        "explain.learned.title": {"en": "Picks members made", "ko": "멤버들이 고른 항목"},
        "explain.learned.none": {"en": "No picks recorded here yet.", "ko": "아직 기록된 선택이 없습니다."},
        "explain.learned.line": {"en": "{question} → {label} ({count}×)", "ko": "{question} → {label} ({count}회)"},
        "explain.forget.done": {
            "en": "Forgot {count} pick(s) for {question}.",
            "ko": "{question} 에 대한 선택 {count}개를 지웠습니다.",
        },
        "explain.forget.none": {
            "en": "Nothing was learned for {question}.",
            "ko": "{question} 에 대해 배운 것이 없습니다.",
        },
        "explain.managers_only": {
            "en": "Only managers can use `{prefix}explain {sub}`.",
            "ko": "`{prefix}explain {sub}` 는 관리자만 쓸 수 있습니다.",
        },
        "explain.topics.usage": {
            "en": "Usage: `{prefix}explain [-v] <topic>`, for example `{prefix}explain 이미지` or "
            "`{prefix}explain -v --rm`.",
            "ko": "사용법: `{prefix}explain [-v] <주제>` (예: `{prefix}explain 이미지`, "
            "`{prefix}explain -v --rm`).",
        },
        "explain.topics.more": {"en": "… and {count} more.", "ko": "… 외 {count}개."},
        "explain.no_words": {
            "en": "There are no words to look up in {query}. Ask about a topic, a command or a flag.",
            "ko": "{query} 에는 찾아볼 단어가 없습니다. 주제나 명령어, 옵션을 물어보세요.",
        },
        "explain.too_long": {
            "en": "That question is too long to look up ({length} characters; keep it under {limit}).",
            "ko": "질문이 너무 길어 찾을 수 없습니다 ({length}자, {limit}자 이하로 써 주세요).",
        },
        "reindex.done": {
            "en": "Notes index rebuilt: {files} file(s), {sections} sections, {entries} entries in {seconds:.2f} s.",
            "ko": "노트 색인을 다시 만들었습니다: 파일 {files}개, 섹션 {sections}개, 항목 {entries}개 "
            "({seconds:.2f}초).",
        },
        "explain.unavailable": {
            "en": "The notes cannot be searched right now ({problem}).",
            "ko": "지금은 노트를 검색할 수 없습니다 ({problem}).",
        },
        "reindex.failed": {
            "en": "Could not rebuild the notes index: {problem}",
            "ko": "노트 색인을 다시 만들지 못했습니다: {problem}",
        },
    }
)

SPEC = CommandSpec(
    name="explain",
    usage="explain [-v] <topic> | gaps | learned | forget <question>",
    summary_key="cmd.explain.summary",
    details_key="cmd.explain.details",
    examples=("explain 이미지", "explain docker run", "explain --rm", "explain -v RUN"),
    aliases=("e", "설명"),
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
    found = core.services["explain"]
    assert isinstance(found, Explainer)
    return found


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
    if outcome.from_notes:
        await the.store.close_gap(scope, cleaned)
        best = result.hits[0]
        reply = (await verbose_reply(core, inv, result, best) if verbose
                 else await short_reply(core, inv, result, best, cleaned))
        if outcome.source is Source.LEARNED:
            reply.blocks.append(Text(t(lang, "explain.learned")))
        return reply
    await the.store.count_gap(scope, cleaned)
    if outcome.source is Source.REFERENCE:
        return reference_reply(inv, outcome.reference, verbose)
    if outcome.source is Source.CHOICES:
        return await choices_reply(the, inv, outcome, scope, cleaned, shown)
    return not_found_reply(inv, result, shown)


def _title(hit: Hit) -> str:
    return f"{hit.symbol} · {hit.section}" if hit.symbol else hit.section


def _see_also_line(lang: str, hits: list[Hit]) -> str | None:
    if not hits:
        return None
    items = ", ".join(f"`{h.symbol}` ({h.section})" for h in hits)
    return t(lang, "explain.see_also", items=items)


def _fit(lines: list[str], max_chars: int, max_lines: int, cut: str) -> list[str]:
    """Keep whole lines while they fit; end with ``cut`` when something was left out."""
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        room_lines = max_lines - len(out) - (0 if last else 1)
        room_chars = max_chars - used - (0 if last else len(cut) + 1)
        if room_lines <= 0 or len(line) + 1 > room_chars:
            if room_chars > 40 and room_lines > 0:
                out.append(line[: room_chars - len(cut) - 2].rstrip() + "…")
            out.append(cut)
            return out
        out.append(line)
        used += len(line) + 1
    return out


async def short_reply(core: Core, inv: Invocation, result: SearchResult, best: Hit, query: str) -> Reply:
    """At most ~750 characters and 13 lines: the note, its source, corrections, see also, a pointer to -v."""
    lang = inv.lang
    extra: list[str] = [t(lang, "explain.source", source=best.source)]
    for hit in [best, *result.siblings]:
        extra += [t(lang, "explain.correction", text=c) for c in core.notes.corrections_for(hit, lang)]
    see_also = _see_also_line(lang, result.see_also)
    if see_also:
        extra.append(see_also)
    title = _title(best)
    footer = t(lang, "explain.more", prefix=inv.prefix, query=inline_code(query, 60))
    note_lines: list[str] = []
    for hit in [best, *result.siblings]:
        note_lines += hit.raw.split("\n")
    if best.kind == "section":
        note_lines = [line for line in note_lines if line.strip()]
        view = await core.notes.section(best.file, best.section)
        note_lines += [f"- {entry.raw.split(chr(10))[0]}" for entry in view.entries]
    fixed_chars = len(title) + len(footer) + sum(len(x) + 1 for x in extra) + 8
    fixed_lines = 2 + len(extra) + 1
    note = _fit(note_lines or ["—"], SHORT_CHARS - fixed_chars, SHORT_LINES - fixed_lines, t(lang, "explain.cut"))
    return Reply(blocks=[Text("\n".join(note)), Text("\n".join(extra))], title=title, footer=footer)


async def verbose_reply(core: Core, inv: Invocation, result: SearchResult, best: Hit) -> Reply:
    """The whole section with its entries (the matched one marked), corrections, and up to 3 related."""
    lang = inv.lang
    view = await core.notes.section(best.file, best.section)
    blocks: list[Text] = []
    if view.raw:
        blocks.append(Text(view.raw))
    chosen = {best.doc_id} | {h.doc_id for h in result.siblings}
    lines: list[str] = []
    fixes: list[str] = []
    for entry in view.entries:
        first, *rest = entry.raw.split("\n")
        marker = "👉 " if entry.doc_id in chosen else ""
        lines.append(f"- {marker}{first}")
        lines += [f"  {line}" for line in rest]
        fixes += [t(lang, "explain.correction", text=c) for c in core.notes.corrections_for(entry, lang)]
    if best.kind == "section":
        fixes = [t(lang, "explain.correction", text=c) for c in core.notes.corrections_for(best, lang)] + fixes
    if lines:
        blocks.append(Text("\n".join(lines)))
    if fixes:
        blocks.append(Text("\n".join(dict.fromkeys(fixes))))
    related = [h for h in result.see_also if h.section != best.section]
    for hit in result.hits[1:]:
        if len(related) >= 3:
            break
        if hit.section != best.section and hit.kind == "entry" and all(hit.doc_id != r.doc_id for r in related):
            related.append(hit)
    if related:
        rel_lines = [t(lang, "explain.related")]
        for hit in related[:3]:
            name = f"`{hit.symbol}` " if hit.symbol else ""
            rel_lines.append(f"- {name}({hit.section}): {hit.raw.split(chr(10))[0]}")
        blocks.append(Text("\n".join(rel_lines)))
    blocks.append(Text(t(lang, "explain.source", source=f"{view.file} › {view.section}")))
    return Reply(blocks=list(blocks), title=view.section)


def _one_line(hit: Hit) -> str:
    first = hit.raw.split("\n", 1)[0]
    return first if len(first) <= 90 else first[:89] + "…"


def _label(hit: Hit) -> str:
    name = f"{hit.symbol} · {hit.section}" if hit.symbol else hit.section
    return name if len(name) <= 70 else name[:69] + "…"


async def choices_reply(the: Explainer, inv: Invocation, outcome: Outcome, scope: str, question: str,
                        shown: str) -> Reply:
    """Up to three entries as buttons (numbered in the console); a pick shows the entry and is learned."""
    lang = inv.lang
    asked = await the.store.remember_choices(scope, question, [h.place for h in outcome.choices])
    lines = [t(lang, "explain.choices.intro", query=f"`{shown}`"), ""]
    lines += [f"{n}. **{_label(hit)}** — {_one_line(hit)}" for n, hit in enumerate(outcome.choices, start=1)]
    choices = [Choice(label=f"{n}. {_label(hit)}", action=f"explain:pick:{asked}:{n - 1}")
               for n, hit in enumerate(outcome.choices, start=1)]
    return Reply(blocks=[Text("\n".join(lines))], title=t(lang, "explain.choices.title"), choices=choices,
                 footer=t(lang, "explain.choices.footer"))


def reference_reply(inv: Invocation, hits: list[RefHit], verbose: bool) -> Reply:
    """An answer from Docker's reference, labelled so and never mixed with the notes."""
    lang = inv.lang
    best = hits[0]
    blocks: list[Block] = []
    if best.summary:
        blocks.append(Text(best.summary))
    if best.usage:
        blocks.append(Code(best.usage))
    blocks += _markdown_blocks(best.body if verbose else _excerpt(best.body))
    others = [h.title for h in hits[1:] if h.title != best.title]
    if others:
        blocks.append(Text(t(lang, "explain.reference.also", items=", ".join(dict.fromkeys(others)))))
    heading = best.title if best.heading.lower() in best.title.lower() else f"{best.title} › {best.heading}"
    return Reply(blocks=blocks or [Text("—")], title=t(lang, "explain.reference.title", title=heading),
                 footer=t(lang, "explain.reference.footer"))


def _excerpt(body: str) -> str:
    """The body's first paragraphs, whole, up to about :data:`REFERENCE_CHARS` (never inside a fence)."""
    out: list[str] = []
    used = 0
    for paragraph in body.split("\n\n"):
        if paragraph.lstrip().startswith(("```", "Usage:")):
            continue
        if used and used + len(paragraph) > REFERENCE_CHARS:
            break
        out.append(paragraph if len(paragraph) <= REFERENCE_CHARS else paragraph[:REFERENCE_CHARS] + "…")
        used += len(paragraph)
    return "\n\n".join(out)


def _markdown_blocks(text: str) -> list[Block]:
    """Markdown as Text and Code blocks: fenced examples become Code so renderers fence them safely."""
    blocks: list[Block] = []
    prose: list[str] = []
    code: list[str] | None = None
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            if code is None:
                if "\n".join(prose).strip():
                    blocks.append(Text("\n".join(prose).strip()))
                prose, code = [], []
            else:
                blocks.append(Code("\n".join(code)))
                code = None
        elif code is not None:
            code.append(line)
        else:
            prose.append(line)
    if code is not None:
        blocks.append(Code("\n".join(code)))
    if "\n".join(prose).strip():
        blocks.append(Text("\n".join(prose).strip()))
    return blocks


def not_found_reply(inv: Invocation, result: SearchResult, shown: str) -> Reply:
    lang = inv.lang
    lines = [t(lang, "explain.not_found", query=f"`{shown}`")]
    if result.suggestions:
        lines += ["", t(lang, "explain.closest")]
        lines += [f"- {topic}" for topic in result.suggestions[:5]]
    return Reply(
        blocks=[Text("\n".join(lines))],
        title=t(lang, "explain.not_found.title"),
        tone=Tone.WARNING,
        footer=t(lang, "explain.topics_hint", prefix=inv.prefix),
    )


def topics_reply(core: Core, inv: Invocation) -> Reply:
    lang = inv.lang
    topics = core.notes.topics()
    listed = [f"- {topic}" for topic in topics[:MAX_TOPICS_LISTED]]
    if len(topics) > MAX_TOPICS_LISTED:
        listed.append(t(lang, "explain.topics.more", count=len(topics) - MAX_TOPICS_LISTED))
    return Reply(
        blocks=[Text(t(lang, "explain.topics.usage", prefix=inv.prefix)), Text("\n".join(listed))],
        title=t(lang, "explain.topics.title"),
    )


async def gaps_reply(core: Core, inv: Invocation) -> Reply:
    """The most-asked questions the notes do not answer (asked again now: answered ones drop off)."""
    lang = inv.lang
    the = explainer(core)
    scope = scope_key(inv.place)
    lines: list[str] = []
    for gap in await the.store.gaps(scope, MAX_GAPS_LISTED * 2):
        if (await core.notes.search(gap.question)).best is not None:
            await the.store.close_gap(scope, gap.question)
            continue
        shown = f"`{inline_code(gap.question, 80)}`"
        lines.append("- " + t(lang, "explain.gaps.line", count=gap.asked, question=shown))
        if len(lines) >= MAX_GAPS_LISTED:
            break
    text = "\n".join(lines) or t(lang, "explain.gaps.none")
    return Reply(blocks=[Text(text)], title=t(lang, "explain.gaps.title"), footer=t(lang, "explain.gaps.footer"))


async def learned_reply(core: Core, inv: Invocation) -> Reply:
    lang = inv.lang
    picks = await explainer(core).store.picks(scope_key(inv.place))
    lines = ["- " + t(lang, "explain.learned.line", question=f"`{inline_code(p.question, 60)}`",
                      label=neutralize_mentions(p.label), count=p.picks) for p in picks]
    return Reply(blocks=[Text("\n".join(lines) or t(lang, "explain.learned.none"))],
                 title=t(lang, "explain.learned.title"))


async def forget_reply(core: Core, inv: Invocation, question: str) -> Reply:
    lang = inv.lang
    count = await explainer(core).store.forget(scope_key(inv.place), question)
    shown = f"`{inline_code(question, 60)}`"
    if not count:
        return Reply.text(t(lang, "explain.forget.none", question=shown))
    return Reply.text(t(lang, "explain.forget.done", count=count, question=shown), tone=Tone.SUCCESS)


_MANAGED = ("gaps", "learned", "forget")


async def install(core: Core) -> None:
    reference = await ReferenceIndex.open(core.db, find_reference_dir(core.settings.reference_dir))
    core.notes.language.reference_words = reference.words()
    forms = ReferenceForms.load(core.settings.data_dir / FORMS_FILE)
    core.services["explain"] = Explainer(core.notes, reference, ExplainStore(core.db), forms)

    async def run_explain(inv: Invocation, args: str) -> None:
        sub, _, rest = args.strip().partition(" ")
        if sub.lower() in _MANAGED:
            if not inv.actor.is_manager:
                raise CommandError(t(inv.lang, "explain.managers_only", prefix=inv.prefix, sub=sub.lower()),
                                   show_usage=False)
            if sub.lower() == "gaps":
                await inv.responder.send(await gaps_reply(core, inv))
            elif sub.lower() == "learned":
                await inv.responder.send(await learned_reply(core, inv))
            elif rest.strip():
                await inv.responder.send(await forget_reply(core, inv, rest.strip()))
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
        the = explainer(core)
        found = await the.store.choice(int(parts[2]), int(parts[3]))
        result = await core.notes.entry(found[2]) if found is not None else None
        if found is None or result is None:
            raise CommandError(t(inv.lang, "explain.pick.gone"))
        scope, question, place = found
        if scope != scope_key(inv.place):
            raise CommandError(t(inv.lang, "explain.pick.other_server"))
        best = result.hits[0]
        await the.store.record_pick(scope, question, place, _label(best))
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
