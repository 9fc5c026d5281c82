"""Turning what a member typed into search terms.

``!explain 컨테이너는 뭐야`` and ``what is a contianer`` should both end up as one term group,
{컨테이너, container, containers}; ``컨테이너 지우는 법`` as {컨테이너 …} and {지우, 삭제, 제거}.
Steps: NFKC and invisible characters out; tokens (flags keep their dashes); English phrases the
lexicon knows joined ("get rid of" → remove); filler dropped (it never counts for or against an
answer); a Hangul word the notes know is kept whole (particles stripped), any other is split by the
morphological analyser into nouns and verb stems; English words lose plural and verb endings;
typos fixed against the vocabulary (jamo for Hangul); glossary synonyms and lexicon meanings added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.notes import layout
from bot.notes.glossary import Glossary
from bot.notes.korean import PARTICLE_SET, is_hangul, jamo, normalize, stems, tokens
from bot.notes.lexicon import Lexicon
from bot.notes.morph import Morph, content_morphs
from bot.textsafe import strip_invisible

MAX_QUERY_CHARS = 200

# Every note is about Docker: the word only narrows anything when it is all there is.
NOISE = frozenset({"docker", "도커"})
# A question naming any of these (or a Dockerfile instruction in capitals, or a flag the notes name) is about
# Docker, whatever other tool it also names ("kubectl logs랑 docker logs 차이", "-v로 리눅스 경로 연결").
DOCKER_NAMES = ("docker", "도커", "컨테이너", "container", "이미지", "image", "compose", "컴포즈", "볼륨", "volume")
_PICTURES = ("이미지", "image")  # ... but a product with images of its own (포토샵) keeps the question
# Things of Docker a question may name (the notes' own nouns and their English): a question naming none is less
# likely one for the notes, whatever words it shares with them ("회비 어디로 보내면 되나요"). Read by the confidence
# model (bot.notes.confidence).
_DOCKER_THING = re.compile(
    r"컨테이너|이미지|도커|볼륨|포트|빌드|레지스트리|허브|컴포즈|태그|레이어|네트워크|옵션|명령어|"
    r"(?<![a-z])(?:docker\w*|containers?|images?|volumes?|ports?|build\w*|registry|hub|compose|tags?|layers?|"
    r"networks?|flag|option|command)(?![a-z])", re.IGNORECASE)
# Dockerfile instructions: typed in capitals, each names its instruction, even one that is also an everyday word
# (USER, LABEL, SHELL: lower-case, they are no Docker words; `shell` is the notes' word for a terminal).
INSTRUCTIONS = frozenset({
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
    "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
})
# A container or image id pasted from an error (`fd484f19954f`): no word to search.
_ID = re.compile(r"(?=[a-f]*[0-9])[0-9a-f]{12,64}", re.IGNORECASE)
# Words that ask for a flag rather than name a topic (`포트 옵션`, `rm flag`).
FLAG_HINTS = frozenset({"옵션", "option", "options", "flag", "flags", "플래그"})


def flag_key(word: str) -> str:
    """A flag as symbols are kept: one dash (``--rm`` → ``-rm``)."""
    return "-" + word.lstrip("-").lower()


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the query and every lower-case form that counts as finding it."""

    typed: str
    alts: frozenset[str]
    flag: bool = False
    known: bool = True
    fixed: str | None = None
    hint: bool = False  # counts only when a note holds it (왜 → 장점)
    docker: frozenset[str] = frozenset()  # Docker words it names for the reference (로그 → logs)

    @property
    def symbol_key(self) -> str | None:
        """The lookup key for named symbols: flags keep one dash (``--rm`` → ``-rm``)."""
        return flag_key(self.typed) if self.flag else self.typed.lower()


