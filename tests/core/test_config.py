"""Settings: defaults, .env, and one clear line per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_keep_state_outside_data(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.prefix == "!" and settings.lang == "en"
    assert "data" not in settings.db_path.parts
    assert str(settings.db_path).startswith(str(tmp_path / "state"))
    assert not settings.has_discord


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("STUDYBOT_PREFIX=?\nSTUDYBOT_LANG=KO\nDISCORD_TOKEN=abc\n")
    settings = load_settings()
    assert (settings.prefix, settings.lang, settings.has_discord) == ("?", "ko", True)


def test_each_bad_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_PREFIX", "a b")
    monkeypatch.setenv("STUDYBOT_LANG", "fr")
    monkeypatch.setenv("STUDYBOT_LOG_LEVEL", "loud")
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token-value")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "STUDYBOT_PREFIX: must be 1 to 5 characters with no spaces" in message
    assert "STUDYBOT_LANG" in message and "STUDYBOT_LOG_LEVEL" in message
    assert "secret-token-value" not in message


def test_env_example_documents_every_setting() -> None:
    from bot.config import REPO_ROOT, Settings, _variable_name

    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"{_variable_name((name,))}=" in example, name
