"""How a question is built, read from its text alone: what it says it does not want ("실행은 안 하고 받기만"), where
it may hold two questions ("이미지 태그 붙이고 push 하는 법", "name it and remove it when it exits"), its sentences (a
story told around what is asked), and whether it asks what something is ("이미지라는 게 정확히 뭔가요?").

The explainer searches a question without what it does not want; it searches each half of a two-part question and
answers both when the notes are sure of each (a different entry for each); a what-is question naming one section of
the notes (in a sentence that asks) gets that section; a longer question the notes are unsure of gets the answer to
the one sentence they are sure of.
"""

from __future__ import annotations

import re

# The joints of two requests in one: English "and (also/then)", "plus", "as well as" before a verb, not a noun
# phrase ("a container and its volumes"); Korean 그리고, a verb's -고/-면서 ("붙이고 push", "실행하면서 바로") but not
# before a helping verb (지우고 싶은데, 돌고 있는, 만들고 나서), a noun's -랑/-하고 ("-p 옵션이랑 EXPOSE").
_JOINT = re.compile(
    r"\s*,?\s*\b(?:and\s+also|and\s+then|and|also|plus|as\s+well\s+as)\s+"
    r"(?!(?:its|the|a|an|their|my|your|his|her|all|any|some|other|each)\b)"
    r"|\s*그리고\s*"
    r"|(?<=[가-힣])(?:고|면서|랑|하고)\s+(?!싶|있|없|나서|난|나면|보|계|말)",
    re.IGNORECASE,
)
MAX_JOINTS = 2  # more, and it is a list or a story, not two questions (and each split costs two searches)
# A question that says what the member does not want ("rm 말고", "실행은 안 하고", "without") is one question with
# a condition, not two (컨테이너 안에 is "inside": 안 and 못 count only as words of their own or before 되/돼/해/하).
_NOT = re.compile(r"(?:^|\s)(?:안|못)(?=\s|되|돼|해|하)|말고|않|없이|\b(?:not|without|instead|never)\b|n't",
                  re.IGNORECASE)
MIN_HALF = 2  # characters

# What a question says it does not want, and the word it says it of: an action, Korean "rm 말고", "실행은 안 하고",
# "지우진 말고", "멈추지 않고"; English "without stopping", "instead of deleting". That word names what the member
# is not asking for ("이미지 실행은 안 하고 받기만": `pull`, not `run`). Not a thing done without ("sudo 없이",
# "without the cache": that is the question), nor "X만 말고" (not only X).
_UNWANTED = re.compile(
    r"(?:^|(?<=\s))(?P<ko>[^\s,.?!]*[^\s,.?!만])(?:은|는|을|를|도)?\s*(?:안\s*(?:하고|하구|한\s*채)|않고|말고|말구)"
    r"(?=[\s,.?!~]|$)"
    r"|\b(?:without|instead\s+of|rather\s+than)\s+(?:(?:just|simply|directly|manually)\s+)?"
    r"(?!(?:using|having|needing|doing|making|getting|going)\b)"
    r"(?P<en>[a-z]+ing)\b",
    re.IGNORECASE,
)


def wanted(question: str) -> str:
    """``question`` without what it says it does not want (and the words saying so); whole when it says nothing of
    the kind, or nothing would be left."""
    left, found = _UNWANTED.subn(" ", question)
    if not found:
        return question
    left = re.sub(r"\s+(?=[?.!,])", "", " ".join(left.split()))
    return left if any(c.isalnum() for c in left) else question


def halves(question: str) -> list[tuple[str, str]]:
    """Every split of ``question`` at one joint into two halves, first joint first; none when it negates."""
    joints = list(_JOINT.finditer(question))
    if _NOT.search(question) or len(joints) > MAX_JOINTS:
        return []
    out: list[tuple[str, str]] = []
    for joint in joints:
        first, second = question[: joint.start()].strip(), question[joint.end():].strip()
        if len(first) >= MIN_HALF and len(second) >= MIN_HALF:
            out.append((first, second))
    return out


# "What is it" in Korean and English, and the signs of a how-to question, which is about doing, not meaning.
_WHAT = re.compile(r"뭐예요|뭐에요|뭔가요|뭐야|뭐임|뭔지|무엇|뭘까|뭐지|뭐 하는|뭐하는|왜 필요|무슨 뜻|개념|설명"
                   r"|\bwhat(?:'s|\s+is|\s+are|\s+even)\b|\bwhat\s+problem\b|\bin\s+simple\s+terms\b", re.IGNORECASE)
_HOW = re.compile(r"\bhow\b|\bway\b|어떻게|어케|방법|하는 ?법|하려면", re.IGNORECASE)


_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n+")
MIN_SENTENCE = 4  # characters
# A sentence that asks: a question mark, a request, a question word or ending.
_ASKS = re.compile(r"\?|궁금|알려|싶어|싶은데|싶습니다|주세요|주실|해줘|나요|까요|가요|방법|어떻게|어케"
                   r"|\b(?:how|what|why|which|where|can\s+i|is\s+there)\b", re.IGNORECASE)
# Words pointing back to what an earlier sentence named.
_POINTING = re.compile(r"이게|이거|이건|그게|그거|그건|저게|저거|\b(?:it|they|them|this|that|these|those)\b",
                       re.IGNORECASE)


def asks_what(question: str) -> bool:
    """Whether ``question`` asks what something is, not how to do something."""
    return bool(_WHAT.search(question)) and not _HOW.search(question)


def asking_sentences(question: str) -> list[str]:
    """The sentences of a question of several (a story told around what is asked) that ask something, or all of
    them when none seems to; none for a question of one sentence."""
    parts = [s.strip() for s in _SENTENCE.split(question) if len(s.strip()) >= MIN_SENTENCE]
    if len(parts) < 2:
        return []
    return [s for s in parts if _ASKS.search(s)] or parts


def what_asked(question: str) -> str:
    """The sentences of ``question`` that ask what something is ("… 값을 넘겨줄 수 있나요? 환경변수 개념도 아직 좀
    약합니다." asks about 환경변수, not the container of its first sentence); the whole question when none does, or
    when they ask about "it" ("Dockerfile이라는 걸 봤어요. 이게 뭐 하는 파일이에요?")."""
    asking = [s for s in _SENTENCE.split(question) if _WHAT.search(s)]
    if not asking or any(_POINTING.search(s) for s in asking):
        return question
    return " ".join(asking)