@dataclass(frozen=True, slots=True)
class Analysis:
    text: str  # the cleaned query, for echoing
    terms: tuple[Term, ...]
    cli_context: bool  # the query started with `docker` (the CLI, not a Dockerfile)
    too_long: bool = False
    wants_flag: bool = False
    phrase_keys: frozenset[str] = frozenset()  # content words run together (이미지 이름 → 이미지이름)
    # The question's words as typed, run together, but for Docker's name and chat forms (도커 명령어 정리한 거 →
    # 명령어; `이미지 이름` → 이미지이름): a heading named so is asked for by its own name.
    typed_key: str = ""
    elsewhere: tuple[str, ...] = ()  # other tools it names, and not Docker (kubectl, 깃): not ours to answer


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

    Holds one compact list per word length and first letter; the index gives it a capped list of its most
    frequent words, so memory stays small however big the notes get.
    """

    def __init__(self, words: Iterable[str]) -> None:
        by_shape: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for word in sorted(set(words)):
            if len(word) >= 2:
                folded = jamo(word) if is_hangul(word) else word
                by_shape.setdefault((len(folded), folded[0]), []).append((folded, word))
        self._folded = {shape: [f for f, _ in pairs] for shape, pairs in by_shape.items()}
        self._original = {shape: [w for _, w in pairs] for shape, pairs in by_shape.items()}

    def fix(self, word: str) -> str | None:
        """The closest known word within a small edit distance (transpositions count once) that begins with the
        same letter: slips there are rare, and a word one first letter away from a known one is usually another
        word (root/boot, node/mode, 넣으면/없으면)."""
        from rapidfuzz import process  # imported on first typo: keeps start-up light
        from rapidfuzz.distance import OSA

        folded = jamo(word) if is_hangul(word) else word
        if len(folded) < 4:
            return None
        limit = 1 if len(folded) < 8 else 2
        best: tuple[int, str] | None = None
        for length in range(len(folded) - limit, len(folded) + limit + 1):
            choices = self._folded.get((length, folded[0]))
            if not choices:
                continue
            found = process.extractOne(folded, choices, scorer=OSA.distance, score_cutoff=limit)
            if found is not None:
                dist, cand = int(found[1]), self._original[(length, folded[0])][found[2]]
                if best is None or dist < best[0] or (dist == best[0] and cand < best[1]):
                    best = (dist, cand)
        return best[1] if best else None


def clean(text: str) -> str:
    return " ".join(strip_invisible(normalize(text)).split())


@dataclass(frozen=True, slots=True)
class Words:
    """What analysis knows besides the index: translations, the lexicon and the symbol names."""

    glossary: Glossary
    lexicon: Lexicon
    is_symbol: Callable[[str], bool]
    reference_words: frozenset[str] = frozenset()  # Docker words of the official reference, when indexed


def analyze(query: str, vocab: Vocabulary, words_: Words) -> Analysis:
    text = clean(query)
    if len(text) > MAX_QUERY_CHARS:
        return Analysis(text=text, terms=(), cli_context=False, too_long=True)
    lexicon, is_symbol = words_.lexicon, words_.is_symbol
    # `dockerfile에서` splits off 에서; one Hangul syllable alone (때, 것, 수, 달) says nothing on its own, unless it
    # is one of the lexicon's hints (왜 → 장점).
    joined = lexicon.join_phrases(tokens(text))
    raw_tokens = [w for w in joined
                  if w not in PARTICLE_SET and not (len(w) == 1 and is_hangul(w) and not lexicon.is_hint(w))
                  and not w.isdigit() and not _ID.fullmatch(w)]
    wants_flag = any(w.lower() in FLAG_HINTS for w in raw_tokens)
    terms: list[Term] = []
    seen: set[str] = set()

    def add(term: Term | None) -> None:
        if term is not None and term.typed.lower() not in seen:
            seen.add(term.typed.lower())
            terms.append(term)

    for word in raw_tokens:
        if word.startswith("-"):
            add(_term(word, vocab, words_))
        elif is_hangul(word):
            for piece in _hangul_words(word, vocab, words_):
                add(_term(piece, vocab, words_))
        elif not _is_filler(word, lexicon) or (word.isupper() and is_symbol(word.lower())):
            add(_term(_english(word, vocab, words_), vocab, words_))
    if all(t.typed.lower() in NOISE for t in terms):
        # Nothing but filler (and Docker itself): a name the notes use (`명령어`, `from`) still counts then.
        for word in raw_tokens:
            stem = stems(word.lower())[-1]
            if _chat_form(word, lexicon):
                continue
            if is_symbol(stem) or stem in vocab:
                add(_term(word, vocab, words_))
    cli_context = len(terms) > 1 and terms[0].typed.lower() in NOISE
    # Every word run together, filler too, so a heading is found by its own name (`옵션 모음`, `명령어`).
    phrase_keys = {"".join(t.typed.lower().lstrip("-") for t in terms if not t.flag),
                   "".join(w.lower().lstrip("-") for w in raw_tokens)}
    typed_key = "".join(w.lower().lstrip("-") for w in raw_tokens
                        if w.lower() not in NOISE and not _chat_form(w, lexicon))
    if len(terms) > 1:
        terms = [t for t in terms if t.typed.lower() not in NOISE] or terms
        phrase_keys.add("".join(t.typed.lower().lstrip("-") for t in terms if not t.flag))
    return Analysis(text=text, terms=tuple(terms), cli_context=cli_context, wants_flag=wants_flag,
                    phrase_keys=frozenset(phrase_keys), typed_key=typed_key, elsewhere=_elsewhere(joined, words_))


def names_docker(text: str) -> bool:
    """Whether ``text`` names a thing of Docker's (a container, an image, a port, a flag, …)."""
    return _DOCKER_THING.search(text) is not None


