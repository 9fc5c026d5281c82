"""Lab exercises in the banks: the shipped ones, and bad specs refused with a message naming what is wrong."""

from __future__ import annotations

from bot.config import DEFAULT_DATA_DIR
from bot.quiz.bank import load_bank_dir, parse_bank_text
from bot.quiz.model import QuestionType
from bot.quiz.notes_source import read_note_entries


def test_at_least_ten_lab_exercises_ship_each_linked_to_its_notes_section() -> None:
    sections = set(read_note_entries(DEFAULT_DATA_DIR / "notes")[1])
    bank = load_bank_dir(DEFAULT_DATA_DIR / "quizzes", known_sections=sections)
    assert [str(e) for e in bank.errors] == []
    labs = [q for q in bank.questions if q.type is QuestionType.LAB]
    assert len(labs) >= 10
    for q in labs:
        assert q.section in sections and q.explanation and q.task is not None and q.task.check
        assert dict(q.prompts).keys() == {"en", "ko"} and all(text for _, text in q.prompts)
    by_id = {q.id: q for q in labs}
    # the three examples are among them
    assert "named `web`" in by_id["lab-run-web"].prompt_in("en")
    assert "stopped" in by_id["lab-remove-stopped"].prompt_in("en") and by_id["lab-remove-stopped"].task.needs_before
    assert "`hello`" in by_id["lab-build-hello"].prompt_in("en")


def _bank(question: str) -> str:
    return "title: t\nquestions:\n  - id: lab-x\n    type: lab\n" + question + (
        "    answer: docker run -d --name web alpine sleep 300\n    explanation: e\n    tags: [lab]\n"
        "    section: 명령어\n"
    )


PROMPT = "    prompt: {en: Start web., ko: web 을 시작하세요.}\n"


def _errors(question: str) -> list[str]:
    loaded, errors = parse_bank_text(_bank(question), "lab.yaml", {"명령어"})
    assert loaded is None
    return [str(e) for e in errors]


def test_a_good_lab_question_loads() -> None:
    loaded, errors = parse_bank_text(_bank(PROMPT + "    check:\n      - container: {name: web}\n"), "lab.yaml")
    assert errors == [] and loaded is not None
    question = loaded.questions[0]
    assert question.prompt_in("ko") == "web 을 시작하세요." and question.prompt_in("en") == "Start web."


def test_bad_specs_are_refused_with_a_clear_message() -> None:
    where = "lab.yaml: question 'lab-x', field 'check': "
    assert _errors(PROMPT) == [where + "check: must be a list of conditions, e.g. - container: {name: web}"]
    assert _errors(PROMPT + "    check:\n      - containr: {name: web}\n") == [
        where + "check #1 containr: unknown kind (known: container, no_containers, keep_containers, image, volume,"
        " network)"
    ]
    assert _errors(PROMPT + "    check:\n      - container: {nmae: web, status: up}\n") == [
        where + "check #1 container: unknown field 'nmae' (known: name, image, status, command, env, ports, network,"
        " volume, exit_code, count, new)",
        where + "check #1 container: status 'up' is not one of created, running, paused, restarting, exited, dead"
        " or stopped",
    ]
    assert _errors(PROMPT + "    check:\n      - container: {name: 'my web', ports: [eighty], exit_code: 0}\n") == [
        where + "check #1 container: name 'my web' is not a container name",
        where + "check #1 container: ports 'eighty' is not a port like 8080:80",
        where + "check #1 container: exit_code needs status: exited",
    ]
    assert _errors(PROMPT + "    check:\n      - image: {cmd: echo hi, workdir: app}\n") == [
        where + "check #1 image: workdir 'app' must be an absolute path",
        where + "check #1 image: needs a name",
    ]
    assert _errors(PROMPT + "    check:\n      - keep_containers: {}\n      - volume: {}\n") == [
        where + "check #1 keep_containers: needs a status (the containers to keep)",
        where + "check #2 volume: needs a name",
    ]
    assert _errors(PROMPT + "    check: [volume: data]\n    setup: [container: {count: 11}]\n") == [
        "lab.yaml: question 'lab-x', field 'setup': setup #1 container: count must be a whole number from 1 to 10"
    ]


def test_a_lab_prompt_needs_both_languages_and_check_is_only_for_lab() -> None:
    check = "    check: [volume: data]\n"
    assert _errors("    prompt: Start web.\n" + check) == [
        "lab.yaml: question 'lab-x', field 'prompt': a lab prompt must be given per language: {en: …, ko: …}"
    ]
    assert _errors("    prompt: {en: Start web., fr: Démarrez web.}\n" + check) == [
        "lab.yaml: question 'lab-x', field 'prompt': lacks ko",
        "lab.yaml: question 'lab-x', field 'prompt': has an unknown language 'fr' (known: en, ko)",
    ]
    free = "title: t\nquestions:\n  - id: f1\n    type: free\n    prompt: p\n    answer: a\n    explanation: e\n" \
        "    tags: [t]\n    section: 명령어\n    check: [volume: data]\n"
    _, errors = parse_bank_text(free, "f.yaml")
    assert [str(e) for e in errors] == ["f.yaml: question 'f1', field 'check': is only for lab questions, not free"]
