"""``!docker`` and ``/docker`` in Slack through the real Bolt app and the real engine: a member runs a detached
container, lists it, reads its logs and removes it; a practical quiz question answered by doing it in the lab."""

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


async def test_a_practical_question_is_answered_by_doing_it(slack: RunningSlack) -> None:
    fake, lab = slack.fake, slack.core.lab
    assert lab is not None
    owner = LabOwner(member="U0ALICE", server=f"slack:{TEAM_ID}")

    def posted(text: str) -> list[str]:
        return [m.readable for m in fake.messages if text in m.readable]

    try:
        await fake.message("!quiz lab registry")  # the tag exercise: one of its kind
        await fake.wait_for(lambda: bool(posted("Lab exercise")), timeout=30)
        exercise = next(m for m in fake.messages if "Lab exercise" in m.readable)
        assert "tag it as `myalpine:1`" in exercise.readable
        check = next(b["action_id"] for b in exercise.buttons if "Check my lab" in b["text"]["text"])

        await fake.wait_ack(await fake.click(exercise, check))
        await fake.wait_for(lambda: bool(posted("Not yet")), timeout=30)
        assert "there is no image `myalpine:1`" in posted("Not yet")[-1]

        await fake.message("!docker pull alpine")
        await fake.wait_for(lambda: bool(posted("$ docker pull alpine")), timeout=30)
        await fake.message("!docker tag alpine myalpine:1")
        await fake.wait_for(lambda: bool(posted("$ docker tag alpine myalpine:1")), timeout=30)

        await fake.wait_ack(await fake.click(exercise, check))
        await fake.wait_for(lambda: bool(posted("✅ Done!")), timeout=30)
        await fake.message("!stats")
        await fake.wait_for(lambda: bool(posted("Quiz stats")), timeout=30)
        assert "Answered *1*, correct *1* (100%)" in posted("Quiz stats")[-1]
    finally:
        await lab.reset(owner)