def may_retype(text: str) -> bool:
    """Whether :func:`retype` could change ``text`` at all (most questions: no, and the index need not be asked)."""
    return layout.slips(text) or any(_docker_typed(m.group(1).lower()) for m in _TYPED.finditer(text))


def retype(text: str, vocab: Vocabulary, words_: Words) -> str:
    """``text`` with the words typed in the wrong keyboard layout read as meant (:mod:`bot.notes.layout`), and the
    command typed after `docker` with a slip."""
    lexicon, glossary = words_.lexicon, words_.glossary.words()

    def korean(word: str) -> bool:
        return _is_filler(word, lexicon) or any(f in vocab or lexicon.knows(f) for f in stems(word))

    def latin(word: str) -> bool:
        return _known(word, vocab, words_) or _is_filler(word, lexicon) or docker(word) or word in glossary

    def docker(word: str) -> bool:
        return word in NOISE or word in words_.reference_words or words_.is_symbol(word)

    return mend_commands(layout.retyped(text, korean, latin, docker), latin, docker, words_.reference_words)


_TYPED = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z]{5,7})\s+([A-Za-z]{3,})(?![A-Za-z0-9_-])")  # (Hangul may follow)


def _docker_typed(word: str) -> bool:
    """Whether a lower-case ``word`` is `docker` or one slip from it with its first letter right (dokcer)."""
    from rapidfuzz.distance import OSA  # imported on first use: keeps start-up light

    return word == "docker" or (word[0] == "d" and OSA.distance(word, "docker") <= 1)


def mend_commands(text: str, latin: Callable[[str], bool], docker: Callable[[str], bool],
                  commands: frozenset[str]) -> str:
    """``dokcer imgaes`` → docker images: a command typed after `docker` with one slip (two letters swapped, one
    missed, added or wrong; the first letter right) is that command, and so is `docker` itself when a command
    follows (``rocker image`` is no slip: a slip rarely hits the first letter). A slip in a three-letter command is
    only two letters swapped (``docker rnu``): one letter wrong is too often another one. Two commands as near
    (``docker stat``: stats or start) are left as typed."""
    from rapidfuzz.distance import OSA  # imported on first use: keeps start-up light

    def command(word: str) -> str | None:
        if docker(word):
            return word
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
        near = [c for c in swaps if docker(c)]
        if not near and len(word) > 3:
            near = [c for c in commands if c[0] == word[0] and abs(len(c) - len(word)) <= 1
                    and OSA.distance(word, c) <= 1]
        return near[0] if len(near) == 1 else None

    def fixed(match: re.Match[str]) -> str:
        head, word = match.group(1).lower(), match.group(2)
        lookalike = head != "docker"
        if not _docker_typed(head) or (lookalike and latin(head)):  # (a word known, docked: no slip)
            return match.group()
        meant = command(word.lower())
        if meant is None or (meant == word.lower() and not lookalike):
            return match.group()
        return f"docker {meant}"

    return _TYPED.sub(fixed, text)


def _elsewhere(typed: list[str], words_: Words) -> tuple[str, ...]:
    """The other tools a question names (`kubectl`, `깃` of 깃으로, 봇 alone), unless it names Docker too; a product
    with images of its own (포토샵) even when the question names images, but no other Docker name. ``typed``: every
    token of the question, one syllable too."""
    lower = [w.lower() for w in typed]
    named = [_tool(w, words_.lexicon.elsewhere) for w in lower]
    # (a flag typed after another tool's name is that tool's: `kubectl run -it`, `grep -v`)
    first_tool = next((i for i, tool in enumerate(named) if tool is not None), len(lower))
    if any((w.isupper() and words_.is_symbol(w.lower()))
           or (w.startswith("-") and i < first_tool and words_.is_symbol(flag_key(w)))
           for i, w in enumerate(typed)) or any(name in w for w in lower for name in DOCKER_NAMES
                                                     if name not in _PICTURES):
        return ()
    apart = tuple(dict.fromkeys(tool for w in lower if (tool := _tool(w, words_.lexicon.apart)) is not None))
    if apart:
        return apart
    if any(name in w for w in lower for name in _PICTURES):
        return ()
    return tuple(dict.fromkeys(tool for tool in named if tool is not None))


