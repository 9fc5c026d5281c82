"""Questions generated from note entries: term → definition, definition → term, a blank in a command.

Ids are a hash of the kind, section, symbol and text, so they stay the same however often
the notes are re-indexed (and change only when that entry's text changes). Known slips in
the notes are corrected rather than taught (``-name`` → ``--name``), and deprecated
instructions (``MAINTAINER``) are not asked about.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from bot.quiz.model import BLANK, MatchKind, Question, QuestionType
from bot.quiz.notes_source import SECTION_SEPARATOR, NoteEntry

MAX_LABEL = 80
CORRECTED_SYMBOLS = {"-name": "--name", "-rm": "--rm", "-link": "--link"}
SKIPPED_SYMBOLS = {"MAINTAINER"}
# What the notes leave out and a learner should not miss.
EXTRA_NOTES = {
    "-t": "`-t` 로 태그를 붙이는 것은 `docker build -t 이름:태그` 입니다 (`docker run -t` 는 터미널(TTY) 할당).",
    "--name": "노트에는 `-name` 으로 적혀 있지만 실제 옵션은 `--name` 입니다.",
    "--rm": "노트에는 `-rm` 으로 적혀 있지만 실제 옵션은 `--rm` 입니다.",
    "--link": "노트에는 `-link` 로 적혀 있지만 실제 옵션은 `--link` 이며, 지금은 사용자 정의 네트워크를 권장하는 "
    "레거시 기능입니다.",
}
TOPIC_BY_SECTION = {
    "장점": "basics",
    "이미지": "image",
    "컨테이너": "container",
    "Dockerfile": "dockerfile",
    "Docker-compose": "compose",
    "명령어": "cli",
    "컨테이너를 업데이트 하려면?": "update",
    "도커 빌드 과정": "build",
    "도커 이미지 전송": "registry",
    "기타 참고": "misc",
}
_EXAMPLE_TEXT = re.compile(r"^[/.~\w-]+:[/\w.-]+$")


def topic_for(section_path: str) -> str:
    top = section_path.split(SECTION_SEPARATOR)[0]
    if top in TOPIC_BY_SECTION:
        return TOPIC_BY_SECTION[top]
    slug = re.sub(r"[^a-z0-9]+", "-", top.lower()).strip("-")
    return slug or "notes"


def stable_id(kind: str, entry: NoteEntry) -> str:
    digest = hashlib.sha1(
        f"{kind}\x1f{entry.section_path}\x1f{entry.symbol}\x1f{entry.text}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"gen-{kind}-{digest[:12]}"


def _label(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _pick(candidates: Sequence[str], seed: str, count: int) -> tuple[str, ...]:
    """A deterministic choice of ``count`` distinct candidates (the same every run for the same seed)."""
    ranked = sorted(set(candidates), key=lambda c: hashlib.sha1((seed + c).encode(), usedforsecurity=False).digest())
    return tuple(ranked[:count])


def _clean(entries: Iterable[NoteEntry]) -> list[tuple[NoteEntry, str]]:
    """(entry, corrected symbol), skipping deprecated symbols, example lines and repeated symbols."""
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[NoteEntry, str]] = []
    for entry in entries:
        if entry.symbol in SKIPPED_SYMBOLS or _EXAMPLE_TEXT.match(entry.text):
            continue
        key = (entry.section_path, entry.symbol)
        if key in seen:
            continue
        seen.add(key)
        kept.append((entry, CORRECTED_SYMBOLS.get(entry.symbol, entry.symbol)))
    return kept


def _explanation(entry: NoteEntry, symbol: str) -> str:
    text = f"«{entry.section_path}» `{symbol}`: {entry.text}"
    if symbol in EXTRA_NOTES:
        text += "\n" + EXTRA_NOTES[symbol]
    return text


def _is_code_entry(entry: NoteEntry, symbol: str) -> bool:
    """Commands, flags and instructions listed under a heading (not the heading's own definition)."""
    heading = entry.section_path.split(SECTION_SEPARATOR)[-1]
    return entry.symbol != heading and symbol.isascii() and " " not in symbol


def generate_questions(entries: Iterable[NoteEntry]) -> list[Question]:
    """Every question the entries support, in a stable order."""
    kept = _clean(entries)
    groups: dict[str, list[tuple[NoteEntry, str]]] = {}
    for entry, symbol in kept:
        # section-level definitions (symbol == heading) compete with the other top-level definitions
        group = "" if entry.symbol == entry.section_path.split(SECTION_SEPARATOR)[-1] else entry.section_path
        groups.setdefault(group, []).append((entry, symbol))
    questions: list[Question] = []
    for members in groups.values():
        for entry, symbol in members:
            others = [(e, s) for e, s in members if s != symbol and e.text != entry.text]
            questions.extend(_for_entry(entry, symbol, others))
    return questions


def _for_entry(entry: NoteEntry, symbol: str, others: list[tuple[NoteEntry, str]]) -> list[Question]:
    topic = topic_for(entry.section_path)
    common = {
        "explanation": _explanation(entry, symbol),
        "tags": (topic, "generated"),
        "section": entry.section_path,
        "explain": symbol,
        "source": "notes",
    }
    code = _is_code_entry(entry, symbol)
    # a definition that names its own term would give the answer away
    masked = re.sub(re.escape(entry.symbol), "…", entry.text, flags=re.IGNORECASE)
    match = MatchKind.CODE if code else MatchKind.PROSE
    made: list[Question] = []
    if len(others) >= 2:
        texts = [_label(e.text) for e, _ in others if _label(e.text) != _label(entry.text)]
        if len(set(texts)) >= 2:
            made.append(
                Question(
                    id=stable_id("def", entry),
                    type=QuestionType.MULTIPLE_CHOICE,
                    prompt=f"다음 중 `{symbol}` 에 대한 설명으로 맞는 것은?",
                    answers=(_label(entry.text),),
                    distractors=_pick(texts, entry.symbol, 3),
                    **common,
                )
            )
        alike = [s for _, s in others if s.startswith("-") == symbol.startswith("-")]
        symbols = alike if len(alike) >= 2 else [s for _, s in others]
        made.append(
            Question(
                id=stable_id("term", entry),
                type=QuestionType.MULTIPLE_CHOICE,
                prompt=f"다음 설명에 해당하는 것은?\n> {masked}",
                answers=(symbol,),
                distractors=_pick(symbols, entry.text, 3),
                match=match,
                **common,
            )
        )
    if code:
        if symbol.startswith("-"):
            prompt = f"`docker` 옵션 {BLANK} : {masked}"
        elif symbol.isupper():
            prompt = f"Dockerfile 명령어 {BLANK} : {masked}"
        else:
            prompt = f"`docker {BLANK}` : {masked}"
        made.append(
            Question(
                id=stable_id("blank", entry),
                type=QuestionType.FILL_BLANK,
                prompt=prompt,
                answers=(symbol,),
                match=MatchKind.CODE,
                **common,
            )
        )
    return made
