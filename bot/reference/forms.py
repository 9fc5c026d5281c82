"""Question forms for Docker's reference: ``data/reference.questions.yaml`` lists the ways members ask for
a reference page (``kill``, ``system_prune``) or a Dockerfile instruction (``builder#HEALTHCHECK``).

The reference itself is English and names things the way Docker does ("Kill one or more running
containers"); members ask "컨테이너가 응답 없을 때 강제로 끄려면". Forms bridge the two, matched by
word overlap (F1 weighted by how rare each word is among the forms). Korean words are reduced to
their lemmas (끄려면 → 끄), English ones lower-cased without plural ``s``. The file is read and the
forms analysed on the first question, so commands that never ask pay nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from bot.notes import NotesError
from bot.notes.forms import parse_forms
from bot.notes.likeness import Likeness
from bot.notes.memo import remember
from bot.notes.morph import content_morphs

FORMS_FILE = "reference.questions.yaml"
ASKED_KEPT = 2000  # matches kept for questions asked again
ALIKE_KEPT = 10  # most alike keys kept per question

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*|[0-9]+|[가-힣]+")
# Words every kind of question has: they tell no page from another.
_STOP = frozenset({
    "a", "an", "the", "i", "me", "my", "you", "your", "it", "its", "is", "are", "was", "be", "do", "does",
    "did", "to", "of", "in", "on", "at", "for", "from", "with", "and", "or", "how", "what", "which", "when",
    "where", "why", "can", "could", "should", "would", "there", "that", "this", "these", "those", "way",
    "want", "need", "get", "use", "using", "make", "docker", "command", "please", "some", "any", "all",
    "so", "just", "if", "into", "out", "up", "about", "one",
    "하", "되", "있", "없", "것", "수", "법", "거", "뭐", "어떻게", "어케", "좀", "때", "나", "내", "그",
    "이", "저", "도커", "명령", "명령어", "방법", "려면", "건",
})


@dataclass(frozen=True, slots=True)
class FormMatch:
    key: str  # ``kill`` or ``builder#HEALTHCHECK``
    score: float  # 0..1: the weighted F1 of its best form (match), or how alike its forms are (alike)

    @property
    def page(self) -> str:
        return self.key.partition("#")[0]

    @property
    def heading(self) -> str | None:
        return self.key.partition("#")[2] or None


def words(text: str) -> frozenset[str]:
    """The words of ``text`` that can tell pages apart."""
    out: set[str] = set()
    for token in _WORD.findall(text):
        if "가" <= token[0] <= "힣":
            out.update(m.lemma for m in content_morphs(token))
        else:
            token = token.lower().rstrip(".-")
            if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
                token = token[:-1]
            out.add(token)
    return frozenset(w for w in out if w and w not in _STOP)


class ReferenceForms:
    """Matches a question to the reference page whose forms it resembles most."""

    def __init__(self, forms: dict[str, list[str]]) -> None:
        self._raw = forms
        self._forms: list[tuple[str, frozenset[str]]] | None = None
        self._index: dict[str, list[int]] = {}  # word -> the forms that have it
        self._weight: dict[str, float] = {}
        self._totals: list[float] = []  # each form's summed word weight
        self._asked: dict[tuple[str, int], list[FormMatch]] = {}  # questions asked again, oldest first
        self._unseen = 1.0
        self._likeness: Likeness | None = None
        self._keys: list[str] = []
        self._pages: frozenset[str] | None = None
        self._alike: dict[str, list[FormMatch]] = {}  # questions asked again → most alike keys

    @classmethod
    def load(cls, path: Path) -> ReferenceForms:
        """The forms in ``path`` (checked as the notes' forms are); none when the file is absent."""
        if not path.is_file():
            return cls({})
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotesError(f"cannot read {path}: {exc.strerror or exc}") from exc
        return cls(parse_forms(path.name, data))

    def _analysed(self) -> list[tuple[str, frozenset[str]]]:
        if self._forms is None:
            forms = [(key, w) for key, questions in self._raw.items() for q in questions if (w := words(q))]
            counts: dict[str, int] = {}
            for number, (_, form_words) in enumerate(forms):
                for word in form_words:
                    self._index.setdefault(word, []).append(number)
                    counts[word] = counts.get(word, 0) + 1
            total = len(forms) + 1
            self._weight = {w: math.log(total / (n + 0.5)) for w, n in counts.items()}
            self._unseen = math.log(total / 0.5)
            self._totals = [sum(self._weight[w] for w in form_words) for _, form_words in forms]
            self._forms = forms
        return self._forms

    def likeness(self, question: str) -> float:
        """How much ``question`` looks like the forms of the page it looks most like (letter runs, as the notes'
        forms are compared: :mod:`bot.notes.likeness`), 0..1."""
        alike = self.alike(question)
        return alike[0].score if alike else 0.0

    def has(self, page: str) -> bool:
        """Whether ``page`` (``kill``, ``builder``) has question forms."""
        if self._pages is None:
            self._pages = frozenset(key.partition("#")[0] for key in self._raw)
        return page in self._pages

    def alike(self, question: str) -> list[FormMatch]:
        """The keys whose forms ``question`` looks most like, scored by that likeness, most alike first."""
        alike = self._alike.get(question)
        if alike is None:
            if self._likeness is None:
                self._keys = sorted(self._raw)
                self._likeness = Likeness((n, q) for n, key in enumerate(self._keys) for q in self._raw[key])
            ranked = sorted(self._likeness.of(question).items(), key=lambda item: (-item[1], item[0]))
            alike = remember(self._alike, question, [FormMatch(self._keys[n], value) for n, value in
                                                     ranked[:ALIKE_KEPT]], ASKED_KEPT)
        return list(alike)

    def match(self, question: str, limit: int = 3) -> list[FormMatch]:
        """The best-matching keys, best first (one score per key: its best form)."""
        key = (question, limit)
        found = self._asked.get(key)
        if found is None:
            found = remember(self._asked, key, self._match(question, limit), ASKED_KEPT)
        return list(found)

    def _match(self, question: str, limit: int) -> list[FormMatch]:
        forms = self._analysed()
        asked = words(question)
        if not forms or not asked:
            return []
        weight = self._weight
        asked_total = sum(weight.get(w, self._unseen) for w in asked)
        shared: dict[int, float] = {}  # form -> weight of the words it shares with the question
        for word in asked:
            for number in self._index.get(word, ()):
                shared[number] = shared.get(number, 0.0) + weight[word]
        best: dict[str, float] = {}
        for number, common in shared.items():
            key = forms[number][0]
            precision = common / self._totals[number]
            recall = common / asked_total
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best.get(key, 0.0):
                best[key] = f1
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [FormMatch(key, round(score, 4)) for key, score in ranked[:limit]]
