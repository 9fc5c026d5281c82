"""Configuration from the environment and an optional ``.env`` file, checked at start.

Every setting is an environment variable (``STUDYBOT_…``, chat tokens under their
usual names). A bad value stops start-up with one clear line per bad variable;
tokens never appear in messages or logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def default_state_path() -> Path:
    """``$XDG_STATE_HOME/studybot/studybot.sqlite3``: runtime state lives outside ``data/``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "studybot" / "studybot.sqlite3"


class ConfigError(Exception):
    """Raised with a message meant for the person starting the bot."""


class Settings(BaseSettings):
    """All settings. Field docs are shown by ``python -m bot config``."""

    model_config = SettingsConfigDict(
        env_prefix="STUDYBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "STUDYBOT_DISCORD_TOKEN"),
        description="Discord bot token; when set, `python -m bot` runs the Discord bot.",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "STUDYBOT_SLACK_BOT_TOKEN"),
        description="Slack bot token (xoxb-…).",
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "STUDYBOT_SLACK_APP_TOKEN"),
        description="Slack app-level token for Socket Mode (xapp-…).",
    )
    prefix: str = Field(default="!", description="Command prefix for text commands.")
    db_path: Path = Field(default_factory=default_state_path, description="SQLite state file.")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Shipped content (glossary, quizzes).")
    notes_dir: Path | None = Field(
        default=None, description="Folder of Markdown study notes (default: <data_dir>/notes)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Log level."
    )
    lang: Literal["en", "ko"] = Field(default="en", description="Language of the bot's own replies.")
    sync_commands: bool = Field(
        default=True, description="Sync slash commands with Discord at start."
    )
    dev_guild_id: int | None = Field(
        default=None, description="Sync slash commands to this guild only (instant, for development)."
    )

    # --- sandbox (!run) settings: owned by bot/sandbox ---
    # --- end sandbox settings ---

    # --- quiz settings: owned by bot/quiz ---
    # --- end quiz settings ---

    @field_validator("prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        if not 1 <= len(value) <= 5 or any(ch.isspace() for ch in value):
            raise ValueError("must be 1 to 5 characters with no spaces")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("lang", mode="before")
    @classmethod
    def _lower_lang(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def notes_path(self) -> Path:
        return self.notes_dir if self.notes_dir is not None else self.data_dir / "notes"

    @property
    def has_discord(self) -> bool:
        return bool(self.discord_token and self.discord_token.get_secret_value().strip())

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token or self.slack_app_token)


def _variable_name(loc: tuple[object, ...]) -> str:
    field_name = str(loc[0]) if loc else "?"
    info = Settings.model_fields.get(field_name)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"STUDYBOT_{field_name.upper()}" if field_name in Settings.model_fields else field_name


def load_settings(**overrides: object) -> Settings:
    """Read and check settings; raise :class:`ConfigError` naming each bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = _variable_name(err["loc"])
            shown = "" if "token" in name.lower() else f" (got {err.get('input')!r})"
            lines.append(f"{name}: {err['msg'].removeprefix('Value error, ')}{shown}")
        raise ConfigError("Bad configuration:\n  " + "\n  ".join(lines)) from None