def _tool(word: str, tools: frozenset[str]) -> str | None:
    """The other tool ``word`` names, if any. The analyser cuts names it does not know (쿠버네티스 → 쿠 버네 티스),
    so a Hangul word is looked up by its start (깃허브에 → 깃허브)."""
    if word in tools:
        return word
    if not is_hangul(word):
        return None
    return next((word[:end] for end in range(len(word) - 1, 0, -1) if word[:end] in tools), None)  # longest first


def _chat_form(word: str, lexicon: Lexicon) -> bool:
    """A word form listed whole as chat (정리한: a summary; 있어), not a name the notes could use."""
    lower = word.lower()
    return lower in lexicon.filler and stems(lower)[-1] != lower


def _is_filler(word: str, lexicon: Lexicon) -> bool:
    lower = word.lower()
    return lower in lexicon.filler or lower in FLAG_HINTS


def _known(word: str, vocab: Vocabulary, words_: Words) -> bool:
    return word in vocab or words_.is_symbol(word) or words_.lexicon.knows(word)


def _english(word: str, vocab: Vocabulary, words_: Words) -> str:
    """``images`` → image, ``running`` → run, ``removed`` → remove, ``lighter`` → light, when the shorter form is
    known."""
    lower = word.lower()
    if _known(lower, vocab, words_) or len(lower) < 4:
        return word
    candidates: list[str] = []
    if lower.endswith("ies"):
        candidates.append(lower[:-3] + "y")
    if lower.endswith("es"):
        candidates.append(lower[:-2])
    if lower.endswith("s") and not lower.endswith("ss"):
        candidates.append(lower[:-1])
    for ending in ("ier", "iest"):  # easier → easy
        if lower.endswith(ending):
            candidates.append(lower[: -len(ending)] + "y")
    for ending in ("ing", "ed", "er", "est"):
        if lower.endswith(ending):
            stem = lower[: -len(ending)]
            candidates += [stem, stem + "e"]
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # running → run, tagged → tag
    return next((c for c in candidates if _known(c, vocab, words_)), word)


def _hangul_words(word: str, vocab: Vocabulary, words_: Words) -> list[str]:
    """A Hangul token as the words to search: itself when the notes know it (with or without its
    particle), else its nouns and verb stems; filler and unknown verbs and adverbs drop out."""
    lexicon = words_.lexicon
    lower = word.lower()
    if lower in lexicon.filler:  # listed whole: 정리된 (a summary) is chat where 정리 (clean up) is not
        return []
    repaired = lexicon.repairs.get(lower)
    if repaired is not None:
        return [repaired]
    forms = stems(lower)
    morphs = _rejoined(content_morphs(lower), lexicon.repairs)
    verbs = [lexicon.repairs.get(m.surface) or m.lemma for m in morphs if m.role == "verb"]
    known_forms = [f for f in forms if _known(f, vocab, words_)]
    if known_forms and not any(lexicon.knows(v) for v in verbs):
        return [] if known_forms[-1] in lexicon.filler else [known_forms[-1]]
    if all(f in lexicon.filler for f in forms[1:] or forms):
        return []
    if morphs and not any(len(m.lemma) > 1 and _known(m.lemma, vocab, words_) for m in morphs) and (
            vocab.fix_typo(forms[-1]) is not None):
        # read as pieces the notes do not know (볼룸 → 보+ㄹ…, 컨테니어 → 컨+테+니어): a typo of a known word
        return [forms[-1]]
    out: list[str] = []
    fragments = False  # one-syllable nouns: the analyser could not read the word (a typo: 컨테이나)
    for morph in morphs:
        lemma = lexicon.repairs.get(morph.surface) or morph.lemma
        if lemma in lexicon.filler:
            continue
        if len(lemma) == 1 and morph.role == "noun":
            fragments = True
            continue
        if morph.role == "noun" and lemma.endswith("기") and len(lemma) >= 3 and lexicon.knows(lemma[:-1]):
            lemma = lemma[:-1]  # 지우기 → 지우
        if morph.role != "noun" and not lexicon.knows(lemma):
            continue  # a verb or adverb the lexicon does not know is chat, not the question's subject
        out.append(lemma)
    if out or not fragments:
        return out
    return [lower]  # let the word itself be fixed (jamo typos) or searched by its chunks


