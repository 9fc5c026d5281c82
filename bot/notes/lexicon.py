"""The intent lexicon (``data/lexicon.yaml``): how members say things, mapped to the notes' words.

The glossary pairs translations (image ↔ 이미지); the lexicon covers what people type instead of
the notes' wording: verbs (지우다 → 삭제/제거), everyday English ("get rid of" → remove), words that
carry no topic (filler, never counted against an answer), Docker words for commands the notes
may lack (로그 → logs), which route a question to Docker's reference, and the names of other tools
(kubectl, git), whose `logs` and `push` are not Docker's. See the file's header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.notes import NotesError
from bot.notes.glossary import Glossary, load_supplement
from bot.notes.korean import normalize

_GROUPS = ("intents", "hints", "docker")


def _key(path: Path, word: object) -> str:
    if not isinstance(word, str):  # YAML reads a bare on/off/yes/no as a boolean: the word would be lost
        raise NotesError(f"{path}: {word!r} is not a word (quote it)")
    return normalize(word).strip().lower()


@dataclass(slots=True)
class Lexicon:
    filler: frozenset[str] = frozenset()
    repairs: dict[str, str] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    intents: dict[str, frozenset[str]] = field(default_factory=dict)
    hints: dict[str, frozenset[str]] = field(default_factory=dict)
    docker: dict[str, frozenset[str]] = field(default_factory=dict)
    elsewhere: frozenset[str] = frozenset()
    apart: frozenset[str] = frozenset()  # products with images and layers of their own (포토샵, 인스타)
    longest_phrase: int = 0

    def means(self, word: str) -> frozenset[str]:
        """What ``word`` stands for in the notes (intents and hints), empty when the lexicon is silent."""
        return self.intents.get(word, frozenset()) | self.hints.get(word, frozenset())

    def is_hint(self, word: str) -> bool:
        """A hint counts when something matches it and is filler otherwise (왜 → 장점)."""
        return word in self.hints and word not in self.intents

    def docker_words(self, word: str) -> frozenset[str]:
        return self.docker.get(word, frozenset())

    def knows(self, word: str) -> bool:
        return word in self.intents or word in self.hints or word in self.docker

    def join_phrases(self, words: list[str]) -> list[str]:
        """Replace English word runs the lexicon knows ("get rid of") with the one word they mean."""
        if not self.phrases:
            return words
        out: list[str] = []
        i = 0
        lower = [w.lower() for w in words]
        while i < len(words):
            for size in range(min(self.longest_phrase, len(words) - i), 1, -1):
                meant = self.phrases.get(tuple(lower[i : i + size]))
                if meant is not None:
                    out.append(meant)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read and check the file; a missing file is an empty lexicon, a bad one names the entry."""
        data = load_supplement(path)
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise NotesError(f"{path}: expected a mapping (filler, repairs, phrases, {', '.join(_GROUPS)}, elsewhere, "
                             "apart)")
        unknown = set(data) - {"filler", "repairs", "phrases", "elsewhere", "apart", *_GROUPS}
        if unknown:
            raise NotesError(f"{path}: unknown section(s): {', '.join(sorted(map(str, unknown)))}")
        filler_data = data.get("filler") or {}
        if not isinstance(filler_data, dict) or not all(isinstance(v, list) for v in filler_data.values()):
            raise NotesError(f"{path}: `filler` must map a language to a list of words")
        filler = frozenset(_key(path, w) for words in filler_data.values() for w in words)
        repairs = _mapping(path, data, "repairs")
        phrases: dict[tuple[str, ...], str] = {}
        for text, meant in _mapping(path, data, "phrases").items():
            words = tuple(text.split())
            if len(words) < 2:
                raise NotesError(f"{path}: phrase {text!r} needs two or more words")
            phrases[words] = meant
        elsewhere, apart = _names(path, data, "elsewhere"), _names(path, data, "apart")
        lexicon = cls(filler=filler, repairs=repairs, phrases=phrases, elsewhere=elsewhere, apart=apart,
                      longest_phrase=max((len(p) for p in phrases), default=0))
        for group in _GROUPS:
            setattr(lexicon, group, _groups(path, data, group))
        clash = sorted(filler & (set(lexicon.intents) | set(lexicon.hints) | set(lexicon.docker)))
        if clash:  # filler would hide them
            raise NotesError(f"{path}: word(s) both filler and an intent, hint or Docker word: {', '.join(clash[:10])}")
        clash = sorted((elsewhere | apart) & (set(lexicon.intents) | set(lexicon.docker)))
        if clash:
            raise NotesError(f"{path}: word(s) both another tool and a Docker word: {', '.join(clash[:10])}")
        return lexicon


def _names(path: Path, data: dict, name: str) -> frozenset[str]:
    names = data.get(name) or []
    if not isinstance(names, list) or not all(isinstance(w, str) and w.strip() for w in names):
        raise NotesError(f"{path}: `{name}` must be a list of tool names")
    return frozenset(_key(path, w) for w in names)


def _mapping(path: Path, data: dict, name: str) -> dict[str, str]:
    section = data.get(name) or {}
    if not isinstance(section, dict):
        raise NotesError(f"{path}: `{name}` must be a mapping of words")
    out: dict[str, str] = {}
    for key, value in section.items():
        if not isinstance(value, str) or not value.strip():
            raise NotesError(f"{path}: {name} entry {key!r} needs a word")
        out[_key(path, key)] = _key(path, value)
    return out


def _groups(path: Path, data: dict, name: str) -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for number, group in enumerate(data.get(name) or [], start=1):
        if not isinstance(group, dict) or not isinstance(group.get("say"), list) or not isinstance(
            group.get("mean"), list
        ):
            raise NotesError(f"{path}: {name} entry {number} needs `say` and `mean` lists")
        says = {_key(path, w) for w in group["say"]} - {""}
        means = {_key(path, w) for w in group["mean"]} - {""}
        if not says or not means:
            raise NotesError(f"{path}: {name} entry {number} has an empty `say` or `mean`")
        for word in says:
            merged.setdefault(word, set()).update(means)
    return {k: frozenset(v) for k, v in merged.items()}


@dataclass(slots=True)
class Language:
    """Everything search knows about words besides the notes: translations, the lexicon, and the
    Docker words of the official reference (set when the reference is indexed)."""

    glossary: Glossary = field(default_factory=Glossary)
    lexicon: Lexicon = field(default_factory=Lexicon)
    reference_words: frozenset[str] = frozenset()

    @classmethod
    def load(cls, data_dir: Path, reference_words: frozenset[str] = frozenset()) -> Language:
        return cls(Glossary.load(data_dir / "glossary.yaml"), Lexicon.load(data_dir / "lexicon.yaml"),
                   reference_words)
