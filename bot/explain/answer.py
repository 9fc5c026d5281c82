"""Deciding what answers a question: a learned pick, the notes, Docker's reference, or choices.

Order: what this server's members picked for the same question before; then, for the question with its typing
slips undone (`ehzj zjsxpdlsj`, `dokcer imgaes`) and without what it says it does not want ("실행은 안 하고
받기만"): nothing for a question about another tool (`kubectl logs`); the page a question asks for by what it does
(a bulk clean-up: `prune`; a restart policy; a stopped container started again; an image fetched and nothing
more; the host ports a container was given); the page of a subcommand typed out (`docker volume rm`); the notes
when they are sure (the calibrated model for
entries with question forms, weighing how much more the question looks like the reference; else coverage) and
lead clearly, or one entry is far ahead of all others, unless a reference page's question forms match the
question much better word for word ("copy a file from a container": `docker cp`), or the sure entry's command or
instruction acts on another thing than the question names ("named volume 만들려면": `docker volume create`, not
VOLUME; "이미지 목록 보기": `docker images`, not `ps`); an option asked for is a flag's entry before an
instruction's ("포트 지정하는 옵션": `-p`), and a two-part question gets its other half too when each half is sure
of its own entry. When the notes are unsure: the page of the one command typed with `docker` they hold no entry
for (`docker commit`); a question that matches the question forms of a reference page
(``data/reference.questions.yaml``) word for word gets that page, or the notes' own entry when the page names one
that holds the question (`exec`, `CMD`); both halves of a two-part question when the notes are sure of each; the
notes' entry of the one option of theirs typed (`--link`, however long the story around it); the section a
what-is question names ("컨테이너가 대체 뭔가요?"); the answer to the one asking sentence of a story the notes are
sure of, when the question names no Docker word they lack nor types a long flag they lack; choices when the notes
were sure but led not clearly; a page whose forms the question looks clearly more like, letter by letter, than
the notes'; the page of a Docker long flag typed (`--restart`) the notes lack; when the question names a Docker
word the notes lack (`logs`, 로그, ARG), the page of that word's family whose forms fit (`swarm` → `swarm_init`),
else the reference section named after it, else Docker's reference search (a page with forms only when the question
looks most like them); otherwise up to three entries to pick from, when the question is about something the notes
know (or names a thing of Docker's and the model gives the best entry an even chance); else "not found".
Never a guess presented as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.explain.parts import asking_sentences, asks_what, halves, wanted, what_asked
from bot.explain.ports import port_page
from bot.explain.pulls import pull_page
from bot.explain.restarts import restart_page
from bot.explain.store import ExplainStore, PagePlace
from bot.explain.sweep import swept
from bot.explain.wording import english
from bot.notes.confidence import SURE_KNOWN, Evidence, answers, sureness
from bot.notes.index import NotesIndex
from bot.notes.parser import PATH_SEP
from bot.notes.query import FLAG_HINTS, INSTRUCTIONS
from bot.notes.results import Hit, SearchResult
from bot.notes.search import MIN_COVERAGE, MIN_KNOWN
from bot.reference.forms import FormMatch, ReferenceForms
from bot.reference.index import ReferenceIndex, RefHit

MAX_CHOICES = 3
# The notes answer outright only when their best entry leads the next one by this much score;
# closer calls become choices (tuned on the dev split: a wrong answer costs more than a click).
LEAD = 0.15
# An entry is offered as a choice when it holds this share of the question (tuned on the dev split).
CHOICE_COVERAGE = 0.3
# An entry the search did not call found still answers when this far ahead, covering this much of the
# question, with this share of its words known (tuned on the dev split).
FAR_LEAD = 0.8
FAR_COVERAGE = 0.45
FAR_KNOWN = 0.4
# Choices are offered when at least this share of the question's words is known, or when it looks this much like
# an entry's question forms (bot.notes.likeness); such an entry is offered whatever its coverage.
CHOICE_KNOWN = 0.4
CHOICE_LIKENESS = 0.4
# ... or when it names a thing of Docker's and the confidence model gives the best entry at least this chance (tuned
# on the dev splits: a question in its own words knows few of them, "도커파일에서 pip install -r requirements.txt
# 돌리고 싶어"; 0.3 offered more of the right entries, and choices to many more off-topic questions).
CHOICE_SURE = 0.5
# Among the pages of a Docker word's own family (`swarm`, `swarm_init`, …), forms matching this well answer
# (looked for among this many best matches; tuned on the dev split).
FAMILY_FORM_SURE = 0.3
FAMILY_CANDIDATES = 10
# A reference page whose question forms match this well answers when the notes find nothing
# (weighted F1 of words, see bot.reference.forms; tuned on the dev split), if the question also looks at least
# this much like that page's forms letter by letter (bot.notes.likeness; tuned on the dev splits), unless
# it matches one nearly whole ...
REF_FORM_SURE = 0.6
REF_FORM_LIKENESS = 0.25
REF_FORM_MARGIN_ALIKE = -0.05  # (and no less than this much below the notes')
REF_FORM_WHOLE = 0.9
# ... and even over a sure notes answer when they match the question this much better than the notes entry's
# own forms do, for a page the notes do not hold ("copy a file from a container": `docker cp`, not COPY).
REF_FORM_MARGIN = 0.2
# A question that looks this much like a reference page's question forms, letter by letter, and this much more
# than like any notes entry's, gets that page when the notes are unsure (tuned on the dev splits).
REF_ALIKE_SURE = 0.45
REF_ALIKE_MARGIN = 0.05
# ... or this much like them (and no less than this much below the notes') when its forms also match the question
# best word for word, at least this well (tuned on the dev splits).
REF_AGREE_ALIKE = 0.25
REF_AGREE_MARGIN = -0.05
REF_AGREE_WORDS = 0.35

# A page Docker's reference search finds for a question's Docker word answers only if the question looks at least
# this much like its question forms (and more than like any other page's; tuned on the dev splits).
SEARCH_FIT_ALIKE = 0.2

# A what-is question is answered with the one section it names among this many best hits, when this share of it is
# known (tuned on the dev splits).
CONCEPT_HITS = 3
CONCEPT_KNOWN = 0.4
# A sentence of a longer question answers it only with an entry among this many of the whole question's best; the
# other half of a two-part question the whole is sure of comes with it only from among this many.
SENTENCE_HITS = 3
OTHER_HALF_HITS = 5
# A story ("mysql 데이터를 컨테이너 밖에 두고 싶어요. 갈아엎어도 남도록요") is answered by the notes' best entry at this
# probability already, when the sentences that ask rank it first alone and the question looks like the notes' forms
# at least this much more than like any reference page's (tuned on the dev splits: 4 more right, none wrong).
STORY_SURE = 0.5
STORY_REFERENCE = -0.05

# A word as typed in Latin letters (a sentence's own English, beside the search's words for the whole question).
_LATIN_WORD = re.compile(r"[a-z][a-z0-9-]*")
# A subcommand typed out: `docker volume rm`.
_SUBCOMMAND = re.compile(r"(?<![\w-])docker\s+([a-z]+)\s+([a-z]+(?:-[a-z]+)*)(?![a-z0-9-])")  # (Hangul may follow)
# Two words typed, which may be a subcommand without `docker` (`image prune에`): at every word, overlapping.
_WORD_PAIR = re.compile(r"(?=(?<![\w-])([a-z]+)\s+([a-z]+(?:-[a-z]+)*)(?![a-z0-9-]))")
# A command typed out with `docker` (`docker commit`), and a long flag (`--restart`).
_DOCKER_COMMAND = re.compile(r"(?<![\w-])docker\s+([a-z]+)(?![a-z0-9-])")  # (Hangul may follow)
# An option typed (`-v`, `--link`); as typed, since Docker's one-letter flags differ by case (`-P` is no `-p`).
_TYPED_OPTION = re.compile(r"(?<![\w-])--?([a-z][a-z-]*)(?![A-Za-z0-9-])")
_LONG_FLAG = re.compile(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)")
_SHORT_FLAG = re.compile(r"(?<![\w-])-([A-Za-z])(?![A-Za-z0-9-])")  # (as typed: `-P` is no `-p`)
_LAST_WORD = re.compile(r"([a-z][a-z0-9-]*)\s+$")  # the Latin word a flag follows, if it follows one
# Dockerfile instructions, as a question names them (in capitals).
_INSTRUCTION = re.compile(r"(?<![A-Za-z0-9_])[A-Z]{3,}(?![A-Za-z0-9_])")  # (Hangul may follow: ADD랑)
# A question that asks for an option (bot.notes.query.FLAG_HINTS; a Korean one also before a particle: 옵션이).
_OPTION = re.compile("|".join(english(w) if w.isascii() else w for w in sorted(FLAG_HINTS)), re.IGNORECASE)
# ... there, the `docker run` flag doing what an instruction does in a Dockerfile comes before the instruction, when
# among this many best hits.
_FLAG_OF = {"EXPOSE": "-p", "ENV": "-e", "VOLUME": "-v"}
FLAG_HITS = 3
# A command of the notes named in lower case, typed with `docker` or not ("docker build 할 때", "run 옵션"): asked with
# an option the notes do not list, the command's reference page lists it.
_NOTES_COMMAND = re.compile(r"(?<!-)" + english("(run|build|exec|ps|rm|rmi)") + "(?!-)")  # (run에서: Hangul may follow)
# A question that speaks of a Dockerfile.
_DOCKERFILE = re.compile(r"docker\s*file|도커\s*파일", re.IGNORECASE)
# Commands of the notes that act on containers only, and the page doing the same to another thing the question
# names instead (its word in English, as the search gives it).
_OTHER_OBJECT = {"ps": ("image", "images")}
_CONTAINERS = frozenset({"container", "containers"})
_RUNNING = re.compile(r"실행\s*중|돌아가|돌고|\brunning\b", re.IGNORECASE)
# Words of building an image: a question with them is about a Dockerfile, whether it says so or not.
_BUILDING = frozenset({"image", "images", "build"})
# Instructions copying into an image what a command copies into or out of a container, when the question copies.
_INTO_CONTAINERS = {"COPY": "cp", "ADD": "cp"}
_COPYING = frozenset({"copy", "copies", "copying"})
# What a question asks to do to a thing (its words in English, as the search gives them) → the subcommand that
# does it, the most particular first ("안 쓰는 볼륨만 지우기" is prune before rm).
_ACTIONS = (("prune", "prune"), ("inspect", "inspect"), ("create", "create"), ("list", "ls"), ("ls", "ls"),
            ("remove", "rm"), ("delete", "rm"), ("rm", "rm"))
# Among the choices, this many reference pages whose question forms the question looks this much like, letter by
# letter (tuned on the dev splits).
PAGE_CHOICES = 1
PAGE_CHOICE_ALIKE = 0.25
# Command groups for specialists (`docker plugin push`, `docker stack ps`): their pages answer only a question that
# types the group out (`docker stack`) or names it by a word nobody uses otherwise (플러그인, swarm); "태그 붙이고
# push 하는 법" is `docker push`, "compose services", "stack overflow" and "build context" are no such groups.
_SPECIALIST_NAMES = {
    "plugin": ("plugin", "플러그인"), "swarm": ("swarm", "스웜"), "node": ("swarm", "스웜"),
    "service": ("swarm", "스웜"), "stack": ("swarm", "스웜"), "secret": ("swarm", "스웜"), "config": ("swarm", "스웜"),
    "context": ("컨텍스트", "docker host"), "trust": ("content trust",),
}
# Things nearly every reference page mentions: as extra words they pull `docker container` ahead of
# `docker logs` for "see container logs".
_GENERIC_OBJECTS = frozenset({"container", "containers", "image", "images", "docker"})


class Source(StrEnum):
    LEARNED = "learned"
    NOTES = "notes"
    REFERENCE = "reference"
    CHOICES = "choices"
    NOT_FOUND = "not_found"
    PROBLEM = "problem"


@dataclass(slots=True)
class Outcome:
    source: Source
    result: SearchResult
    reference: list[RefHit] = field(default_factory=list)
    choices: list[Hit] = field(default_factory=list)
    pages: list[RefHit] = field(default_factory=list)  # reference pages offered beside ``choices``
    learned: bool = False  # a reference page this server's members picked for the question before
    second: SearchResult | None = None  # the notes' sure answer to the other half of a two-part question

    @property
    def from_notes(self) -> bool:
        return self.source in (Source.LEARNED, Source.NOTES)


class Explainer:
    """The decision behind ``!explain``; one per process, shared by every platform."""

    def __init__(self, notes: NotesIndex, reference: ReferenceIndex, store: ExplainStore,
                 forms: ReferenceForms) -> None:
        self.notes = notes
        self.reference = reference
        self.store = store
        self.forms = forms

    async def answer(self, question: str, scope: str | None) -> Outcome:
        if scope is not None and (place := await self.store.learned(scope, question)) is not None:
            if isinstance(place, PagePlace):
                page = await self.reference.page(place.page, place.heading)
                if page is not None:
                    return Outcome(Source.REFERENCE, SearchResult(query=question), reference=[page], learned=True)
            elif (learned := await self.notes.entry(place)) is not None:
                return Outcome(Source.LEARNED, learned)
        question = await self.notes.retyped(question)  # `ehzj zjsxpdlsj` is 도커 컨테이너 typed on the wrong layout
        result = await self.notes.search(asked := wanted(question))  # "실행은 안 하고 받기만": not about `run`
        if result.problem == "empty" and asked != question:  # nothing else to search: the whole question, then
            result = await self.notes.search(question)
        else:
            question = asked
        if result.problem is not None:
            return Outcome(Source.PROBLEM, result)
        if result.elsewhere:  # `kubectl logs`: another tool's, not Docker's reference nor the notes
            return Outcome(Source.NOT_FOUND, result)
        if self.reference.available and (page := _page_asked(question)) is not None and (
                hit := await self.reference.page(page)) is not None:
            return Outcome(Source.REFERENCE, result, reference=[hit])
        if (typed := await self._typed_command(question)) is not None:
            return Outcome(Source.REFERENCE, result, reference=[typed])
        if (listed := await self._command_option(question, result)) is not None:
            return Outcome(Source.REFERENCE, result, reference=[listed])
        match = self._form_match(question, result)
        sure = self._sure(question, result) or await self._story_agrees(question, result)
        if (sure and _clear_lead(result)) or _far_ahead(result):
            if match is not None and match.score >= result.hits[0].form + REF_FORM_MARGIN:
                by_form = await self._by_form(match, result)
                if by_form is not None and by_form.source is Source.REFERENCE:
                    return by_form
            if (managed := await self._managed(question, result)) is not None:
                return Outcome(Source.REFERENCE, result, reference=[managed])
            sure_of = _flag_first(question, _named_first(question, result))
            return await self._other_half(question, sure_of) or Outcome(Source.NOTES, sure_of)
        if not sure and (typed := await self._typed_command_page(question, result)) is not None:
            return Outcome(Source.REFERENCE, result, reference=[typed])
        if not sure and match is not None and (by_form := await self._by_form(match, result)) is not None:
            return by_form
        if (both := await self._two_part(question)) is not None:
            return both
        if not sure and (option := await self._typed_option(question)) is not None:
            return Outcome(Source.NOTES, option)
        if (concept := self._concept(question, result)) is not None:
            return concept
        # (a long flag the notes lack, typed in one sentence, says what the other asks: "변수 넘기는 법? --build-arg")
        flagged = await self._typed_flag_page(question)
        if flagged is None and (one := await self._one_sentence(question, result)) is not None:
            return one
        if sure:
            return await self._offer(question, result)
        if (alike := self._alike(question, result)) is not None and (by_form := await self._by_form(alike, result)):
            return by_form
        if flagged is not None:
            return Outcome(Source.REFERENCE, result, reference=[flagged])
        if result.docker and result.known >= MIN_KNOWN:
            # A page of the Docker word's own family (`swarm` → `swarm_init`) whose forms fit the question says
            # more than the group's page, which only lists its subcommands.
            family = self._family_match(question, result)
            if family is not None and (by_form := await self._by_form(family, result)) is not None:
                return by_form
            # The one Docker word that is itself the name of a page or an instruction the notes lack (`history`,
            # ARG; not VOLUME) names the answer; with several, the search weighs them with the rest of the question.
            named = [hit for word in result.docker if (hit := await self._named_page(question, word)) is not None]
            if len(named) == 1:
                return Outcome(Source.REFERENCE, result, reference=named)
            # The Docker words lead; other words count only where they name reference topics (`create`). A page
            # with question forms answers only when the question looks more like them than like any other page's
            # ("컨테이너 여러 개 띄우면 용량 먹나요" names 용량, but it is no question for `docker run`).
            words = [*result.docker, *(w for w in result.english
                                        if w in self.reference.words() and w not in _GENERIC_OBJECTS)]
            hits = [hit for hit in await self.reference.search(words, limit=MAX_CHOICES)
                    if _for_group(question, hit.page)]
            if hits and self._fits(question, result, hits[0].page):
                return Outcome(Source.REFERENCE, result, reference=hits)
        return await self._offer(question, result)

    async def _story_agrees(self, question: str, result: SearchResult) -> bool:
        """Whether a question told as a story gets the notes' best entry though the model is less sure than it asks
        of one sentence: the sentences that ask rank the same entry first on their own (the story around them
        weighs its words down, and they agree with it), and no reference page looks nearly as like it."""
        if not result.calibrated or result.evidence is None or result.vetoed or not self.reference.available:
            return False
        asking = asking_sentences(question)
        evidence = self.evidence(question, result)
        if (not asking or sureness(evidence) < STORY_SURE or evidence.known < SURE_KNOWN
                or evidence.reference > STORY_REFERENCE):
            return False
        alone = await self.notes.search(" ".join(asking))
        return alone.problem is None and bool(alone.hits) and alone.hits[0].key == result.hits[0].key

    async def _typed_command(self, question: str) -> RefHit | None:
        """The page of a subcommand the question types out (`docker volume rm`, `docker swarm join-token`, or
        `image prune` without `docker`): nothing says more plainly what the question is about."""
        if not self.reference.available:
            return None
        lower = question.lower()
        for group, command in _SUBCOMMAND.findall(lower):
            if (page := await self.reference.page(f"{group}_{command}")) is not None:
                return page
        for group, command in _WORD_PAIR.findall(lower):
            if await self.reference.has_subcommands(group) and (
                    page := await self.reference.page(f"{group}_{command}")) is not None:
                return page
        return None

    async def _command_option(self, question: str, result: SearchResult) -> RefHit | None:
        """The reference page of the one notes command a question asks an option of, when a Docker word of the question
        the notes lack is the name of a flag that page lists ("entrypoint 무시하고 sh로 띄우는 run 옵션": `docker run
        --entrypoint`, not the ENTRYPOINT instruction; "uid로 돌리는 run 옵션": `--user`)."""
        if not self.reference.available or not _OPTION.search(question):
            return None
        commands = set(_NOTES_COMMAND.findall(question))
        if len(commands) != 1:
            return None
        command = commands.pop()
        # (the command's own entry, one line naming no option, is no answer to an option asked of it)
        if result.hits and result.hits[0].symbol == command and set(_DOCKER_COMMAND.findall(question.lower())) <= {
                command}:
            return await self.reference.page(command)
        for word in result.docker:  # (Docker words the notes lack: `-d`'s detach is theirs)
            if command in await self.reference.with_flag(word):
                return await self.reference.page(command)
        return None

    async def _typed_command_page(self, question: str, result: SearchResult) -> RefHit | None:
        """The page of the one command the question types out with `docker` (`docker commit`, `docker logs`), when
        the notes hold no entry so named: the member named what they ask about. Not for two commands (a comparison)
        nor a group of subcommands (`docker secret`: the search weighs its subcommands)."""
        typed = _DOCKER_COMMAND.findall(question.lower())
        if (len(typed) != 1 or not self.reference.available
                or await self.reference.has_subcommands(typed[0]) or not _for_group(question, typed[0])
                or await self.notes.named(typed[0]) is not None):
            return None
        return await self.reference.page(typed[0])

    async def _typed_option(self, question: str) -> SearchResult | None:
        """The notes' entry of the one option of theirs the question types (`--link`, `-v`), however long the
        story around it ("an old blog post uses --link to hook a web container up to a db … what does that flag
        do?"): the member named what they ask about. Not for two (a comparison: the search weighs them)."""
        names = set(_TYPED_OPTION.findall(question))
        held = [entry for name in sorted(names) if (entry := await self.notes.named(f"-{name}")) is not None]
        return held[0] if len(held) == 1 else None

    async def _typed_flag_page(self, question: str) -> RefHit | None:
        """The page of a Docker flag the question types (`--restart`, `-m`; not `--help`) and the notes lack: the page
        of the command typed with it when that lists the flag, else `docker run`'s (else, for a long flag, the one page
        that does)."""
        if not self.reference.available:
            return None
        lower = question.lower()
        typed = _DOCKER_COMMAND.findall(lower)
        for flag in _LONG_FLAG.findall(lower):
            # (the notes write their flags with one dash: `-rm`, `-name`)
            if flag not in self.reference.words() or await self.notes.named(f"-{flag}") is not None:
                continue
            pages = await self.reference.with_flag(flag)
            page = next((p for p in (*typed, "run") if p in pages), pages[0] if len(pages) == 1 else None)
            if page is not None and _for_group(question, page):
                return await self.reference.page(page)
        # A one-letter flag the notes lack, asked about as an option ("-m 플래그 맞나?"): the page of the command typed
        # just before it, else (none typed) the typed command's or `docker run`'s, when it lists the flag; a flag after
        # another word is that tool's (`df -h`).
        if not _OPTION.search(question):
            return None
        for flag in _SHORT_FLAG.finditer(question):
            if await self.notes.named(f"-{flag[1]}") is not None:
                continue
            before = _LAST_WORD.search(lower[: flag.start()])
            pages = await self.reference.with_flag(flag[0])
            if (name := next((n for n in ((before[1],) if before else (*typed, "run")) if n in pages), None)):
                return await self.reference.page(name)
        return None

    async def _named_page(self, question: str, word: str) -> RefHit | None:
        """The reference page or instruction named ``word`` (`history`, ARG), unless the notes hold one so named."""
        hit = await self.reference.named(word)
        if hit is None or not _for_group(question, hit.page):
            return None
        return None if await self.notes.named(hit.heading if hit.page == "builder" else hit.page) is not None else hit

    async def _two_part(self, question: str) -> Outcome | None:
        """Two questions in one ("태그 붙이고 push 하는 법"): both answered, when the notes are sure of each half
        and they are different entries."""
        for first, second in halves(question):
            one = await self._sure_notes(first)
            if one is None:
                continue
            other = await self._sure_notes(second)
            if other is not None and other.hits[0].key != one.hits[0].key:
                return Outcome(Source.NOTES, one, second=other)
        return None

    async def _other_half(self, question: str, result: SearchResult) -> Outcome | None:
        """A two-part question the notes are sure of as a whole answers one half ("백그라운드로 띄우고 포트 연결하는
        법": `-d`); when each half is sure of its own entry, one of them that answer and the other an entry among
        the whole question's best too (`-p`), the other comes with it."""
        both = await self._two_part(question)
        if both is None or both.second is None:
            return None
        top = result.hits[0].key
        near = {h.key for h in result.hits[:OTHER_HALF_HITS]}
        by_key = {both.result.hits[0].key: both.result, both.second.hits[0].key: both.second}
        other = next((r for key, r in by_key.items() if key != top), None)
        if top not in by_key or other is None or other.hits[0].kind != "entry" or other.hits[0].key not in near:
            return None
        return Outcome(Source.NOTES, result, second=other)

    async def _one_sentence(self, question: str, result: SearchResult) -> Outcome | None:
        """A story around a question ("튜토리얼 따라 했는데 … 이게 꼭 있어야 하나요?"): the notes' answer to the one
        sentence that asks (:func:`asking_sentences`) they are sure of, when no other is sure of another entry and
        the whole question ranks it among its best."""
        if result.docker or result.vetoed:  # (a Docker word the notes lack: the reference's question)
            return None
        best = {h.key for h in result.hits[:SENTENCE_HITS]}
        sure = [r for text in asking_sentences(question) if (r := await self._sure_notes(text)) is not None]
        keys = {r.hits[0].key for r in sure}
        if len(keys) != 1 or not keys <= best:
            return None
        # (the other sentences still say what it acts on: "컨테이너 안에 … 제 컴에 있는 파일을 복사해 넣을 수는": cp)
        if (managed := await self._managed(question, replace(sure[0], english=result.english))) is not None:
            return Outcome(Source.REFERENCE, result, reference=[managed])
        return Outcome(Source.NOTES, sure[0])

    def _concept(self, question: str, result: SearchResult) -> Outcome | None:
        """A what-is question that names one of the notes' sections among the best hits, and none of the entries
        ("Dockerfile이라는 게 있다던데 이게 뭐 하는 파일이에요?", "what is a container actually?"): that section."""
        if not asks_what(question) or result.known < CONCEPT_KNOWN or result.vetoed:
            return None
        if any(h.kind == "entry" and h.symbol and _as_word(h.symbol).search(question.lower()) for h in result.hits):
            return None
        asked = what_asked(question)
        lower = asked.lower()
        best = result.hits[:CONCEPT_HITS]
        # (the search's English words are the whole question's; a sentence of it has its own, as typed)
        english = frozenset(result.english) if asked == question else frozenset(_LATIN_WORD.findall(lower))
        named = {h.key: h for h in best if h.kind == "section" and self._names(lower, english, h.section)}
        if len(named) != 1:
            return None
        (section,) = named.values()
        return Outcome(Source.NOTES, replace(_led_by(result, section), found=True))

    def _names(self, lower: str, english: frozenset[str], section: str) -> bool:
        """Whether a question (``lower``; ``english``: its words in English) names ``section`` by its heading."""
        words = _heading_words(section)
        glossary = self.notes.language.glossary
        return bool(words) and all(w in lower or glossary.expand(w) & english for w in words)

    async def _sure_notes(self, text: str) -> SearchResult | None:
        """The notes' search for ``text`` when it answers outright."""
        result = await self.notes.search(text)
        if result.problem is not None or result.elsewhere or not result.hits:
            return None
        return result if (self._sure(text, result) and _clear_lead(result)) or _far_ahead(result) else None

    async def _offer(self, question: str, result: SearchResult) -> Outcome:
        """Choices: the notes' best entries, and the reference pages whose question forms the question looks
        most like (up to :data:`MAX_CHOICES` in all); "not found" when there are none."""
        likely = (result.calibrated and result.evidence is not None and result.evidence.docker_thing == 1.0
                  and sureness(self.evidence(question, result)) >= CHOICE_SURE)
        choices = _choices(result, likely)
        pages: list[RefHit] = []
        if self.reference.available:
            names = {_name(h.symbol or "") for h in choices}
            for match in _for(question, self.forms.alike(question)):
                if len(pages) >= PAGE_CHOICES or match.score < PAGE_CHOICE_ALIKE:
                    break
                if _names_another(question, match) or (match.heading or match.page).lower() in names:
                    continue
                # A page takes the place of the notes' last choice only when the question looks more like it.
                if choices and len(choices) + len(pages) >= MAX_CHOICES and match.score < choices[-1].likeness:
                    break
                page = await self.reference.page(match.page, match.heading)
                if page is not None:
                    pages.append(page)
        choices = choices[:MAX_CHOICES - len(pages)]
        if not choices and not pages:
            return Outcome(Source.NOT_FOUND, result)
        return Outcome(Source.CHOICES, result, choices=choices, pages=pages)

    def _sure(self, question: str, result: SearchResult) -> bool:
        """Whether the notes' best entry answers: as the search found, but for an entry with question forms the
        model also weighs how much more the question looks like a page of Docker's reference."""
        if not result.hits:
            return False
        if not result.calibrated or not self.reference.available:
            return result.found
        return answers(self.evidence(question, result), result.vetoed)

    def evidence(self, question: str, result: SearchResult) -> Evidence:
        """The search's evidence for its best entry, with the reference's likeness to ``question``."""
        assert result.evidence is not None
        return replace(result.evidence, reference=self.forms.likeness(question) - result.evidence.likeness)

    def _family_match(self, question: str, result: SearchResult) -> FormMatch | None:
        """The reference page named after one of the question's Docker words or one of its subcommands (`swarm`,
        `swarm_init`), or the word's page for an object the question names (`prune` → `image_prune`), whose question
        forms match ``question`` best, word for word and letter by letter together, among those matching it fairly
        (the Docker word has already narrowed the pages down, so less than :data:`REF_FORM_SURE` will do)."""
        if not self.reference.available:
            return None
        docker = result.docker
        family = [m for m in _for(question, self.forms.match(question, limit=FAMILY_CANDIDATES))
                  if m.score >= FAMILY_FORM_SURE
                  and any(m.page == word or m.page.startswith(f"{word}_")
                          or (m.page.endswith(f"_{word}") and _names_object(question, result, m.page, word))
                          for word in docker)]
        alike = {m.key: m.score for m in self.forms.alike(question)}
        return max(family, key=lambda m: m.score + alike.get(m.key, 0.0), default=None)

    async def _managed(self, question: str, result: SearchResult) -> RefHit | None:
        """The page of the command that manages what the instruction whose entry the notes are sure of names, when
        the question never speaks of a Dockerfile and asks to do something to it ("named volume 만들려면", "안 쓰는
        볼륨만 지우기": `docker volume create`, `docker volume prune`, not the VOLUME instruction); or the page that
        does to another thing what the sure entry's command does to containers ("이미지 목록 보기": `docker images`,
        not `ps`), or what its instruction does to an image ("container 안의 file을 local로 copy": `docker cp`)."""
        top = result.hits[0]
        if not self.reference.available or top.symbol is None:
            return None
        words = {*result.docker, *result.english}
        if top.symbol in _OTHER_OBJECT:  # `ps` lists containers; "이미지 목록 보기" is `docker images`
            thing, page = _OTHER_OBJECT[top.symbol]
            # (running images are containers; and `ps` typed out is `ps`)
            if (thing in words and not words & _CONTAINERS and not _RUNNING.search(question)
                    and not re.search(rf"(?<![a-z0-9-]){re.escape(top.symbol)}(?![a-z0-9])", question.lower())):
                return await self.reference.page(page)
            return None
        if (top.symbol not in INSTRUCTIONS or _DOCKERFILE.search(question) or words & _BUILDING
                or top.symbol in _instructions_named(question)):
            return None  # ("이미지 만들 때 볼륨 지정" is about the image: the instruction)
        if top.symbol in _INTO_CONTAINERS and words & _CONTAINERS and words & _COPYING:  # (COPY: into an image)
            return await self.reference.page(_INTO_CONTAINERS[top.symbol])  # ("컨테이너 안 파일 꺼내기"): `docker cp`
        action = next((a for word, a in _ACTIONS if word in words), None)
        return None if action is None else await self.reference.page(f"{top.symbol.lower()}_{action}")

    def _alike(self, question: str, result: SearchResult) -> FormMatch | None:
        """The reference page whose question forms ``question`` looks most like, letter by letter, when it looks
        like them fairly and more than like any notes entry's forms; or less so when its forms also match it
        best word for word (two measures agreeing is evidence in itself)."""
        if not self.reference.available:
            return None
        alike = _for(question, self.forms.alike(question))
        if not alike or _names_another(question, match := alike[0]):
            return None
        notes = _notes_likeness(result)
        if match.score >= REF_ALIKE_SURE and match.score >= notes + REF_ALIKE_MARGIN:
            return match
        words = _for(question, self.forms.match(question, limit=3))
        agree = bool(words) and words[0].key == match.key and words[0].score >= REF_AGREE_WORDS
        return match if agree and match.score >= max(REF_AGREE_ALIKE, notes + REF_AGREE_MARGIN) else None

    def _fits(self, question: str, result: SearchResult, page: str) -> bool:
        """Whether ``question`` looks most like ``page``'s question forms of all pages', or the page has none."""
        if not self.forms.has(page):
            return True
        alike = _for(question, self.forms.alike(question))
        return bool(alike) and alike[0].page == page and alike[0].score >= SEARCH_FIT_ALIKE

    def _form_match(self, question: str, result: SearchResult) -> FormMatch | None:
        """The reference page whose question forms this question matches surely, if any: word for word, and
        unless nearly whole, looking fairly like that page's forms letter by letter, and about as much as like the
        notes' ("볼륨이 뭐예요" shares its one word with a form of `volume ls`, yet it is the notes' question;
        "도커 허브가 뭐예요" matches a form of `login` word for word, but looks more like `search`'s)."""
        if not self.reference.available:
            return None
        matches = _for(question, self.forms.match(question, limit=3))
        if not matches or matches[0].score < REF_FORM_SURE or _names_another(question, matches[0]):
            return None
        if matches[0].score >= REF_FORM_WHOLE:
            return matches[0]
        alike = next((m.score for m in self.forms.alike(question) if m.key == matches[0].key), 0.0)
        return matches[0] if alike >= max(_notes_likeness(result) + REF_FORM_MARGIN_ALIKE, REF_FORM_LIKENESS) else None

    async def _by_form(self, match: FormMatch, result: SearchResult) -> Outcome | None:
        """The notes' own entry when the page names one they hold (`exec`, `builder#CMD` → `CMD`), else
        the reference page (or its group's sibling doing what the question asks: :func:`_acting_sibling`)."""
        # A Dockerfile instruction is the same topic in both; a command's page says much more than its entry.
        name = match.heading if match.page == "builder" else match.page
        holds = match.page == "builder" or _holds(result, name)
        # (an option asked of a command: its entry is one line naming none, its page lists them all)
        option = (match.page != "builder" and _OPTION.search(result.query) is not None
                  and not (result.hits and (result.hits[0].symbol or "").startswith("-")))
        if name and holds and not option and (entry := await self.notes.named(name)) is not None:
            return Outcome(Source.NOTES, entry)
        sibling = _acting_sibling(match.page, result)
        page = await self.reference.page(sibling) if sibling is not None else None
        if page is None:  # (no sibling asked for, or the group has none so named: the page the forms found)
            page = await self.reference.page(match.page, match.heading)
        return Outcome(Source.REFERENCE, result, reference=[page]) if page is not None else None


def _acting_sibling(page: str, result: SearchResult) -> str | None:
    """The subcommand of ``page``'s group doing the one thing the question asks to do, when ``page`` does another
    ("named volume 목록": `volume ls`, not `volume create`, whose forms speak of named volumes)."""
    group, _, action = page.partition("_")
    words = set(result.english)
    asked = {sub for word, sub in _ACTIONS if word in words}
    if not action or len(asked) != 1 or action in asked or asked == {"rm"}:
        return None  # (removing is asked in many words, and a prune is a removal too)
    return f"{group}_{next(iter(asked))}"


def _page_asked(question: str) -> str | None:
    """The reference page a question asks for by what it does, whatever the notes hold: a bulk clean-up (`prune`),
    a container coming back (a restart policy, `start`), an image fetched and nothing more (`pull`), the host ports
    a container was given (`port`)."""
    return swept(question) or restart_page(question) or pull_page(question) or port_page(question)


def _named_first(question: str, result: SearchResult) -> SearchResult:
    """``result`` with the best entry of an instruction the question names in capitals first, when a section leads
    it: "RUN and CMD, they both run commands" asks about those, not the section listing every instruction."""
    if result.hits[0].kind != "section" or not (instructions := _instructions_named(question)):
        return result
    named = next((h for h in result.hits if h.kind == "entry" and h.symbol in instructions), None)
    if named is None:
        return result
    return _led_by(result, named)


def _led_by(result: SearchResult, hit: Hit) -> SearchResult:
    """``result`` with ``hit`` first; the siblings and "see also" of the entry that led before go with it."""
    return replace(result, hits=[hit, *(h for h in result.hits if h.key != hit.key)], siblings=[], see_also=[])


def _flag_first(question: str, result: SearchResult) -> SearchResult:
    """``result`` with the entry of the `docker run` flag doing what the leading instruction does in a Dockerfile
    first, when the question asks for an option and speaks of no Dockerfile ("포트 지정하는 옵션": `-p`, not EXPOSE,
    which is no option)."""
    flag = _FLAG_OF.get(result.hits[0].symbol or "")
    if flag is None or not _OPTION.search(question) or _DOCKERFILE.search(question) or _instructions_named(question):
        return result
    hit = next((h for h in result.hits[:FLAG_HITS] if h.symbol == flag), None)
    if hit is None:
        return result
    return _led_by(result, hit)


def _heading_words(section: str) -> list[str]:
    """The words of a section's own heading, Docker's name aside (`Docker-compose` → compose, `이미지 이름`)."""
    heading = section.rsplit(PATH_SEP, 1)[-1].lower()
    return [w for w in re.split(r"[\s\-]+", heading) if w and w not in ("docker", "도커")]


def _as_word(symbol: str) -> re.Pattern[str]:
    """``symbol`` (`run`, `-p`, `CMD`) as a word of a question, lower-cased."""
    return re.compile(r"(?<![\w-])-*" + re.escape(symbol.lstrip("-").lower()) + r"(?!\w)")


def _names_another(question: str, match: FormMatch) -> bool:
    """Whether ``question`` names Dockerfile instructions, none of them the one ``match`` is about ("EXPOSE and
    -p": not CMD, however alike its forms' wording)."""
    if match.page != "builder" or match.heading is None or match.heading.upper() not in INSTRUCTIONS:
        return False  # (`builder#.dockerignore file` is no instruction)
    named = _instructions_named(question)
    return bool(named) and match.heading.upper() not in named


def _instructions_named(question: str) -> set[str]:
    """The Dockerfile instructions ``question`` names in capitals (`RUN`, `ADD랑`)."""
    return set(_INSTRUCTION.findall(question)) & INSTRUCTIONS


def _for(question: str, matches: list[FormMatch]) -> list[FormMatch]:
    """``matches`` without the pages of specialist command groups the question does not name."""
    return [m for m in matches if _for_group(question, m.page)]


def _for_group(question: str, page: str) -> bool:
    """Whether ``page`` may answer ``question``: any page, but a specialist group's only when the question names the
    group (:data:`_SPECIALIST_NAMES`)."""
    group = page.partition("_")[0]
    names = _SPECIALIST_NAMES.get(group)
    if names is None:
        return True
    lower = question.lower()
    return f"docker {group}" in lower or any(name in lower for name in names)


def _names_object(question: str, result: SearchResult, page: str, word: str) -> bool:
    """Whether ``question`` names the object of ``page`` besides its Docker ``word`` (`image` of image_prune)."""
    words = {*result.docker, *result.english}
    others = [part for part in page.split("_") if part != word]
    return bool(others) and all(part in words or part in question.lower() for part in others)


def _notes_likeness(result: SearchResult) -> float:
    """How much the question looks like the question forms of the notes entry it looks most like."""
    return max((h.likeness for h in result.hits), default=0.0)


def _holds(result: SearchResult, symbol: str) -> bool:
    """Whether the notes' entry named ``symbol`` holds the question (`run` is in the notes, a memory limit is not)."""
    return any(h.symbol == symbol and h.coverage >= MIN_COVERAGE for h in result.hits)


def _far_ahead(result: SearchResult) -> bool:
    """Not found by the usual measure (a word or two unknown: 조용히, detached), yet one entry is far
    ahead of every other, covering a fair share of the question."""
    if result.calibrated or result.vetoed or not result.hits or result.known < FAR_KNOWN:
        return False
    top, runner_up = result.hits[0], _runner_up(result)
    return top.coverage >= FAR_COVERAGE and (runner_up is None or top.score - runner_up.score >= FAR_LEAD)


def _clear_lead(result: SearchResult) -> bool:
    """The best entry leads, or the runner-up only shares its name (`run`/`RUN`, `rm`/`--rm`: shown as
    "see also")."""
    top, runner_up = result.hits[0], _runner_up(result)
    if runner_up is None or top.score - runner_up.score >= LEAD:
        return True
    return top.symbol is not None and _name(runner_up.symbol or "") == _name(top.symbol)


def _runner_up(result: SearchResult) -> Hit | None:
    """The best hit that is another entry than the top one (siblings share its key)."""
    top = result.hits[0]
    return next((h for h in result.hits[1:] if h.key != top.key), None)


def _name(symbol: str) -> str:
    return symbol.lstrip("-").lower()


def _choices(result: SearchResult, likely: bool) -> list[Hit]:
    """The best entries, one per name, when the question is about what the notes hold at all, or names a thing of
    Docker's and the model gives its best entry a fair chance (``likely``)."""
    if result.known < CHOICE_KNOWN and not likely and not any(h.likeness >= CHOICE_LIKENESS for h in result.hits):
        return []
    out: list[Hit] = []
    for hit in result.hits:
        if (likely or hit.coverage >= CHOICE_COVERAGE or hit.likeness >= CHOICE_LIKENESS) and all(
                hit.key != o.key for o in out):
            out.append(hit)
    return out[:MAX_CHOICES]
