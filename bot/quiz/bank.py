"""Question banks in ``data/quizzes/*.yaml``: loading and validation.

A file is a mapping with a header and a list of questions::

    title: Docker 기초
    description: …
    settings: {seconds: 20}
    questions:
      - id: image-definition          # stable, [a-z0-9-], at most 40 characters
        type: multiple_choice         # multiple_choice | true_false | free | fill_blank
        prompt: 컨테이너 실행에 필요한 파일과 설정값을 포함하고 있는 것은?
        answer: 이미지                 # true/false questions take true or false
        aliases: [image, docker image]
        distractors: [컨테이너, 볼륨]    # multiple choice: at least 2
        match: prose                  # prose | code (default: code for fill_blank, else prose)
        hints: [영어로 image]
        explanation: …
        tags: [image]
        section: 이미지                  # the notes heading it comes from ("A > B" for a subsection)
        explain: 이미지                  # optional: the term for !explain -v (default: last heading)
      - id: lab-run-web
        type: lab                     # done in the member's !docker lab, checked against its state
        prompt: {ko: …, en: …}        # any question may give its prompt per language (lab ones must: en, ko)
        answer: docker run -d --name web alpine sleep 300   # the solution shown after the exercise
        check:                        # what the lab must hold (see bot.quiz.lab_spec)
          - container: {name: web, image: alpine, status: running, command: sleep 300}
        setup: …                      # optional: what the lab must hold before the exercise starts
        …                             # hints, explanation, tags, section, explain as above

Every file is validated as a whole: one bad question rejects its file, with an error naming
the file, the question id and the field; the other files still load.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.quiz.lab_spec import parse_task
from bot.quiz.model import BLANK, MatchKind, Question, QuestionType
from bot.yamlfile import load_yaml

log = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MAX_LABEL = 80  # Discord button label limit
HEADER_KEYS = {"title", "description", "settings", "questions"}
QUESTION_KEYS = {
    "id", "type", "prompt", "answer", "aliases", "distractors", "match", "hints",
    "explanation", "tags", "section", "explain", "check", "setup",
}
PROMPT_LANGUAGES = ("en", "ko")  # a prompt given per language needs both; lab prompts must be given so
SETTING_KEYS = {"seconds"}


@dataclass(frozen=True, slots=True)
class BankError:
    """One problem in one file; ``question`` and ``field`` are empty for file-level problems."""

    file: str
    question: str
    field: str
    problem: str

    def __str__(self) -> str:
        where = self.file
        if self.question:
            where += f": question {self.question!r}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.problem}"


@dataclass(slots=True)
class BankFile:
    path: Path
    title: str
    description: str
    seconds: float | None
    questions: list[Question]


@dataclass(slots=True)
class Bank:
    files: list[BankFile] = field(default_factory=list)
    errors: list[BankError] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [q for f in self.files for q in f.questions]


class _FileChecker:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, name: str, known_sections: set[str] | None) -> None:
        self.name = name
        self.known_sections = known_sections
        self.errors: list[BankError] = []

    def fail(self, question: str, field_name: str, problem: str) -> None:
        self.errors.append(BankError(self.name, question, field_name, problem))

    def text(self, qid: str, raw: dict[str, Any], key: str, *, required: bool = True, limit: int = 1000) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(qid, key, "is missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(qid, key, "must be text")
            return ""
        text = str(value).strip()
        if required and not text:
            self.fail(qid, key, "is empty")
        if len(text) > limit:
            self.fail(qid, key, f"is longer than {limit} characters")
        return text

    def text_list(self, qid: str, raw: dict[str, Any], key: str, *, limit: int = 200) -> tuple[str, ...]:
        value = raw.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(qid, key, "must be a list of texts")
            return ()
        items: list[str] = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.fail(qid, key, "must be a list of non-empty texts")
                return ()
            if len(str(item)) > limit:
                self.fail(qid, key, f"has an item longer than {limit} characters")
            items.append(str(item).strip())
        return tuple(items)

    def question(self, raw: object, index: int, seen: set[str]) -> Question | None:
        if not isinstance(raw, dict):
            self.fail(f"#{index + 1}", "", "must be a mapping")
            return None
        qid = raw.get("id")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.fail(f"#{index + 1}", "id", "must be 2-40 characters of a-z, 0-9 and '-'")
            return None
        if qid in seen:
            self.fail(qid, "id", "is used twice")
        seen.add(qid)
        errors_before = len(self.errors)
        unknown = sorted(set(raw) - QUESTION_KEYS)
        if unknown:
            self.fail(qid, unknown[0], "is not a known field")
        try:
            qtype = QuestionType(raw.get("type"))
        except ValueError:
            self.fail(qid, "type", "must be one of " + ", ".join(t.value for t in QuestionType))
            return None
        prompt, prompts = self._prompt(qid, raw, qtype)
        answers = self._answers(qid, raw, qtype)
        task = None
        if qtype is QuestionType.LAB:
            task, problems = parse_task(raw.get("check"), raw.get("setup"))
            for problem in problems:
                self.fail(qid, "setup" if problem.startswith("setup") else "check", problem)
        else:
            for key in ("check", "setup"):
                if key in raw:
                    self.fail(qid, key, f"is only for lab questions, not {qtype.value}")
        distractors = self.text_list(qid, raw, "distractors", limit=MAX_LABEL)
        match = self._match(qid, raw, qtype)
        if qtype is QuestionType.MULTIPLE_CHOICE:
            if len(distractors) < 2:
                self.fail(qid, "distractors", "multiple choice needs at least 2")
            if len(distractors) > 4:
                self.fail(qid, "distractors", "multiple choice takes at most 4")
            if answers and any(d.casefold() == answers[0].casefold() for d in distractors):
                self.fail(qid, "distractors", "contains the answer")
            if answers and len(answers[0]) > MAX_LABEL:
                self.fail(qid, "answer", f"is longer than {MAX_LABEL} characters (a button label)")
        elif distractors and qtype is not QuestionType.MULTIPLE_CHOICE:
            self.fail(qid, "distractors", f"is only for multiple_choice, not {qtype.value}")
        if qtype is QuestionType.FILL_BLANK and BLANK not in prompt:
            self.fail(qid, "prompt", f"a fill_blank prompt needs the blank {BLANK}")
        tags = self.text_list(qid, raw, "tags", limit=40)
        if not tags:
            self.fail(qid, "tags", "needs at least one tag")
        section = self.text(qid, raw, "section", limit=200)
        if section and self.known_sections is not None and section not in self.known_sections:
            self.fail(qid, "section", f"{section!r} is not a heading of the notes")
        question = Question(
            id=qid,
            type=qtype,
            prompt=prompt,
            answers=answers,
            distractors=distractors,
            match=match,
            hints=self.text_list(qid, raw, "hints"),
            explanation=self.text(qid, raw, "explanation", limit=1500),
            tags=tuple(tag.lower() for tag in tags),
            section=section,
            explain=self.text(qid, raw, "explain", required=False, limit=100),
            source=self.name,
            prompts=prompts,
            task=task,
        )
        return question if len(self.errors) == errors_before else None

    def _prompt(self, qid: str, raw: dict[str, Any], qtype: QuestionType) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The prompt, and the prompt per language when it is given as ``{en: …, ko: …}``."""
        value = raw.get("prompt")
        if not isinstance(value, dict):
            if qtype is QuestionType.LAB:
                self.fail(qid, "prompt", "a lab prompt must be given per language: {en: …, ko: …}")
            return self.text(qid, raw, "prompt"), ()
        missing = [lang for lang in PROMPT_LANGUAGES if lang not in value]
        unknown = sorted(str(k) for k in value if k not in PROMPT_LANGUAGES)
        if missing:
            self.fail(qid, "prompt", "lacks " + ", ".join(missing))
        if unknown:
            self.fail(qid, "prompt", f"has an unknown language {unknown[0]!r} (known: {', '.join(PROMPT_LANGUAGES)})")
        prompts = tuple(
            (lang, self.text(qid, {f"prompt.{lang}": value[lang]}, f"prompt.{lang}"))
            for lang in PROMPT_LANGUAGES if lang in value
        )
        return (prompts[0][1] if prompts else ""), prompts

    def _answers(self, qid: str, raw: dict[str, Any], qtype: QuestionType) -> tuple[str, ...]:
        if qtype is QuestionType.TRUE_FALSE:
            value = raw.get("answer")
            if not isinstance(value, bool):
                self.fail(qid, "answer", "a true_false answer must be true or false")
                return ()
            if raw.get("aliases"):
                self.fail(qid, "aliases", "true_false questions take no aliases")
            return ("true" if value else "false",)
        answer = self.text(qid, raw, "answer", limit=500 if qtype is QuestionType.LAB else 200)
        aliases = self.text_list(qid, raw, "aliases")
        return (answer, *aliases) if answer else ()

    def _match(self, qid: str, raw: dict[str, Any], qtype: QuestionType) -> MatchKind:
        default = MatchKind.CODE if qtype is QuestionType.FILL_BLANK else MatchKind.PROSE
        value = raw.get("match", default.value)
        try:
            return MatchKind(value)
        except ValueError:
            self.fail(qid, "match", "must be prose or code")
            return default


