"""Configuration from the environment and an optional ``.env`` file, checked at start.

Every setting is an environment variable (``STUDYBOT_…``, chat tokens under their
usual names). A bad value stops start-up with one clear line per bad variable;
tokens never appear in messages or logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def default_state_path() -> Path:
    """``$XDG_STATE_HOME/studybot/studybot.sqlite3``: runtime state lives outside ``data/``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "studybot" / "studybot.sqlite3"


class ConfigError(Exception):
    """Raised with a message meant for the person starting the bot."""


def _check_secret(text: str) -> str:
    secret = text.strip()
    if len(secret) < 16 or any(ch.isspace() or not ch.isprintable() for ch in secret):
        raise ValueError("must be at least 16 printable characters without spaces")
    return secret


def _is_runner_url(url: str) -> bool:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  # a port that is not a number in range raises ValueError
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment


def read_secret_file(path: Path) -> str | None:
    """The secret in ``path`` (surrounding white space dropped), or None when the file is empty: plain
    ``docker compose`` mounts an empty file at the secret's place when no secret file is given."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ValueError(f"cannot read {str(path)[:200]}: {reason}") from None
    if not text.strip():
        return None
    try:
        return _check_secret(text)
    except ValueError as exc:
        raise ValueError(f"the secret in {str(path)[:200]} {exc}") from None


class Settings(BaseSettings):
    """All settings, from the environment or `.env` (listed with their defaults in README.md)."""

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
    slack_managers: str = Field(
        default="", description="Slack user ids (comma-separated) who may manage the bot besides workspace admins."
    )
    prefix: str = Field(default="!", description="Command prefix for text commands.")
    db_path: Path = Field(default_factory=default_state_path, description="SQLite state file.")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Shipped content (glossary, quizzes).")
    notes_dir: Path | None = Field(
        default=None, description="Folder of Markdown study notes (default: <data_dir>/notes)."
    )
    reference_dir: Path | None = Field(
        default=None, description="Docker's reference docs (Debian docker-doc); auto-detected when unset."
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
    sharded: bool = Field(default=False, description="Run Discord with AutoShardedBot (large bots).")
    shard_count: int | None = Field(
        default=None, ge=1, description="Number of shards with STUDYBOT_SHARDED (default: Discord's advice)."
    )

    # --- sandbox (!run) settings: owned by bot/sandbox ---
    sandbox_enabled: bool = Field(
        default=True, description="Offer !run (needs a Docker engine; DOCKER_HOST is honoured)."
    )
    sandbox_images: str = Field(
        default="alpine, busybox, python:3-alpine, node:alpine",
        description="Images !run may use, comma-separated (`name[:tag]`; `name:*` allows any tag).",
    )
    sandbox_runtime: Literal["auto", "runsc", "runc"] = Field(
        default="auto", description="Container runtime: gVisor (runsc) when the engine has it (auto), or forced."
    )
    sandbox_timeout: float = Field(default=10.0, gt=0, le=300, description="Wall-clock seconds per run.")
    sandbox_memory_mib: int = Field(default=128, ge=8, le=8192, description="Memory per run, MiB (no swap).")
    sandbox_cpus: float = Field(default=0.5, gt=0, le=64, description="CPU quota per run.")
    sandbox_pids: int = Field(default=64, ge=8, le=4096, description="Processes per run.")
    sandbox_tmp_mib: int = Field(default=16, ge=1, le=1024, description="Size of the writable /tmp, MiB.")
    sandbox_output_kib: int = Field(default=1024, ge=4, le=65536, description="Output kept per run, KiB.")
    sandbox_max_running: int = Field(default=0, ge=0, le=256, description="Runs at once (0: CPU count).")
    sandbox_max_queue: int = Field(default=16, ge=0, le=1000, description="Runs waiting for a slot.")
    sandbox_cooldown: float = Field(default=3.0, ge=0, le=3600, description="Seconds between runs per member.")
    sandbox_pull_timeout: float = Field(default=120.0, gt=0, le=3600, description="Seconds per image pull.")
    sandbox_prefetch: bool = Field(default=True, description="Pull missing allowed images in the background.")
    sandbox_sweep_interval: float = Field(default=300.0, ge=5, description="Seconds between leftover sweeps.")
    sandbox_owner: str = Field(
        default="studybot", pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$",
        description="Value of the studybot.sandbox label on this bot's containers.",
    )

    sandbox_url: str | None = Field(
        default=None,
        description="URL of a `python -m bot runner` service (e.g. http://runner:8080), or several, "
        "comma-separated; each name counts for every address it resolves to (on a Swarm, tasks.runner lists "
        "every runner) and runs go to the least busy healthy runner. When set, !run goes there and this "
        "process never touches Docker. Unset: the sandbox runs in-process.",
    )
    sandbox_token: SecretStr | None = Field(
        default=None,
        description="Shared secret between the bot and the sandbox runner (the runner refuses fewer than 32 "
        "characters and the .env.example placeholder; e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`).",
    )
    sandbox_token_file: Path | None = Field(
        default=None,
        description="A file holding the shared secret instead (a Swarm or compose secret such as "
        "/run/secrets/sandbox_token); an empty file counts as unset; set together with STUDYBOT_SANDBOX_TOKEN, "
        "both must hold the same secret.",
    )
    sandbox_request_timeout: float = Field(
        default=600.0, ge=5, le=7200, description="Longest the bot waits for one run from the runner (queue included)."
    )
    sandbox_runner_host: str = Field(
        default="127.0.0.1", description="Address `python -m bot runner` listens on (0.0.0.0 needs a token)."
    )
    sandbox_runner_port: int = Field(default=8080, ge=0, le=65535, description="Port of `python -m bot runner`.")
    sandbox_shutdown_grace: float = Field(
        default=15.0, ge=0, le=300, description="On SIGTERM, seconds the runner lets running sandboxes finish."
    )

    @field_validator("sandbox_images")
    @classmethod
    def _check_images(cls, value: str) -> str:
        from bot.sandbox.images import parse_allow_list

        parse_allow_list(value)  # raises ValueError naming the bad entry
        return value

    @field_validator("sandbox_url")
    @classmethod
    def _check_sandbox_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        urls = [url.strip().rstrip("/") for url in value.split(",") if url.strip()]
        for url in urls:
            if not _is_runner_url(url):
                raise ValueError(
                    f"{url[:80]!r} is not an http:// or https:// URL such as http://runner:8080 "
                    "(several are separated by commas)"
                )
        if len(set(urls)) != len(urls):
            raise ValueError("names the same URL twice")
        return ",".join(urls) or None

    @field_validator("sandbox_token")
    @classmethod
    def _check_sandbox_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(_check_secret(value.get_secret_value()))

    @field_validator("sandbox_token_file", mode="before")
    @classmethod
    def _empty_file_setting(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("sandbox_token_file")
    @classmethod
    def _check_sandbox_token_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        secret = read_secret_file(value) if value is not None else None
        given = info.data.get("sandbox_token")
        if secret is not None and given is not None and given.get_secret_value() != secret:
            raise ValueError(
                "holds a different secret than STUDYBOT_SANDBOX_TOKEN: set only one of them (or the same secret "
                "in both)"
            )
        return value

    @model_validator(mode="after")
    def _token_from_file(self) -> Settings:
        """The secret file fills in STUDYBOT_SANDBOX_TOKEN when that is unset (checked above when both are)."""
        if self.sandbox_token is None and self.sandbox_token_file is not None:
            secret = read_secret_file(self.sandbox_token_file)
            if secret is not None:
                self.sandbox_token = SecretStr(secret)
        return self

    @property
    def sandbox_urls(self) -> list[str]:
        """The runner URLs of ``STUDYBOT_SANDBOX_URL`` (empty: the sandbox runs in-process)."""
        return self.sandbox_url.split(",") if self.sandbox_url else []
    # --- end sandbox settings ---

    # --- quiz settings: owned by bot/quiz ---
    quiz_dir: Path | None = Field(
        default=None, description="Folder of quiz banks (*.yaml); default: <data_dir>/quizzes."
    )
    quiz_question_seconds: float = Field(
        default=20.0, ge=5, le=300, description="Seconds each quiz question stays open."
    )
    quiz_pause_seconds: float = Field(default=3.0, ge=0, le=60, description="Pause between quiz questions.")
    quiz_default_count: int = Field(default=5, ge=1, le=50, description="Questions in a round by default.")
    quiz_max_count: int = Field(default=20, ge=1, le=50, description="Most questions in one round.")
    quiz_generated: bool = Field(
        default=True, description="Also ask questions generated from the notes, not only the YAML banks."
    )
    quiz_tick_seconds: float = Field(
        default=30.0, ge=1, le=600, description="How often the quiz scheduler looks for due schedules."
    )
    quiz_grace_minutes: float = Field(
        default=60.0, ge=0, le=1440,
        description="A scheduled quiz missed while the bot was down is posted late within this many minutes.",
    )
    quiz_timezone: str = Field(
        default="UTC", description="Time zone of the day boundary for quiz streaks (IANA name, e.g. Asia/Seoul)."
    )

    @field_validator("quiz_timezone")
    @classmethod
    def _check_quiz_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone (use an IANA name like Asia/Seoul or UTC)") from None
        return value
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
