"""Questions that look up which host port a running container was given ("호스트 몇 번 포트에 물렸는지 확인", "which
host port got mapped to my container's port 80?"): `docker port`. Setting one up is `-p` (the notes'), and the port
an image declares is EXPOSE: a question about a Dockerfile, about making a port reachable or typing `-p` looks
nothing up.
"""

from __future__ import annotations

import re

from bot.explain.wording import english

_PORT = re.compile(r"포트|" + english("ports?"), re.IGNORECASE)
_MAPPED = re.compile(r"호스트|매핑|물려|물렸|연결돼|연결됐|" + english("host", "mapped", r"publish\w*", "bound"),
                     re.IGNORECASE)
_LOOKUP = re.compile(r"확인|알아내|알아보|기억이\s*안|몇\s*번|"
                     + english("which", "what", "check", "find out", "look up"), re.IGNORECASE)
_NOT_LOOKUP = re.compile(r"도커\s*파일|docker\s*file|적어|선언|하려면|열어|열려면|연결하|"
                         r"(?<![\w-])(?-i:-p)\b|--publish|"  # (-p typed: its syntax; -P publishes them all)
                         + english("declare", "document", "listens?", "make", "expose"), re.IGNORECASE)


def port_page(question: str) -> str | None:
    """`port` for a question looking up a container's published ports, else None."""
    if _NOT_LOOKUP.search(question):
        return None
    return "port" if _PORT.search(question) and _MAPPED.search(question) and _LOOKUP.search(question) else None
