"""Looking up the host ports a container was given is `docker port`; setting one up stays `-p`, declaring one
EXPOSE."""

from __future__ import annotations

import pytest

from bot.explain.ports import port_page
from tests.explain.conftest import Ask


@pytest.mark.parametrize("question", [
    "컨테이너를 띄워놓긴 했는데 호스트의 몇 번 포트에 물렸는지 기억이 안 나요. 확인할 방법 있을까요?",
    "which host port got mapped to my container's port 80?", "컨테이너 포트 매핑 확인",
    "container의 80 port가 host 몇 번에 물렸는지 확인"])  # (English words with Korean particles)
def test_looking_up_published_ports_is_docker_port(question: str) -> None:
    assert port_page(question) == "port"


@pytest.mark.parametrize("question", [
    "호스트 포트 몇 번으로 매핑하려면", "which port is the host one in -p 8080:80",
    "컨테이너가 몇번 포트 쓰는지 Dockerfile에 적어두는 거 뭐였더라", "8080 포트 연결하는 법"])
def test_setting_up_or_declaring_a_port_is_no_lookup(question: str) -> None:
    assert port_page(question) is None


async def test_a_port_lookup_gets_docker_port(ask: Ask) -> None:
    (reply,) = await ask("!explain which host port got mapped to my container's port 80?")
    assert reply.plain_text().startswith("Docker reference · docker port"), reply.plain_text()
    (flag,) = await ask("!explain 호스트 8080을 컨테이너 80에 연결하려면 옵션 뭐 줘야돼")
    assert flag.title == "-p · 명령어"
