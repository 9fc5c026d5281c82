"""Questions about a container coming back: by itself ("서버 재부팅돼도 컨테이너가 자동으로 다시 뜨게", "restart
automatically when it crashes") is a restart policy, set with `docker run --restart`, or changed on a container that
already exists with `docker update`; a stopped one started again by hand ("멈춘 컨테이너 다시 켜는 명령어, run 말고")
is `docker start`. Neither is `docker restart`, which stops a running container and starts it again.
"""

from __future__ import annotations

import re

from bot.explain.wording import english

_BY_ITSELF = re.compile(
    r"자동|알아서|저절로|스스로|재부팅|리부팅|부팅|껐다\s*켜|"
    + english("automatic(?:ally)?", "auto", "by itself", "on its own", "reboots?", "boots?"), re.IGNORECASE)
_BACK = re.compile(
    r"다시\s*(?:뜨|떠|올라|켜|살아|시작|실행|돌)|재시작|재가동|살아나|되살|살아\s*있|시작되(?:게|도록)|올라오|올라와|"
    + english("restarts?", "restarted", "come back", "comes back", "back up", "start again", "starts again",
              "start on boot", "start up"), re.IGNORECASE)
# A policy named is a policy question whatever else is said ("--restart=always 뭐에요", "always랑 unless-stopped 차이").
_POLICY = re.compile(r"재시작\s*정책|--restart|" + english("restart polic(?:y|ies)", "unless-stopped", "on-failure"),
                     re.IGNORECASE)
_STOPPED = re.compile(r"멈춘|멈춰\s*둔|멈춰\s*놓은|정지된|중지된|꺼진|꺼\s*둔|꺼\s*놓은|종료된|"
                      + english("stopped", "exited"), re.IGNORECASE)
_AGAIN = re.compile(r"다시\s*(?:켜|시작|실행|띄우|띄워|돌리|돌려|살리|살려)|재실행|"
                    + english(r"start\w* (?:\w+ ){0,3}again", "(?:re)?start (?:a |the |my |that )?(?:stopped|exited)",
                              "bring (?:it |them )?back"), re.IGNORECASE)
# Containers, not Docker itself: Docker Desktop or the daemon starting with the machine is a setting of theirs.
_CONTAINER = re.compile(r"컨테이너|컴포즈|" + english("containers?", "compose"), re.IGNORECASE)
_NOT_CONTAINERS = re.compile(r"데스크탑|데스크톱|데몬|systemctl|" + english("desktop", "daemon", "dockerd", "systemd"),
                             re.IGNORECASE)
# Code changed and reloaded is a development server's job, not a restart policy.
_RELOAD = re.compile(r"코드|소스|" + english("code", "source", "reload", "hot"), re.IGNORECASE)
# A container that exists already, whose policy is changed or turned off ("이미 떠 있는 컨테이너에 재시작 정책
# 추가", "자동 재시작 끄기"), or a policy looked up.
_EXISTING = re.compile(r"이미|기존|끄기|끄려면|꺼\s*줘|없애|해제|다시\s*안\s*만들|"
                       + english("already", "existing", "disable", "turn off", "stop it", "without recreating"),
                       re.IGNORECASE)
_LOOKUP = re.compile(r"확인|보는\s*법|조회|" + english("check", "which policy"), re.IGNORECASE)


def restart_page(question: str) -> str | None:
    """`run`, `update` or `inspect` for a question about a container's restart policy, `start` for a stopped one
    started again, else None."""
    named = _POLICY.search(question)  # (a policy named is a container's, whatever else the daemon does)
    if (_NOT_CONTAINERS.search(question) and not named) or _RELOAD.search(question):
        return None
    policy = named or (_CONTAINER.search(question) and _BY_ITSELF.search(question) and _BACK.search(question))
    if policy:
        if _LOOKUP.search(question) and not _EXISTING.search(question):
            return "inspect"
        return "update" if _EXISTING.search(question) else "run"
    return "start" if _CONTAINER.search(question) and _STOPPED.search(question) and _AGAIN.search(question) else None
