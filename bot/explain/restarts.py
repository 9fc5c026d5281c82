"""Questions about a container coming back: by itself ("서버 재부팅돼도 컨테이너가 자동으로 다시 뜨게", "restart
automatically when it crashes") is a restart policy, set with `docker run --restart`, or changed on a container that
already exists with `docker update`; a stopped one started again by hand ("멈춘 컨테이너 다시 켜는 명령어, run 말고")
is `docker start`. Neither is `docker restart`, which stops a running container and starts it again.
"""

from __future__ import annotations

import re

_BY_ITSELF = re.compile(
    r"자동|알아서|저절로|스스로|재부팅|리부팅|부팅|재시작\s*정책|"
    r"\b(?:automatic(?:ally)?|auto|by itself|on its own|reboots?|boots?|restart polic(?:y|ies)|always|"
    r"unless-stopped|on-failure)\b", re.IGNORECASE)
_BACK = re.compile(
    r"다시\s*(?:뜨|떠|올라|켜|살아|시작|실행|돌)|재시작|재가동|살아나|되살|"
    r"\b(?:restarts?|restarted|come back|comes back|back up|start again|starts again)\b", re.IGNORECASE)
_STOPPED = re.compile(r"멈춘|멈춰\s*둔|멈춰\s*놓은|정지된|중지된|꺼진|꺼\s*둔|꺼\s*놓은|종료된|"
                      r"\b(?:stopped|exited)\b", re.IGNORECASE)
_AGAIN = re.compile(r"다시\s*(?:켜|시작|실행|띄우|띄워|돌리|돌려|살리|살려)|재실행|"
                    r"\bstart\w* (?:\w+ ){0,3}again\b|\b(?:re)?start (?:a |the |my |that )?(?:stopped|exited)\b|"
                    r"\bbring (?:it |them )?back\b", re.IGNORECASE)
_CONTAINER = re.compile(r"컨테이너|도커|\b(?:containers?|docker)\b", re.IGNORECASE)  # (Windows reboots too)
# A container that exists already, whose policy is changed ("이미 떠 있는 컨테이너에 재시작 정책 추가").
_EXISTING = re.compile(r"이미|기존|\b(?:already|existing)\b|without recreating|다시\s*안\s*만들", re.IGNORECASE)


def restart_page(question: str) -> str | None:
    """`update` or `run` for a question about a container restarting by itself, `start` for a stopped one started
    again, else None."""
    if not _CONTAINER.search(question):
        return None
    if _BY_ITSELF.search(question) and _BACK.search(question):
        return "update" if _EXISTING.search(question) else "run"
    return "start" if _STOPPED.search(question) and _AGAIN.search(question) else None