def _rejoined(morphs: list[Morph], repairs: dict[str, str]) -> list[Morph]:
    """``morphs`` with two neighbours the analyser cut from one chat word joined back (업뎃 → 업 + 뎃): the word as
    the lexicon repairs it."""
    out: list[Morph] = []
    for morph in morphs:
        if out and (joined := out[-1].surface + morph.surface) in repairs:
            out[-1] = Morph(joined, repairs[joined], "noun")
        else:
            out.append(morph)
    return out


def _term(word: str, vocab: Vocabulary, words_: Words) -> Term | None:
    glossary, lexicon, is_symbol = words_.glossary, words_.lexicon, words_.is_symbol
    if word.startswith("-"):
        name = word.lstrip("-").lower()
        if not is_symbol("-" + name) and (fixed := vocab.fix_typo(name)) is not None and is_symbol("-" + fixed):
            return Term(typed="-" + fixed, alts=frozenset({fixed}), flag=True, known=True, fixed=fixed)  # --nmae
        return Term(typed=word, alts=frozenset({name}), flag=True, known=is_symbol("-" + name))
    lower = word.lower()
    if word in INSTRUCTIONS and not is_symbol(lower):  # an instruction the notes lack, in capitals (SHELL, USER)
        return Term(typed=lower, alts=frozenset({lower}), known=True, docker=frozenset({lower}))
    forms = stems(lower)
    # Drop particles only down to a known stem; a word made only of filler after stripping goes.
    known_forms = [f for f in forms if f in vocab or is_symbol(f) or lexicon.knows(f)]
    if not known_forms and any(f in lexicon.filler for f in forms):
        return None
    if known_forms:
        base = known_forms[-1]
        return _with_meaning(Term(typed=base if is_hangul(base) else word,
                                  alts=_expand(known_forms, glossary), known=True), lexicon, glossary)
    prefixed = [f for f in forms if is_hangul(f) and len(f) >= 2 and vocab.has_prefix(f)]
    if prefixed:
        return _with_meaning(Term(typed=prefixed[-1], alts=_expand(prefixed, glossary), known=True),
                             lexicon, glossary)
    if len(word) == 3 and word.isascii() and word.isupper():
        # An instruction typed in capitals with two letters swapped (CDM, RNU); other three-letter slips
        # are too often another word to guess at.
        swapped = next((s for s in (lower[1] + lower[0] + lower[2], lower[0] + lower[2] + lower[1])
                        if is_symbol(s)), None)
        if swapped is not None:
            return _with_meaning(Term(typed=swapped, alts=_expand([swapped], glossary), known=True, fixed=swapped),
                                 lexicon, glossary)
    for form in reversed(forms):
        fixed = vocab.fix_typo(form)
        if fixed is not None:
            fixed_forms = [f for f in stems(fixed) if f in vocab or is_symbol(f)] or [fixed]
            return _with_meaning(Term(typed=fixed_forms[-1], alts=_expand(fixed_forms, glossary), known=True,
                                      fixed=fixed), lexicon, glossary)
    compound = [f for f in forms if vocab.knows_chunks(f)]
    if compound:  # searched by its chunks
        return Term(typed=compound[-1], alts=frozenset({compound[-1]}), known=True)
    if forms[-1] in words_.reference_words:  # a Docker word the notes lack (`healthcheck`)
        return Term(typed=forms[-1], alts=frozenset({forms[-1]}), known=True, docker=frozenset({forms[-1]}))
    return Term(typed=forms[-1], alts=frozenset({forms[-1]}), known=False)


def _with_meaning(term: Term, lexicon: Lexicon, glossary: Glossary) -> Term:
    """Add what the lexicon says the word means, whether it is only a hint, and the Docker words it names."""
    meant: set[str] = set()
    docker: set[str] = set()
    hint = True
    for alt in term.alts:
        meant |= lexicon.means(alt)
        docker |= lexicon.docker_words(alt)
        hint = hint and lexicon.is_hint(alt)
    if not meant and not docker:
        return term
    alts = set(term.alts) | docker
    for word in meant:
        alts |= glossary.expand(word)
    return Term(typed=term.typed, alts=frozenset(alts), known=True, fixed=term.fixed,
                hint=hint and bool(meant), docker=frozenset(docker))


def _expand(forms: list[str], glossary: Glossary) -> frozenset[str]:
    out: set[str] = set()
    for form in forms:
        out |= glossary.expand(form)
    return frozenset(out)
