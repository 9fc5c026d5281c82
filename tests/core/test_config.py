"""Settings: defaults, .env, sections, flat overrides, and one clear line per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_keep_state_outside_data(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.prefix == "!" and settings.lang == "en"
    assert "data" not in settings.db_path.parts
    assert str(settings.db_path).startswith(str(tmp_path / "state"))
    assert not settings.discord.enabled and not settings.slack.enabled
    assert settings.notes.path == settings.data_dir / "notes"
    assert settings.quiz.path == settings.data_dir / "quizzes"
    moved = load_settings(data_dir=tmp_path / "content")  # both folders follow STUDYBOT_DATA_DIR
    assert (moved.notes.path, moved.quiz.path) == (tmp_path / "content" / "notes", tmp_path / "content" / "quizzes")


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "STUDYBOT_PREFIX=?\nSTUDYBOT_LANG=KO\nDISCORD_TOKEN=abc\nSTUDYBOT_SANDBOX_TIMEOUT=7\n"
        "STUDYBOT_QUIZ_TIMEZONE=Asia/Seoul\nSTUDYBOT_SLACK_MANAGERS=U1\nSTUDYBOT_NOTES_DIR=mine\n"
    )
    settings = load_settings()
    assert (settings.prefix, settings.lang, settings.discord.enabled) == ("?", "ko", True)
    assert (settings.sandbox.timeout, settings.quiz.timezone, settings.slack.managers) == (7, "Asia/Seoul", "U1")
    assert settings.notes.path == Path("mine")
    # _env_file=None switches the file off for every section.
    plain = load_settings(_env_file=None)
    assert (plain.prefix, plain.discord.enabled, plain.sandbox.timeout, plain.quiz.timezone) == ("!", False, 10, "UTC")
    assert plain.slack.managers == "" and plain.notes.path == plain.data_dir / "notes"


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


def test_bad_values_in_several_sections_are_named_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_SANDBOX_TIMEOUT", "abc")
    monkeypatch.setenv("STUDYBOT_QUIZ_TIMEZONE", "Mars/X")
    monkeypatch.setenv("STUDYBOT_SANDBOX_TOKEN", "short token")
    with pytest.raises(ConfigError) as info:
        load_settings()
    lines = str(info.value).splitlines()
    assert lines[0] == "Bad configuration:" and len(lines) == 4
    assert any(line.startswith("  STUDYBOT_SANDBOX_TIMEOUT: ") and "(got 'abc')" in line for line in lines)
    assert any(line.startswith("  STUDYBOT_QUIZ_TIMEZONE: unknown time zone") for line in lines)
    assert any(line.startswith("  STUDYBOT_SANDBOX_TOKEN: ") for line in lines)
    assert "short token" not in str(info.value)


def test_flat_overrides_go_to_their_sections(tmp_path: Path) -> None:
    settings = load_settings(
        db_path=tmp_path / "s.sqlite3", sandbox_timeout=2, quiz_question_seconds=5, notes_dir=tmp_path,
        reference_dir=tmp_path / "ref", slack_managers="U1", sharded=True, DISCORD_TOKEN="abc",
    )
    assert settings.db_path == tmp_path / "s.sqlite3"
    assert (settings.sandbox.timeout, settings.quiz.question_seconds) == (2, 5)
    assert (settings.notes.path, settings.notes.reference_dir) == (tmp_path, tmp_path / "ref")
    assert (settings.slack.managers, settings.discord.sharded, settings.discord.enabled) == ("U1", True, True)


def test_an_unknown_override_is_refused() -> None:
    with pytest.raises(TypeError, match=r"'sandbox_timout'.*did you mean 'sandbox_timeout'"):
        load_settings(sandbox_timout=2)
    with pytest.raises(TypeError, match="'timeout'"):
        load_settings(timeout=2)  # a section's own field name is not a setting's name


def test_env_example_documents_every_setting() -> None:
    from bot.config import REPO_ROOT, variables

    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in variables():
        assert f"{name}=" in example, name
