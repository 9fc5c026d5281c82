"""The curated supplement in ``data/``: the English ↔ Korean glossary and the corrections.

Both are small YAML files read once when the index opens. A missing file means "no supplement";
a malformed one raises :class:`~bot.notes.NotesError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.notes import NotesError
from bot.notes.korean import normalize
from bot.yamlfile import load_yaml


def load_supplement(path: Path) -> object:
    """A curated YAML file of ``data/``; None when it does not exist."""
    if not path.exists():
        return None
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NotesError(f"cannot read {path}: {exc}") from exc


def _term_key(term: str) -> str:
    return normalize(term).strip().lower()


@dataclass(slots=True)
class Glossary:
    """Groups of equivalent words; ``related`` pairs symbols shown as "see also"."""

    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)
    related: dict[str, list[str]] = field(default_factory=dict)

    def expand(self, term: str) -> frozenset[str]:
        """Every word that means ``term`` (including itself), lower-cased."""
        key = _term_key(term)
        return self.synonyms.get(key, frozenset((key,)))

    def words(self) -> set[str]:
        return set(self.synonyms)

    def related_to(self, symbol: str) -> list[str]:
        return self.related.get(symbol, [])

    @classmethod
    def load(cls, path: Path) -> Glossary:
        data = load_supplement(path)
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise NotesError(f"{path}: expected a mapping with `terms` and `related`")
        synonyms: dict[str, set[str]] = {}
        for number, group in enumerate(data.get("terms") or [], start=1):
            if not isinstance(group, dict):
                raise NotesError(f"{path}: term group {number} is not a mapping")
            words = {_term_key(str(w)) for lang in ("en", "ko") for w in (group.get(lang) or [])}
            words.discard("")
            for word in words:
                synonyms.setdefault(word, set()).update(words)
        related: dict[str, list[str]] = {}
        for number, pair in enumerate(data.get("related") or [], start=1):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise NotesError(f"{path}: related pair {number} must be a list of two symbols")
            a, b = str(pair[0]), str(pair[1])
            related.setdefault(a, []).append(b)
            related.setdefault(b, []).append(a)
        return cls({k: frozenset(v) for k, v in synonyms.items()}, related)


@dataclass(frozen=True, slots=True)
class Correction:
    """A fix shown beside a note: matched by exact ``symbol`` or by text the note ``contains``."""

    texts: dict[str, str]
    symbol: str | None = None
    contains: str | None = None

    def applies(self, symbol: str | None, text: str) -> bool:
        if self.symbol is not None:
            return symbol == self.symbol
        return self.contains is not None and self.contains in text

    def text(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts["en"]


def load_corrections(path: Path) -> list[Correction]:
    data = load_supplement(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise NotesError(f"{path}: expected a list of corrections")
    out: list[Correction] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not ("symbol" in item or "contains" in item) or "en" not in item:
            raise NotesError(f"{path}: correction {number} needs `symbol` or `contains`, and `en`")
        texts = {lang: str(item[lang]) for lang in ("en", "ko") if lang in item}
        symbol = str(item["symbol"]) if "symbol" in item else None
        contains = str(item["contains"]) if "contains" in item else None
        out.append(Correction(texts=texts, symbol=symbol, contains=contains))
    return out