def parse_bank_text(
    text: str, name: str, known_sections: set[str] | None = None
) -> tuple[BankFile | None, list[BankError]]:
    """Validate one file's text. Returns the file (None when anything is wrong) and its errors."""
    checker = _FileChecker(name, known_sections)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return None, [BankError(name, "", "", f"is not valid YAML{where}")]
    if not isinstance(data, dict):
        return None, [BankError(name, "", "", "must be a mapping with title, description, settings, questions")]
    for key in sorted(set(data) - HEADER_KEYS):
        checker.fail("", key, "is not a known header field")
    title = checker.text("", data, "title", limit=100)
    description = checker.text("", data, "description", required=False)
    seconds = _seconds(checker, data.get("settings"))
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        checker.fail("", "questions", "must be a non-empty list")
        raw_questions = []
    seen: set[str] = set()
    questions = [q for i, raw in enumerate(raw_questions) if (q := checker.question(raw, i, seen)) is not None]
    if checker.errors:
        return None, checker.errors
    return BankFile(Path(name), title, description, seconds, questions), []


def _seconds(checker: _FileChecker, settings: object) -> float | None:
    if settings is None:
        return None
    if not isinstance(settings, dict):
        checker.fail("", "settings", "must be a mapping")
        return None
    for key in sorted(set(settings) - SETTING_KEYS):
        checker.fail("", f"settings.{key}", "is not a known setting")
    seconds = settings.get("seconds")
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 5 <= seconds <= 300:
        checker.fail("", "settings.seconds", "must be a number from 5 to 300")
        return None
    return float(seconds)


def load_bank(paths: Iterable[Path], known_sections: set[str] | None = None) -> Bank:
    """Load every file; bad files are reported in ``errors`` and left out. Ids must be unique across files."""
    bank = Bank()
    seen: dict[str, str] = {}
    for path in sorted(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            bank.errors.append(BankError(path.name, "", "", f"cannot be read ({exc.__class__.__name__})"))
            continue
        loaded, errors = parse_bank_text(text, path.name, known_sections)
        if loaded is not None:
            clashes = [q.id for q in loaded.questions if q.id in seen]
            if clashes:
                errors = [BankError(path.name, q, "id", f"is already used in {seen[q]}") for q in clashes]
                loaded = None
        if loaded is None:
            bank.errors.extend(errors)
            for error in errors:
                log.warning("quiz bank: %s", error)
            continue
        loaded.path = path
        for q in loaded.questions:
            seen[q.id] = path.name
        bank.files.append(loaded)
    return bank


def load_bank_dir(folder: Path, known_sections: set[str] | None = None) -> Bank:
    if not folder.is_dir():
        return Bank()
    return load_bank(folder.glob("*.yaml"), known_sections)
