"""Fetching an image and nothing more is `docker pull`; an image fetched on the way to something else is not."""

from __future__ import annotations

import pytest

from bot.explain.pulls import pull_page
from tests.explain.conftest import Ask


@pytest.mark.parametrize("question", [
    "이미지 받기만 하고 실행은 안 하려면", "이미지만 미리 받아두고 싶어", "이미지 다운만 하는 법",
    "download an image without running it", "how do I just pull an image",
    "nginx image를 run 하지 말고 받기만 하려면", "only pulling the image, not running it"])
def test_fetching_only_is_a_pull(question: str) -> None:
    assert pull_page(question) == "pull"


@pytest.mark.parametrize("question", [
    "nginx 이미지 받아서 바로 켜보려면 뭐 쳐",  # fetched to run it
    "받아놓은 이미지 하나 삭제하고 싶어 뭐 치면 됨?",  # an image fetched before
    "받아놓은 이미지 목록 보는 거 뭐임",
    "파일만 미리 받아두고 싶어"])  # no image
def test_an_image_fetched_on_the_way_is_no_pull(question: str) -> None:
    assert pull_page(question) is None


async def test_fetching_only_gets_docker_pull(ask: Ask) -> None:
    (reply,) = await ask("!explain 이미지 실행은 안 하고 받기만 하려면")
    assert reply.plain_text().startswith("Docker reference · docker pull"), reply.plain_text()
