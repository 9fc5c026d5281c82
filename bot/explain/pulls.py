"""Questions that fetch an image without running it ("이미지 실행은 안 하고 받기만", "download an image without
running it"): `docker pull`. The notes name pulling only in passing, and an image fetched on the way to running it
("nginx 이미지 받아서 바로 켜보려면") is `docker run`'s question, so only fetching alone counts: 받기만, 받아만,
다운로드만, 미리 받아두기, or an English download or pull without running.
"""

from __future__ import annotations

import re

from bot.explain.wording import english

_IMAGE = re.compile(r"이미지|" + english("images?"), re.IGNORECASE)
# (after the image in Korean: 받아놓은 이미지 is an image fetched before, and the question is about it)
_ONLY_FETCH_KO = re.compile(r"받기만|받아만|받아\s*두|받아\s*놓|미리\s*받|다운(?:로드)?(?:\s*받)?(?:기)?만")
_ONLY_FETCH_EN = re.compile(
    english(r"(?:just|only) (?:download|pull|fetch)\w*",
            r"(?:download|pull|fetch)\w* (?:\w+ ){0,3}(?:without|but not) (?:running|starting)"), re.IGNORECASE)


def pull_page(question: str) -> str | None:
    """`pull` for a question fetching an image and nothing more, else None."""
    image = _IMAGE.search(question)
    if image is None:
        return None
    return "pull" if _ONLY_FETCH_KO.search(question, image.end()) or _ONLY_FETCH_EN.search(question) else None
