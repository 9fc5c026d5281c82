"""Whether the notes' best entry answers a question outright: a calibrated probability.

For entries with question forms, the evidence below goes through a logistic model fitted on the
tuning splits of the natural question sets (``benchmarks/fit_confidence.py`` refits it and prints
these constants; the held-out splits are never used). Entries without forms (notes a group added
without a forms file) are judged by coverage alone, see :mod:`bot.notes.search`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """What speaks for the best entry, as the model reads it (field order is the coefficients' order)."""

    lead: float  # its score over the best other entry's, x / (1 + x)
    likeness: float  # the best likeness of any entry to the question (bot.notes.likeness)
    likeness_lead: float  # the best likeness over the second best
    words_agree: float  # 1 when the word search alone ranks it first
    likeness_agrees: float  # 1 when likeness alone ranks it first
    known: float  # the share of the question the notes, glossary and lexicon know
    coverage: float  # the share of the question it holds, in its own words or its forms'
    # How much more the question looks like a page of Docker's reference than like the notes (the best likeness
    # to the reference's question forms minus ``likeness``); set by the explainer, 0 where nobody knows.
    reference: float = 0.0
    docker_thing: float = 0.0  # 1 when the question names a thing of Docker's (bot.notes.query.names_docker)
    # The share of the question the entry's own text holds, question forms aside; not read by the model: an
    # entry whose text holds the whole question and that the word search ranks first answers (notes edited
    # since their forms were written).
    own: float = 0.0

    def values(self) -> tuple[float, ...]:
        return (self.lead, self.likeness, self.likeness_lead, self.words_agree, self.likeness_agrees, self.known,
                self.coverage, self.reference, self.docker_thing)


# Fitted by benchmarks/fit_confidence.py on dev + dev2 + dev3 + dev4 + dev5 + dev6 + dev7 + dev8.
BIAS = -3.713
WEIGHTS = (2.050, 1.891, 2.062, 0.541, 0.834, 1.063, 0.998, -3.686, 0.535)
# Answer outright at this probability or more; below it, offer choices (a wrong answer costs more than a click:
# leave-one-split-out over dev..dev8, 0.7 answers 29 more of 1,920 questions right than 0.75 for 8 more wrong).
SURE = 0.7
# ... and only when at least this share of the question is known: an off-topic question sharing a word or two
# with the notes ("파이썬 리스트 정렬") can look sure to the model (tuned on the dev splits).
SURE_KNOWN = 0.35
WHOLE = 0.999  # (a share summed from weights: 1 up to rounding)


def answers(evidence: Evidence, vetoed: bool) -> bool:
    """Whether the best entry answers outright: the model is sure, or its own text holds the whole question and
    the word search ranks it first (as right as the model on the dev splits)."""
    whole = evidence.own >= WHOLE and evidence.words_agree == 1.0
    return (sureness(evidence) >= SURE or whole) and not vetoed and evidence.known >= SURE_KNOWN


def sureness(evidence: Evidence) -> float:
    """The probability that the best entry is the answer."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, evidence.values(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))
