"""Clearing things away in bulk is a `prune` command; removing one thing stays the notes' `rm`/`rmi`."""

from __future__ import annotations

import pytest

from bot.explain.sweep import swept
from tests.explain.conftest import Ask


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("exited 상태 컨테이너 잔뜩 쌓였는데 한방에 지우기", "container_prune"),
        ("How do I get rid of all my stopped containers at once?", "container_prune"),
        ("stopped containers are piling up, I want to clear them all out", "container_prune"),
        ("태그 없는 dangling 이미지만 골라서 지우는 명령", "image_prune"),
        ("쌓인 볼륨 때문에 용량이 모자라요. 어떤 컨테이너도 안 쓰고 있는 볼륨만 골라서 치우고 싶어요.", "volume_prune"),
        ("디스크가 꽉 찼어 도커가 쌓아둔 쓰레기 한 방에 정리하는 법", "system_prune"),
        ("disk is full because of docker, how do I clean up everything unused", "system_prune"),
        ("안 쓰는 네트워크랑 볼륨 싹 정리", "system_prune"),
    ],
)
def test_a_bulk_clean_up_is_a_prune(question: str, page: str) -> None:
    assert swept(question) == page


@pytest.mark.parametrize(
    "question",
    [
        "컨테이너 지우는 법",
        "실습 다 끝나서 정리하려고 하는데, 이미 멈춰 있는 컨테이너는 어떻게 없애나요?",  # 다 끝나서: not 다 지우기
        "안 쓰는 이미지 하나씩 지우고 싶은데 용량 너무 먹어",  # one by one
        "mysql 컨테이너 지우고 다시 만들었더니 테이블이 싹 사라졌어요. 데이터를 바깥에 보관하는 방법이 있나요?",
        "I keep losing all the data every time I remove and recreate it",
        "컨테이너 다 지우고 이미지까지 지우려면 뭐 쳐야 됨",  # two questions, answered half by half
        "이미지 빌드 중에 임시 컨테이너가 생겼다 지워졌다 한다던데 진짜인가요?",
        "핸드폰 용량 꽉 차서 사진 싹 지우고 싶어",  # not Docker's
        "remove all images from my website",
        "컨테이너 로그 전부 지우기",  # what is in them, not the containers
        "이미지 태그 전부 지우기",
        "which command lists all containers clearly?",  # clearly is no clear
    ],
)
def test_removing_one_thing_or_a_story_is_no_sweep(question: str) -> None:
    assert swept(question) is None


async def test_a_bulk_clean_up_gets_the_prune_page(ask: Ask) -> None:
    (reply,) = await ask("!explain 멈춘 컨테이너 잔뜩 쌓였는데 한꺼번에 싹 정리하는 법")
    assert reply.plain_text().startswith("Docker reference · docker container prune"), reply.plain_text()
    (one,) = await ask("!explain 컨테이너 하나 지우고 싶은데 뭐 쳐야 함?")
    assert one.title == "rm · 명령어"
    (typed,) = await ask("!explain docker volume ls 하면 볼륨이 수십 개 나오는데 전부 지워도 되나요")
    assert typed.plain_text().startswith("Docker reference · docker volume prune"), typed.plain_text()
