"""How much a question looks like the question forms of each entry, letter by letter.

Words fail on the ways people really type: verb endings the analyser splits oddly (띄워야돼),
spacing slips (도커파일로이미지), typos (옵숀), casual English. Runs of 2 and 3 letters (Hangul
syllables count as letters) survive all of these, so each question form is kept as a TF-IDF vector
of its letter runs (a word's edges count: " 컨", "너 "), and an entry's likeness to a question is the
mean cosine of its three most alike forms: one lucky form is not enough, a few alike ones are. Used
beside the word search, it ranks and (with :mod:`bot.notes.confidence`) decides.

Forms are curated, a few hundred per notes file, so everything is held in memory; a question costs a
walk of the postings of its letter runs (about 0.5 ms for the shipped notes).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable

# Runs of letters taken from each word, with a space at either end.
_SIZES = (2, 3)
_WORD = re.compile(r"[0-9a-z가-힣\-]+")
# An entry's likeness is the mean of its best this-many forms (fewer forms count as zero).
BEST_FORMS = 3


def letter_runs(text: str) -> Counter[str]:
    """Every 2- and 3-letter run of each word, edges marked: ``run`` → " r", "ru", "un", "n ", " ru", …"""
    runs: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        padded = f" {word} "
        for size in _SIZES:
            for start in range(len(padded) - size + 1):
                runs[padded[start:start + size]] += 1
    return runs


class Likeness:
    """Question forms by entry, as letter-run vectors with an inverted index."""

    def __init__(self, forms: Iterable[tuple[int, str]]) -> None:
        counted = [(doc_id, letter_runs(text)) for doc_id, text in forms]
        self._entry_of = [doc_id for doc_id, _ in counted]
        self.entries = frozenset(self._entry_of)
        total = len(counted)
        df: Counter[str] = Counter(run for _, runs in counted for run in runs)
        self._idf = {run: math.log(1 + total / (n + 1)) for run, n in df.items()}
        # run → (form numbers, weights): two flat arrays take a tenth of the memory of (number, weight) tuples.
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        for number, (_, runs) in enumerate(counted):
            for run, weight in self._vector(runs).items():
                numbers, weights = self._postings.setdefault(run, (array("i"), array("d")))
                numbers.append(number)
                weights.append(weight)

    def __bool__(self) -> bool:
        return bool(self._entry_of)

    def _vector(self, runs: Counter[str]) -> dict[str, float]:
        idf = self._idf
        vector = {run: (1 + math.log(n)) * idf[run] for run, n in runs.items() if run in idf}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {run: w / norm for run, w in vector.items()}

    def of(self, question: str) -> dict[int, float]:
        """Entry doc id → likeness in [0, 1], for entries with a form sharing a letter run."""
        cosine: dict[int, float] = defaultdict(float)
        for run, weight in self._vector(letter_runs(question)).items():
            numbers, weights = self._postings[run]  # a run of the vector is one some form has
            for number, form_weight in zip(numbers, weights, strict=True):
                cosine[number] += weight * form_weight
        by_entry: dict[int, list[float]] = defaultdict(list)
        for number, value in cosine.items():
            by_entry[self._entry_of[number]].append(value)
        return {doc_id: sum(sorted(values)[-BEST_FORMS:]) / BEST_FORMS for doc_id, values in by_entry.items()}
