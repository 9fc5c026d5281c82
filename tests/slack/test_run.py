"""`!run` and `/run` in Slack, against the real Docker engine: output in the channel, the full output as a file."""

from __future__ import annotations

import pytest

from tests.slack.conftest import RunningSlack

pytestmark = pytest.mark.docker


@pytest.mark.parametrize("how", ["message", "slash"])
async def test_run_answers_in_the_channel(slack: RunningSlack, how: str) -> None:
    fake = slack.fake
    if how == "message":
        await fake.message("!run alpine echo hi from slack")
    else:
        await fake.slash("/run", "alpine echo hi from slack")
    await fake.wait_for(lambda: any("exit 0" in m.readable for m in fake.messages), timeout=30)
    reply = next(m for m in fake.messages if "exit 0" in m.readable)
    assert "hi from slack" in reply.readable and reply.channel == "C0GENERAL"


async def test_long_run_output_is_uploaded_as_a_file(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!run alpine seq 1 3000")
    await fake.wait_for(lambda: bool(fake.files), timeout=30)
    [upload] = fake.files
    assert upload.filename == "output.txt" and upload.channel == "C0GENERAL"
    lines = upload.data.decode().splitlines()
    assert len(lines) == 3000 and lines[-1] == "3000"
