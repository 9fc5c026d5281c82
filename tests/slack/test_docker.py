"""``!docker`` and ``/docker`` in Slack through the real Bolt app: a member runs a detached container, lists it,
reads its logs and removes it. The lab is a :class:`RecordingLab` answering as the CLI does (the way in and out
is what this checks: owner, argv, the CLI's output in a code block)."""

from __future__ import annotations

from bot.sandbox.lab.port import LabAnswer, LabOwner
from tests.fakes.slack_server import TEAM_ID
from tests.lab.recording import RecordingLab
from tests.slack.conftest import RunningSlack

CONTAINER_ID = "9a8b7c6d5e4f" + "1" * 52
PS = (
    "CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS         PORTS     NAMES\n"
    "9a8b7c6d5e4f   alpine    \"sleep 300\"   2 seconds ago   Up 1 second              web\n"
)


async def test_a_member_runs_lists_reads_and_removes_a_container(slack: RunningSlack) -> None:
    fake = slack.fake
    lab = RecordingLab(answers=[LabAnswer(0, CONTAINER_ID + "\n"), LabAnswer(0, PS), LabAnswer(0, "started\n"),
                                LabAnswer(0, "web\n")])
    slack.core.lab = lab

    await fake.message("!docker run -d --name web alpine sleep 300")
    await fake.wait_for(lambda: any(CONTAINER_ID in m.readable for m in fake.messages), timeout=10)
    await fake.slash("/docker", "ps")
    await fake.wait_for(lambda: any("Up 1 second" in m.readable for m in fake.messages), timeout=10)
    await fake.message("!docker logs web")
    await fake.wait_for(lambda: any("$ docker logs web" in m.readable for m in fake.messages), timeout=10)
    await fake.message("!docker rm web")
    await fake.wait_for(lambda: any("$ docker rm web" in m.readable for m in fake.messages), timeout=10)

    run, ps, logs, rm = (next(m for m in fake.messages if title in m.readable) for title in
                         ("$ docker run -d", "$ docker ps", "$ docker logs web", "$ docker rm web"))
    assert f"```{CONTAINER_ID}```" in run.readable.replace("\n", "")
    assert "NAMES" in ps.readable and "started" in logs.readable and "web" in rm.readable.split("$ docker rm web")[1]
    owner = LabOwner(member="U0ALICE", server=f"slack:{TEAM_ID}")
    assert [(r.owner, r.argv) for r in lab.requests] == [
        (owner, ("run", "-d", "--name", "web", "alpine", "sleep", "300")), (owner, ("ps",)),
        (owner, ("logs", "web")), (owner, ("rm", "web")),
    ]
