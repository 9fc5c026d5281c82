"""Questions that clear things away in bulk ("멈춘 컨테이너 잔뜩 쌓였는데 싹 지우기", "clean up everything
unused"): the answer is a `prune` command, not the notes' `rm`/`rmi`, which remove one thing named.

A question sweeps when it asks to remove, in the sentence that asks, and says how much: all of them, everything
piled up, or only the unused or dangling ones. Being stopped alone says nothing ("다 끝나서 멈춰 있는 컨테이너는
어떻게 없애나요" removes one by name). What is swept decides the page; several things, or none but the disk or
everything, are `docker system prune`.
"""

from __future__ import annotations

import re

from bot.explain.parts import asking_sentences, halves
from bot.explain.wording import english

_REMOVE = re.compile(
    r"지우|지워|삭제|제거|정리|치우|치워|날리|날려|없애|청소|비우|비워|"
    + english("remov(?:e|ing)", "delet(?:e|ing)", "clean(?:ing)?", "cleanup", "clear(?:ing)?", "rid",
              "prun(?:e|ing)", "purg(?:e|ing)", "wip(?:e|ing)", "nuke"), re.IGNORECASE)
_BULK = re.compile(
    r"전부|모두|몽땅|싹|한꺼번에|일괄|잔뜩|쌓인|쌓여|쌓였|쌓아|수십\s*개|"
    r"안\s*쓰는|안\s*쓰고|미사용|댕글링|찌꺼기|쓰레기|<none>|태그\s*없는|이름\s*없는|"
    r"(?<![가-힣])다\s*(?:지우|지워|삭제|제거|정리|치우|치워|날리|날려|없애)|"
    + english("them all", "everything", "unused", "dangling", "piling", "piled", "leftovers?", "bulk",
              "all (?:(?:of )?(?:my|the|those|these) )?(?:(?:stopped|exited|unused|old|dangling) )?"
              "(?:containers|images|volumes|networks)"), re.IGNORECASE)
# ... unless it says one ("하나씩 지우는 법", "하나만 콕 집어서").
_ONE = re.compile(r"하나씩|하나만|한\s*개만|" + english("one by one", "a single", "just one"), re.IGNORECASE)
_THINGS = (
    ("image_prune", re.compile(r"이미지|<none>|태그\s*없는|" + english("images?", "dangling"), re.IGNORECASE)),
    ("volume_prune", re.compile(r"볼륨|" + english("volumes?"), re.IGNORECASE)),
    ("network_prune", re.compile(r"네트워크|" + english("networks?"), re.IGNORECASE)),
    ("container_prune", re.compile(r"컨테이너|멈춘|멈춰|꺼진|종료된|" + english("containers?", "exited", "stopped"),
                                   re.IGNORECASE)),
)
_WHOLE = re.compile(r"디스크|용량|도커가\s*쌓아|" + english("disk", "space", "system", "everything"), re.IGNORECASE)
# The question must be Docker's (a phone's photos, a website's images, a music library's volumes are not; in Korean,
# 이미지 and 볼륨 said to this bot are Docker's) ...
_DOCKER = re.compile(r"도커|컨테이너|이미지|볼륨|댕글링|<none>|"
                     + english("docker", "containers?", "prune", "dangling", "exited"), re.IGNORECASE)
# ... and clear away the things themselves, not what is in them (a container's logs or files, an image's tags), nor
# ask for a summary (정리해줘).
_OTHER_STUFF = re.compile(r"로그|태그(?!\s*없)|파일|폴더|데이터|내용|캐시|안의|안에\s*있는|"
                          r"정리\s*(?:해\s*줘|해\s*주|좀|된|한)|"
                          + english("logs?", "tags?", "files?", "folders?", "data", "cache", "inside"),
                          re.IGNORECASE)


def swept(question: str) -> str | None:
    """The `prune` page a bulk clean-up question asks for, or None for any other question."""
    asking = asking_sentences(question) or [question]
    if (halves(question) or _ONE.search(question) or not _DOCKER.search(question) or _OTHER_STUFF.search(question)
            or not any(_REMOVE.search(s) and _BULK.search(s) for s in asking)):
        return None  # (two questions in one are answered half by half; a story's clean-up may be past)
    named = [page for page, said in _THINGS if said.search(question)]
    # Containers are named around other things too ("어떤 컨테이너도 안 쓰는 볼륨만"): another thing named is the one.
    others = [page for page in named if page != "container_prune"]
    if len(others) == 1:
        return others[0]
    if len(others) > 1 or (not named and _WHOLE.search(question)):
        return "system_prune"
    return "container_prune" if named else None
