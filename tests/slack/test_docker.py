"""``!docker`` and ``/docker`` in Slack through the real Bolt app and the real engine: a member runs a detached
container, lists it, reads its logs and removes it."""

from __future__ import annotations

import asyncio

import pytest

from bot.sandbox.lab.port import LabOwner
from tests.fakes.slack_server import TEAM_ID
from tests.slack.conftest import RunningSlack

pytestmark = pytest.mark.docker


async def test_a_member_runs_lists_reads_and_removes_a_container(slack: RunningSlack) -> None:
    fake, lab = slack.fake, slack.core.lab
    assert lab is not None
    owner = LabOwner(member="U0ALICE", server=f"slack:{TEAM_ID}")

    def answered(title: str) -> list[str]:
        return [m.readable for m in fake.messages if title in m.readable]

    try:
        await fake.message("!docker run -d --name web alpine sh -c 'echo tock; sleep 60'")
        await fake.wait_for(lambda: bool(answered("$ docker run -d --name web")), timeout=30)
        await fake.slash("/docker", "ps")
        await fake.wait_for(lambda: bool(answered("$ docker ps")), timeout=30)
        [table] = answered("$ docker ps")
        assert "CONTAINER ID" in table and "web" in table and "Up " in table
        for _ in range(50):  # the container may not have printed yet
            count = len(answered("$ docker logs web"))
            await fake.message("!docker logs web")
            await fake.wait_for(lambda n=count: len(answered("$ docker logs web")) > n, timeout=30)
            if "tock" in answered("$ docker logs web")[-1]:
                break
            await asyncio.sleep(0.1)
        assert "tock" in answered("$ docker logs web")[-1]
        await fake.message("!docker rm -f web")
        await fake.wait_for(lambda: bool(answered("$ docker rm -f web")), timeout=30)
        assert (await lab.state(owner)).containers == ()
    finally:
        await lab.reset(owner)
