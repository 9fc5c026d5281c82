"""The Slack app manifest in docs/slack.md declares every command the core installs, each described by its
``CommandSpec``: the summary (``t("en", spec.summary_key)``) as description, the usage line's arguments
(``spec.usage`` without the name) as usage hint."""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.config import REPO_ROOT
from bot.core import Core
from bot.i18n import t

SLACK_DOC = REPO_ROOT / "docs" / "slack.md"


def manifests() -> list[dict[str, Any]]:
    """Every YAML block of docs/slack.md that declares slash commands (it must parse)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", SLACK_DOC.read_text(encoding="utf-8"), re.M | re.S)
    found = [yaml.safe_load(block) for block in blocks]
    return [m for m in found if isinstance(m, dict) and "slash_commands" in m.get("features", {})]


def test_the_manifest_is_one_valid_slack_manifest() -> None:
    (manifest,) = manifests()
    assert "slash_commands:" not in (REPO_ROOT / "README.md").read_text(encoding="utf-8"), "one copy: docs/slack.md"
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]
    for command in manifest["features"]["slash_commands"]:
        assert set(command) <= {"command", "description", "usage_hint", "should_escape"}, command
        assert re.fullmatch(r"/[a-z][a-z0-9_-]*", command["command"]), command
        assert command["should_escape"] is False, command  # the bot reads the raw text, as `!x` does


async def test_each_slash_command_is_described_by_its_spec(quiet_core: Core) -> None:
    (manifest,) = manifests()
    documented = {command["command"]: command for command in manifest["features"]["slash_commands"]}
    expected = {}
    for command in quiet_core.commands.values():
        spec = command.spec
        entry = {"command": f"/{spec.name}", "description": t("en", spec.summary_key), "should_escape": False}
        hint = spec.usage.removeprefix(spec.name).strip()
        if hint:
            entry["usage_hint"] = hint
        expected[entry["command"]] = entry
    assert documented == expected
    assert list(documented) == list(expected), "list them in the order !help does"
