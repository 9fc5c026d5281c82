"""The replies ``!explain`` answers with: a short note, the whole section (``-v``), one-click choices,
a reference page, "not found", the topic list, and the managers' gaps and learned picks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.context import Invocation, scope_key
from bot.explain.answer import Explainer, Outcome
from bot.explain.store import PagePlace, Place
from bot.i18n import t
from bot.notes.index import Hit, SearchResult
from bot.reference.index import RefHit
from bot.replies import Block, Choice, Code, Reply, Text, Tone
from bot.textsafe import inline_code, neutralize_mentions

if TYPE_CHECKING:
    from bot.core import Core


SHORT_CHARS = 750
SHORT_LINES = 13
MAX_TOPICS_LISTED = 60
REFERENCE_CHARS = 600
MAX_GAPS_LISTED = 15


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


async def pair_reply(core: Core, inv: Invocation, outcome: Outcome, query: str, verbose: bool) -> Reply:
    """Both answers to a two-part question ("태그 붙이고 push 하는 법"), each under its title."""
    assert outcome.second is not None
    one, other = outcome.result.hits[0], outcome.second.hits[0]
    if verbose and one.source == other.source:  # one section, both entries marked in it
        both = replace(outcome.result, siblings=[*outcome.result.siblings, other, *outcome.second.siblings])
        return await verbose_reply(core, inv, both, one)
    parts: list[Reply] = []
    for result in (outcome.result, outcome.second):
        best = result.hits[0]
        parts.append(await verbose_reply(core, inv, result, best) if verbose
                     else await short_reply(core, inv, result, best, query))
    first, second = parts
    return Reply(blocks=[Text(f"**{first.title}**"), *first.blocks, Text(f"**{second.title}**"), *second.blocks],
                 title=f"{first.title} + {second.title}", footer=first.footer)


def _one_line(hit: Hit) -> str:
    return _short(hit.raw.split("\n", 1)[0])


def _short(line: str) -> str:
    return line if len(line) <= 90 else line[:89] + "…"


async def _section_line(the: Explainer, hit: Hit) -> str:
    """A section with no text of its own (`Dockerfile › command`) is told by its entries' names."""
    line = ""
    for entry in (await the.notes.section(hit.file, hit.section)).entries:
        if entry.symbol:
            if len(line) + len(entry.symbol) > 90:
                return line + ", …"
            line += f"{', ' if line else ''}`{entry.symbol}`"
    return line


def page_label(lang: str, page: RefHit) -> str:
    """A reference page as a choice: ``docker logs · Docker reference``."""
    return t(lang, "explain.choices.page", title=page_title(page))


def page_title(page: RefHit) -> str:
    """``docker logs``; ``Dockerfile › HEALTHCHECK`` for a section whose title does not name it."""
    return page.title if page.heading.lower() in page.title.lower() else f"{page.title} › {page.heading}"


def choice_label(hit: Hit) -> str:
    name = f"{hit.symbol} · {hit.section}" if hit.symbol else hit.section
    return name if len(name) <= 70 else name[:69] + "…"


async def choices_reply(the: Explainer, inv: Invocation, outcome: Outcome, scope: str, question: str,
                        shown: str) -> Reply:
    """Up to three entries as buttons (numbered in the console); a pick shows the entry and is learned."""
    lang = inv.lang
    places: list[Place] = [h.place for h in outcome.choices]
    places += [PagePlace(p.page, p.heading if p.page == "builder" else None) for p in outcome.pages]
    asked = await the.store.remember_choices(scope, question, places)
    offered = [(choice_label(h), _one_line(h) or await _section_line(the, h)) for h in outcome.choices]
    offered += [(page_label(lang, p), _short(p.summary)) for p in outcome.pages]
    lines = [t(lang, "explain.choices.intro", query=f"`{shown}`"), ""]
    lines += [f"{n}. **{label}** — {line}" for n, (label, line) in enumerate(offered, start=1)]
    choices = [Choice(label=f"{n}. {label}", action=f"explain:pick:{asked}:{n - 1}")
               for n, (label, _) in enumerate(offered, start=1)]
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
    return Reply(blocks=blocks or [Text("—")], title=t(lang, "explain.reference.title", title=page_title(best)),
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
    if result.elsewhere:
        lines += ["", t(lang, "explain.elsewhere", tools=", ".join(f"`{tool}`" for tool in result.elsewhere))]
    elif result.suggestions:
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


async def gaps_reply(the: Explainer, inv: Invocation) -> Reply:
    """The most-asked questions the notes do not answer. Each is asked again now: one the notes answer
    (edited since, or a member here picked an entry for it), or one about another tool, drops off for good."""
    lang = inv.lang
    scope = scope_key(inv.place)
    lines: list[str] = []
    for gap in await the.store.gaps(scope, MAX_GAPS_LISTED * 2):
        outcome = await the.answer(gap.question, scope)
        if outcome.from_notes or outcome.result.elsewhere:  # (another tool's question is no gap either)
            await the.store.close_gap(scope, gap.question)
            continue
        shown = f"`{inline_code(gap.question, 80)}`"
        lines.append("- " + t(lang, "explain.gaps.line", count=gap.asked, question=shown))
        if len(lines) >= MAX_GAPS_LISTED:
            break
    text = "\n".join(lines) or t(lang, "explain.gaps.none")
    return Reply(blocks=[Text(text)], title=t(lang, "explain.gaps.title"), footer=t(lang, "explain.gaps.footer"))


async def learned_reply(the: Explainer, inv: Invocation) -> Reply:
    lang = inv.lang
    picks = await the.store.picks(scope_key(inv.place))
    lines = ["- " + t(lang, "explain.learned.line", question=f"`{inline_code(p.question, 60)}`",
                      label=neutralize_mentions(p.label), count=p.picks) for p in picks]
    return Reply(blocks=[Text("\n".join(lines) or t(lang, "explain.learned.none"))],
                 title=t(lang, "explain.learned.title"))


async def forget_reply(the: Explainer, inv: Invocation, question: str) -> Reply:
    lang = inv.lang
    count = await the.store.forget(scope_key(inv.place), question)
    shown = f"`{inline_code(question, 60)}`"
    if not count:
        return Reply.text(t(lang, "explain.forget.none", question=shown))
    return Reply.text(t(lang, "explain.forget.done", count=count, question=shown), tone=Tone.SUCCESS)
