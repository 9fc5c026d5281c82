"""A container coming back by itself is a restart policy (`docker run --restart`, `docker update` to change one,
`docker inspect` to look it up), a stopped one started again is `docker start`; neither is `docker restart`."""

from __future__ import annotations

import pytest

from bot.explain.restarts import restart_page
from tests.explain.conftest import Ask


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("서버 재부팅돼도 컨테이너가 자동으로 다시 뜨게 하려면?", "run"),
        ("how do I make a container come back up automatically if it crashes", "run"),
        ("Can I change the restart policy of a container that's already running without recreating it?", "update"),
        ("이미 떠 있는 컨테이너에 재시작 정책 추가하려면", "update"),
        ("멈춘 컨테이너 다시 켜는 명령어 뭐였지? 기존 거 그대로", "start"),
        ("how do I start a stopped container again", "start"),
        ("서버 껐다 켜도 컨테이너 살아있게", "run"),
        ("--restart=always 뭐에요", "run"),
        ("컨테이너 자동 재시작 끄기", "update"),
        ("컨테이너 재시작 정책 확인하는 법", "inspect"),
        ("server reboot돼도 container가 auto로 restart되게", "run"),  # (English words with Korean particles)
        # a policy named is a container's, whatever the daemon does
        ("unless-stopped 랑 always 정책 차이? 데몬 재시작할 때 다르다던데", "run"),
    ],
)
def test_coming_back_by_itself_is_a_restart_policy(question: str, page: str) -> None:
    assert restart_page(question) == page


@pytest.mark.parametrize(
    "question",
    [
        "컨테이너 재시작하는 법",  # once, now: docker restart
        "멈춘 컨테이너 지우는 법",
        "윈도우 업데이트하고 재시작하면 계속 무한 재부팅돼요",  # no container
        "테스트 끝나면 컨테이너 자동으로 삭제되게",
        "맥 재부팅 후 도커 자동으로 다시 켜기",  # Docker Desktop's own setting
        "systemctl enable docker 하면 부팅 때 도커 자동으로 다시 시작돼?",
        "코드 바꾸면 자동으로 컨테이너 다시 시작",  # a reloading server
    ],
)
def test_other_restarts_are_no_policy(question: str) -> None:
    assert restart_page(question) is None


async def test_a_restart_policy_question_gets_docker_run(ask: Ask) -> None:
    (reply,) = await ask("!explain 서버 재부팅해도 컨테이너가 알아서 다시 올라왔으면 좋겠어")
    assert reply.plain_text().startswith("Docker reference · docker run"), reply.plain_text()
    (once,) = await ask("!explain restart a container")
    assert once.plain_text().startswith("Docker reference · docker restart"), once.plain_text()
