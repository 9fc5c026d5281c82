"""Question forms: ``<notes>.questions.yaml`` beside a notes file lists the ways members ask for its
entries (FAQ-style retrieval). Keys are entry keys (``명령어#-d``; a bare section path for a section
and its plain items); the forms are stored with the entry they name and analysed like queries when
the index loads. Notes without such a file work all the same; a key that names no entry is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import yaml

from bot.notes import NotesError
from bot.yamlfile import load_yaml

log = logging.getLogger(__name__)

FORMS_SUFFIX = ".questions.yaml"
MAX_FORM_CHARS = 200


def parse_forms(name: str, data: bytes) -> dict[str, list[str]]:
    """Entry key → forms, checked; a malformed file raises :class:`NotesError` naming it."""
    try:
        loaded = load_yaml(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NotesError(f"cannot read question forms {name}: {exc}") from exc
    forms = loaded.get("forms") if isinstance(loaded, dict) else None
    if not isinstance(forms, dict):
        raise NotesError(f"{name}: expected `forms:` mapping entry keys to lists of questions")
    out: dict[str, list[str]] = {}
    for key, questions in forms.items():
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            raise NotesError(f"{name}: forms of {key!r} must be a list of questions")
        if any(len(q) > MAX_FORM_CHARS for q in questions):
            raise NotesError(f"{name}: a form of {key!r} is longer than {MAX_FORM_CHARS} characters")
        out[str(key)] = [q.strip() for q in questions]
    return out


def forms_rows(files: list[tuple[str, bytes]], keys: dict[tuple[str, str], int]) -> Iterator[tuple[int, int, str]]:
    """``notes_forms`` rows (doc id, order, text) for every forms file among ``files``."""
    for name, data in files:
        if not name.endswith(FORMS_SUFFIX):
            continue
        notes_file = name.removesuffix(FORMS_SUFFIX) + ".md"
        unknown: list[str] = []
        for key, questions in parse_forms(name, data).items():
            doc_id = keys.get((notes_file, key))
            if doc_id is None:
                unknown.append(key)
                continue
            for number, question in enumerate(questions):
                yield doc_id, number, question
        if unknown:
            log.warning("%s: no entry named %s in %s (forms skipped)", name, ", ".join(map(repr, unknown)), notes_file)
