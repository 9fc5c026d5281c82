"""Start-up and connection: token checks, rejected tokens, reconnecting, managers, ``python -m bot``."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from bot.adapters.launch import run_chat
from bot.adapters.slack.app import run_slack
from bot.adapters.slack.people import Directory, parse_managers
from bot.adapters.slack.tokens import check_tokens
from bot.config import REPO_ROOT, ConfigError, Settings
from bot.core import Core
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.slack.conftest import RunningSlack


async def test_reconnects_after_the_websocket_drops(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.drop_connections()
    await fake.wait_connected(2, timeout=10)
    opened = [method for method, _ in fake.calls if method == "apps.connections.open"]
    assert len(opened) == 2  # a fresh URL for the new connection
    await fake.message("!help")
    [message] = await fake.wait_messages(1)
    assert "!explain" in message.readable


@pytest.mark.parametrize(("bot", "app", "expected"), [
    (BOT_TOKEN, None, "SLACK_APP_TOKEN is not set"),
    (None, APP_TOKEN, "SLACK_BOT_TOKEN is not set"),
    (APP_TOKEN, BOT_TOKEN, "SLACK_BOT_TOKEN holds a xapp-… token"),
    ("abc", APP_TOKEN, "SLACK_BOT_TOKEN does not look like the bot token"),
])
def test_missing_or_misplaced_tokens_are_named(
    make_settings: Callable[..., Settings], bot: str | None, app: str | None, expected: str
) -> None:
    values = {k: v for k, v in (("SLACK_BOT_TOKEN", bot), ("SLACK_APP_TOKEN", app)) if v}
    with pytest.raises(ConfigError) as caught:
        check_tokens(make_settings(**values).slack)
    assert expected in str(caught.value)
    for token in (BOT_TOKEN, APP_TOKEN, "abc"):
        assert token not in str(caught.value)  # tokens never appear in messages


@pytest.mark.parametrize(("which", "expected"), [
    ("bot", "Slack rejected SLACK_BOT_TOKEN: invalid_auth"),
    ("app", "Slack rejected SLACK_APP_TOKEN: invalid_auth"),
])
async def test_a_token_slack_rejects_stops_start_up_with_its_name(
    slack_core: Core, fake: FakeSlack, which: str, expected: str
) -> None:
    setattr(fake, f"{which}_token", f"x{which[0]}-other")  # Slack knows other tokens than ours
    with pytest.raises(ConfigError) as caught:
        await asyncio.wait_for(run_slack(slack_core, client=fake.client(BOT_TOKEN)), 5)
    assert str(caught.value) == expected
    assert fake.connections == 0 and "slack" not in slack_core.channels


async def test_run_chat_turns_a_token_problem_into_exit_code_2(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    core = await Core.start(make_settings(SLACK_BOT_TOKEN=BOT_TOKEN))
    try:
        with caplog.at_level(logging.ERROR):
            assert await run_chat(core) == 2
    finally:
        await core.close()
    assert "SLACK_APP_TOKEN is not set" in caplog.text


def test_python_m_bot_with_a_wrong_token_exits_2_without_a_traceback(tmp_path: os.PathLike[str]) -> None:
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_APP_TOKEN": APP_TOKEN,
           "XDG_STATE_HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN does not look like the bot token" in done.stderr
    assert "Traceback" not in done.stderr


async def test_configured_managers_and_admins(fake: FakeSlack) -> None:
    fake.add_user("U0OWNER", "owner", owner=True)
    fake.add_user("U0LEAD", "lead")
    directory = Directory(fake.client(), parse_managers("U0LEAD, U0NOBODY"))
    assert (await directory.actor("U0OWNER")).is_manager
    assert (await directory.actor("U0LEAD")).is_manager
    assert not (await directory.actor("U0ALICE")).is_manager
    calls = len(fake.calls)
    await directory.actor("U0ALICE")
    assert len(fake.calls) == calls  # cached


def test_a_malformed_manager_list_is_named() -> None:
    with pytest.raises(ConfigError, match="STUDYBOT_SLACK_MANAGERS"):
        parse_managers("U0LEAD, @bob")
