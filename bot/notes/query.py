"""Turning what a member typed into search terms.

``!explain 컨테이너는 뭐야`` and ``what is a contianer`` should both end up as one term group,
{컨테이너, container, containers}. Steps: NFKC and invisible characters out; tokens (flags keep
their dashes); question words and filler dropped; a leading ``docker`` dropped (it only says
"the CLI"); particles stripped when a known stem remains; typos fixed against the vocabulary
(jamo for Hangul); glossary synonyms added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.notes.glossary import Glossary
from bot.notes.korean import PARTICLE_SET, is_hangul, jamo, normalize, stems, tokens
from bot.textsafe import strip_invisible

MAX_QUERY_CHARS = 200

_STOPWORD_TEXT = """
    what whats is are was were be the a an of to in on at for from by how do does did done i you we my me
    your our can could should would will please explain tell show about use using used mean means meaning
    with and or it its this that these those there which why when where who s vs versus between way work
    works working get need want know just some any thing things does doing into out up via like
    뭐야 뭐 뭔가요 뭐예요 뭐에요 뭐지 뭔지 뭘 무엇 무엇인가요 무엇인가 무엇인지 어떻게 어떤 왜 언제 어디
    알려줘 알려주세요 알려 설명 설명해줘 설명해 설명해주세요 해줘 해주세요 하는 하나요 하면 하려면 방법 법
    사용법 쓰는 쓰는법 쓰나요 사용 사용해 사용하는 의미 뜻 건가요 좀 그리고 차이 차이점 대해 대해서 관해
    무슨 역할 하는법 써요 되나요 할까 할까요 알고 싶어 싶어요 궁금해 궁금 해요 하죠 인가 인가요 있나요 있어
    이게 그게 저게 이거 그거 뭐하는 뭐하는거 거야 거예요 건가 건지 되는 되는지 하지 해야 해야해 돼 돼요
    해 해요 보기 보는 보려면 확인 확인하기 확인하는 알아보기 어떻게해 하죠 할래 줘
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Every note is about Docker: the word only narrows anything when it is all there is.
NOISE = frozenset({"docker", "도커"})
# Words that ask for a flag rather than name a topic (`포트 옵션`, `rm flag`).
FLAG_HINTS = frozenset({"옵션", "option", "options", "flag", "flags", "플래그"})


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the query and every lower-case form that counts as finding it."""

    typed: str
    alts: frozenset[str]
    flag: bool = False
    known: bool = True
    fixed: str | None = None

    @property
    def symbol_key(self) -> str | None:
        """The lookup key for named symbols: flags keep one dash (``--rm`` → ``-rm``)."""
        if self.flag:
            return "-" + self.typed.lstrip("-").lower()
        return self.typed.lower()


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str  # the cleaned query, for echoing
    terms: tuple[Term, ...]
    cli_context: bool  # the query started with `docker` (the CLI, not a Dockerfile)
    too_long: bool = False
    wants_flag: bool = False
    phrase_keys: frozenset[str] = frozenset()  # content words run together (이미지 이름 → 이미지이름)


class Vocabulary(Protocol):
    """The words the notes (with glossary and symbols) know; the index answers from SQL and memory."""

    def __contains__(self, word: str) -> bool: ...

    def has_prefix(self, prefix: str) -> bool: ...

    def knows_chunks(self, word: str) -> bool:
        """Most 2-syllable chunks of a Hangul compound are known (포트포워딩: 포트, 포워, 워딩)."""
        ...

    def fix_typo(self, word: str) -> str | None: ...


class TypoFixer:
    """Closest known word within a small edit distance, on jamo for Hangul (볼룸 → 볼륨).

    Holds one compact list per word length; the index gives it a capped list of its most
    frequent words, so memory stays small however big the notes get.
    """

    def __init__(self, words: Iterable[str]) -> None:
        by_length: dict[int, list[tuple[str, str]]] = {}
        for word in sorted(set(words)):
            if len(word) >= 2:
                folded = jamo(word) if is_hangul(word) else word
                by_length.setdefault(len(folded), []).append((folded, word))
        self._folded = {n: [f for f, _ in pairs] for n, pairs in by_length.items()}
        self._original = {n: [w for _, w in pairs] for n, pairs in by_length.items()}

    def fix(self, word: str) -> str | None:
        """The closest known word within a small edit distance (transpositions count once)."""
        from rapidfuzz import process  # imported on first typo: keeps start-up light
        from rapidfuzz.distance import OSA

        folded = jamo(word) if is_hangul(word) else word
        if len(folded) < 4:
            return None
        limit = 1 if len(folded) < 8 else 2
        best: tuple[int, str] | None = None
        for length in range(len(folded) - limit, len(folded) + limit + 1):
            choices = self._folded.get(length)
            if not choices:
                continue
            found = process.extractOne(folded, choices, scorer=OSA.distance, score_cutoff=limit)
            if found is not None:
                dist, cand = int(found[1]), self._original[length][found[2]]
                if best is None or dist < best[0] or (dist == best[0] and cand < best[1]):
                    best = (dist, cand)
        return best[1] if best else None


def clean(text: str) -> str:
    return " ".join(strip_invisible(normalize(text)).split())


def analyze(
    query: str, vocab: Vocabulary, glossary: Glossary, is_symbol: Callable[[str], bool]
) -> Analysis:
    text = clean(query)
    if len(text) > MAX_QUERY_CHARS:
        return Analysis(text=text, terms=(), cli_context=False, too_long=True)
    # `dockerfile에서` splits off 에서; one Hangul syllable alone (때, 것, 수) says nothing on its own.
    raw_tokens = [w for w in tokens(text) if w not in PARTICLE_SET and not (len(w) == 1 and is_hangul(w))]
    # A filler word still counts when written as a symbol (`FROM`) or when it is all there is (`from`).
    words = [w for w in raw_tokens if w.lower() not in STOPWORDS or (w.isupper() and is_symbol(w.lower()))]
    if not words:
        words = [w for w in raw_tokens if is_symbol(w.lower())]
    wants_flag = any(w.lower() in FLAG_HINTS for w in words)
    words = [w for w in words if w.lower() not in FLAG_HINTS] or words
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words:
        term = _term(word, vocab, glossary, is_symbol)
        if term is None or term.typed.lower() in seen:
            continue
        seen.add(term.typed.lower())
        terms.append(term)
    cli_context = len(terms) > 1 and terms[0].typed.lower() in NOISE
    phrase_keys = {"".join(t.typed.lower().lstrip("-") for t in terms if not t.flag)}
    if len(terms) > 1:
        terms = [t for t in terms if t.typed.lower() not in NOISE] or terms
        phrase_keys.add("".join(t.typed.lower().lstrip("-") for t in terms if not t.flag))
    return Analysis(text=text, terms=tuple(terms), cli_context=cli_context, wants_flag=wants_flag,
                    phrase_keys=frozenset(phrase_keys))


def _term(word: str, vocab: Vocabulary, glossary: Glossary, is_symbol: Callable[[str], bool]) -> Term | None:
    if word.startswith("-"):
        return Term(typed=word, alts=frozenset({word.lstrip("-").lower()}), flag=True,
                    known=is_symbol("-" + word.lstrip("-").lower()))
    lower = word.lower()
    forms = stems(lower)
    # Drop particles only down to a known stem; a word made only of filler after stripping goes.
    known_forms = [f for f in forms if f in vocab or is_symbol(f)]
    if not known_forms and any(f in STOPWORDS for f in forms):
        return None
    if known_forms:
        base = known_forms[-1]
        return Term(typed=base if is_hangul(base) else word, alts=_expand(known_forms, glossary), known=True)
    prefixed = [f for f in forms if is_hangul(f) and len(f) >= 2 and vocab.has_prefix(f)]
    if prefixed:
        return Term(typed=prefixed[-1], alts=_expand(prefixed, glossary), known=True)
    for form in reversed(forms):
        fixed = vocab.fix_typo(form)
        if fixed is not None:
            fixed_forms = [f for f in stems(fixed) if f in vocab or is_symbol(f)] or [fixed]
            return Term(typed=fixed_forms[-1], alts=_expand(fixed_forms, glossary), known=True, fixed=fixed)
    compound = [f for f in forms if vocab.knows_chunks(f)]
    if compound:  # searched by its chunks
        return Term(typed=compound[-1], alts=frozenset({compound[-1]}), known=True)
    return Term(typed=forms[-1], alts=frozenset({forms[-1]}), known=False)


def _expand(forms: list[str], glossary: Glossary) -> frozenset[str]:
    out: set[str] = set()
    for form in forms:
        out |= glossary.expand(form)
    return frozenset(out)
