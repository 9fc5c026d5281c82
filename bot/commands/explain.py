"""``!explain [-v] <topic>``: look a topic up in the study notes; ``!reindex`` rebuilds the index.

The short answer is one entry or section as written in the notes, where it comes from, any
curated correction beside it, and "see also" when another symbol shares the name. ``-v`` (only
before the query, so ``!explain -v -v`` explains the ``-v`` flag) shows the whole section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import Command, CommandError, CommandSpec
from bot.context import Invocation
from bot.i18n import register, t
from bot.notes import NotesError
from bot.notes.index import Hit, SearchResult
from bot.notes.query import MAX_QUERY_CHARS
from bot.replies import Reply, Text, Tone
from bot.textsafe import inline_code, is_meaningful, show_invisible, strip_invisible

if TYPE_CHECKING:
    from bot.core import Core

SHORT_CHARS = 750
SHORT_LINES = 13
MAX_TOPICS_LISTED = 60
VERBOSE_FLAGS = ("-v", "--verbose")

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
        "reindex.failed": {
            "en": "Could not rebuild the notes index: {problem}",
            "ko": "노트 색인을 다시 만들지 못했습니다: {problem}",
        },
    }
)

SPEC = CommandSpec(
    name="explain",
    usage="explain [-v] <topic>",
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
    """``-v run`` → ("run", True); ``-v -v`` → ("-v", True); ``run -v`` → ("run -v", False)."""
    text = args.strip()
    first, _, rest = text.partition(" ")
    if first in VERBOSE_FLAGS:
        return rest.strip(), True
    return text, False


async def explain(core: Core, inv: Invocation, query: str, verbose: bool) -> None:
    """Answer ``query`` from the notes (the slash command calls this with its literal options)."""
    await inv.responder.send(await explain_reply(core, inv, query, verbose))


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
    result = await core.notes.search(cleaned)
    if result.problem == "too_long":
        return Reply.error(t(lang, "explain.too_long", length=len(cleaned), limit=MAX_QUERY_CHARS))
    if result.problem == "empty":
        return Reply.error(t(lang, "explain.no_words", query=f"`{shown}`"))
    best = result.best
    if best is None:
        return not_found_reply(inv, result, shown)
    if verbose:
        return await verbose_reply(core, inv, result, best)
    return await short_reply(core, inv, result, best, cleaned)


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


async def install(core: Core) -> None:
    async def run_explain(inv: Invocation, args: str) -> None:
        query, verbose = parse_arguments(args)
        await explain(core, inv, query, verbose)

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

    core.add_command(Command(SPEC, run_explain))
    core.add_command(Command(REINDEX_SPEC, run_reindex))
    core.closers.append(close_notes)
