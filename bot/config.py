"""Configuration from the environment and an optional ``.env`` file, checked at start.

Every setting is an environment variable (``STUDYBOT_…``, chat tokens under their
usual names). :class:`Settings` holds the general ones and one section per owner
(``settings.discord``, ``.slack``, ``.notes``, ``.sandbox``, ``.quiz``), as python-discord's
``constants.py`` does, but injected, never global. A bad value stops start-up with one clear
line per bad variable, across every section; tokens never appear in messages or logs.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
from pathlib import Path
from typing import Literal, NamedTuple
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
from pydantic.fields import FieldInfo
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


# Every section reads the same sources: the environment, then ``.env`` (``load_settings(_env_file=None)``
# switches the file off for all of them at once).
_SOURCES = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class DiscordSettings(BaseSettings):
    """Discord: owned by ``bot/adapters/discord`` (and its cogs). ``settings.discord``."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_", **_SOURCES)

    token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "STUDYBOT_DISCORD_TOKEN"),
        description="Discord bot token; when set, `python -m bot` runs the Discord bot.",
    )
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

    @property
    def enabled(self) -> bool:
        """A Discord token is set: ``python -m bot`` runs on Discord."""
        return bool(self.token and self.token.get_secret_value().strip())


class SlackSettings(BaseSettings):
    """Slack: owned by ``bot/adapters/slack``. ``settings.slack``."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_SLACK_", **_SOURCES)

    bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "STUDYBOT_SLACK_BOT_TOKEN"),
        description="Slack bot token (xoxb-…).",
    )
    app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "STUDYBOT_SLACK_APP_TOKEN"),
        description="Slack app-level token for Socket Mode (xapp-…).",
    )
    managers: str = Field(
        default="", description="Slack user ids (comma-separated) who may manage the bot besides workspace admins."
    )

    @property
    def enabled(self) -> bool:
        """A Slack token is set: ``python -m bot`` runs on Slack (and says which token is missing, if one is)."""
        return bool(self.bot_token or self.app_token)


class NotesSettings(BaseSettings):
    """The study notes and Docker's reference, what ``!explain`` answers from: owned by ``bot/notes`` and
    ``bot/reference``. ``settings.notes``."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_NOTES_", **_SOURCES)

    dir: Path | None = Field(
        default=None, description="Folder of Markdown study notes (default: <data_dir>/notes)."
    )
    reference_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("STUDYBOT_REFERENCE_DIR"),
        description="Docker's reference docs (Debian docker-doc); auto-detected when unset.",
    )

    @property
    def path(self) -> Path:
        """The notes folder. :class:`Settings` fills in ``<data_dir>/notes`` when STUDYBOT_NOTES_DIR is unset."""
        return self.dir if self.dir is not None else DEFAULT_DATA_DIR / "notes"


class SandboxSettings(BaseSettings):
    """``!run``'s sandbox: owned by ``bot/sandbox`` (which takes only this section). ``settings.sandbox``."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_SANDBOX_", **_SOURCES)

    enabled: bool = Field(
        default=True, description="Offer !run (needs a Docker engine; DOCKER_HOST is honoured)."
    )
    images: str = Field(
        default="alpine, busybox, python:3-alpine, node:alpine",
        description="Images !run may use, comma-separated (`name[:tag]`; `name:*` allows any tag).",
    )
    runtime: Literal["auto", "runsc", "runc"] = Field(
        default="auto", description="Container runtime: gVisor (runsc) when the engine has it (auto), or forced."
    )
    timeout: float = Field(default=10.0, gt=0, le=300, description="Wall-clock seconds per run.")
    memory_mib: int = Field(default=128, ge=8, le=8192, description="Memory per run, MiB (no swap).")
    cpus: float = Field(default=0.5, gt=0, le=64, description="CPU quota per run.")
    pids: int = Field(default=64, ge=8, le=4096, description="Processes per run.")
    tmp_mib: int = Field(default=16, ge=1, le=1024, description="Size of the writable /tmp, MiB.")
    output_kib: int = Field(default=1024, ge=4, le=65536, description="Output kept per run, KiB.")
    max_running: int = Field(default=0, ge=0, le=256, description="Runs at once (0: CPU count).")
    max_queue: int = Field(default=16, ge=0, le=1000, description="Runs waiting for a slot.")
    cooldown: float = Field(default=3.0, ge=0, le=3600, description="Seconds between runs per member.")
    pull_timeout: float = Field(default=120.0, gt=0, le=3600, description="Seconds per image pull.")
    prefetch: bool = Field(default=True, description="Pull missing allowed images in the background.")
    sweep_interval: float = Field(default=300.0, ge=5, description="Seconds between leftover sweeps.")
    owner: str = Field(
        default="studybot", pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$",
        description="Value of the studybot.sandbox label on this bot's containers.",
    )

    url: str | None = Field(
        default=None,
        description="URL of a `python -m bot runner` service (e.g. http://runner:8080), or several, "
        "comma-separated; each name counts for every address it resolves to (on a Swarm, tasks.runner lists "
        "every runner) and runs go to the least busy healthy runner. When set, !run goes there and this "
        "process never touches Docker. Unset: the sandbox runs in-process.",
    )
    token: SecretStr | None = Field(
        default=None,
        description="Shared secret between the bot and the sandbox runner (the runner refuses fewer than 32 "
        "characters and the .env.example placeholder; e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`).",
    )
    token_file: Path | None = Field(
        default=None,
        description="A file holding the shared secret instead (a Swarm or compose secret such as "
        "/run/secrets/sandbox_token); an empty file counts as unset; set together with STUDYBOT_SANDBOX_TOKEN, "
        "both must hold the same secret.",
    )
    request_timeout: float = Field(
        default=600.0, ge=5, le=7200, description="Longest the bot waits for one run from the runner (queue included)."
    )
    runner_host: str = Field(
        default="127.0.0.1", description="Address `python -m bot runner` listens on (0.0.0.0 needs a token)."
    )
    runner_port: int = Field(default=8080, ge=0, le=65535, description="Port of `python -m bot runner`.")
    shutdown_grace: float = Field(
        default=15.0, ge=0, le=300, description="On SIGTERM, seconds the runner lets running sandboxes finish."
    )
    lab_enabled: bool = Field(default=True, description="Offer !docker, each member's Docker lab (on this engine).")
    lab_running: int = Field(default=3, ge=1, le=50, description="Running containers per lab.")
    lab_containers: int = Field(default=10, ge=1, le=200, description="Containers per lab, stopped ones included.")
    lab_images: int = Field(default=5, ge=1, le=100, description="Image tags per lab.")
    lab_image_mib: int = Field(default=300, ge=1, le=65536, description="Total size of a lab's built images, MiB.")
    lab_volumes: int = Field(default=3, ge=0, le=100, description="Volumes per lab.")
    lab_networks: int = Field(default=2, ge=0, le=50, description="Networks per lab.")
    labs_per_server: int = Field(default=20, ge=1, le=10000, description="Labs at once per chat server.")
    lab_idle_minutes: float = Field(
        default=30.0, gt=0, le=10080, description="Minutes without use after which the sweeper removes a lab."
    )
    lab_root_in_gvisor: bool = Field(
        default=True, description="Let `-u root` run in a lab container when it runs under gVisor (runsc)."
    )
    lab_volume_mib: int = Field(
        default=200, ge=1, le=1048576, description="What all of one lab's volumes may hold together, MiB."
    )
    lab_volume_check_seconds: float = Field(
        default=10.0, ge=2, le=3600, description="Seconds between looks at lab volumes' sizes."
    )
    lab_network_pool: str = Field(
        default="10.213.0.0/16", description="IPv4 range lab networks take their /28 subnets from."
    )

    @field_validator("images")
    @classmethod
    def _check_images(cls, value: str) -> str:
        from bot.sandbox.images import parse_allow_list

        parse_allow_list(value)  # raises ValueError naming the bad entry
        return value

    @field_validator("lab_network_pool")
    @classmethod
    def _check_network_pool(cls, value: str) -> str:
        try:
            pool = ipaddress.IPv4Network(value.strip())
        except ValueError:
            raise ValueError(f"{value[:40]!r} is not an IPv4 network such as 10.213.0.0/16") from None
        if pool.prefixlen > 28:
            raise ValueError(f"{pool} is smaller than one /28 subnet")
        return str(pool)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
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

    @field_validator("token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(_check_secret(value.get_secret_value()))

    @field_validator("token_file", mode="before")
    @classmethod
    def _empty_file_setting(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("token_file")
    @classmethod
    def _check_token_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        secret = read_secret_file(value) if value is not None else None
        given = info.data.get("token")
        if secret is not None and given is not None and given.get_secret_value() != secret:
            raise ValueError(
                "holds a different secret than STUDYBOT_SANDBOX_TOKEN: set only one of them (or the same secret "
                "in both)"
            )
        return value

    @model_validator(mode="after")
    def _token_from_file(self) -> SandboxSettings:
        """The secret file fills in STUDYBOT_SANDBOX_TOKEN when that is unset (checked above when both are)."""
        if self.token is None and self.token_file is not None:
            secret = read_secret_file(self.token_file)
            if secret is not None:
                self.token = SecretStr(secret)
        return self

    @property
    def urls(self) -> list[str]:
        """The runner URLs of ``STUDYBOT_SANDBOX_URL`` (empty: the sandbox runs in-process)."""
        return self.url.split(",") if self.url else []


class QuizSettings(BaseSettings):
    """Quizzes: owned by ``bot/quiz``. ``settings.quiz``."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_QUIZ_", **_SOURCES)

    dir: Path | None = Field(
        default=None, description="Folder of quiz banks (*.yaml); default: <data_dir>/quizzes."
    )
    question_seconds: float = Field(
        default=20.0, ge=5, le=300, description="Seconds each quiz question stays open."
    )
    pause_seconds: float = Field(default=3.0, ge=0, le=60, description="Pause between quiz questions.")
    default_count: int = Field(default=5, ge=1, le=50, description="Questions in a round by default.")
    max_count: int = Field(default=20, ge=1, le=50, description="Most questions in one round.")
    generated: bool = Field(
        default=True, description="Also ask questions generated from the notes, not only the YAML banks."
    )
    tick_seconds: float = Field(
        default=30.0, ge=1, le=600, description="How often the quiz scheduler looks for due schedules."
    )
    grace_minutes: float = Field(
        default=60.0, ge=0, le=1440,
        description="A scheduled quiz missed while the bot was down is posted late within this many minutes.",
    )
    timezone: str = Field(
        default="UTC", description="Time zone of the day boundary for quiz streaks (IANA name, e.g. Asia/Seoul)."
    )

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone (use an IANA name like Asia/Seoul or UTC)") from None
        return value

    @property
    def path(self) -> Path:
        """The bank folder. :class:`Settings` fills in ``<data_dir>/quizzes`` when STUDYBOT_QUIZ_DIR is unset."""
        return self.dir if self.dir is not None else DEFAULT_DATA_DIR / "quizzes"


class Settings(BaseSettings):
    """All settings: the general ones here, the rest in one section each (``settings.discord``, ``.slack``,
    ``.notes``, ``.sandbox``, ``.quiz``). Built by :func:`load_settings` and handed to whoever needs them
    (never a global); every field is an environment variable, listed with its default in README.md
    (:func:`documentation`; ``tests/docs/test_readme.py`` holds the table to it)."""

    model_config = SettingsConfigDict(env_prefix="STUDYBOT_", **_SOURCES)

    prefix: str = Field(default="!", description="Command prefix for text commands.")
    db_path: Path = Field(default_factory=default_state_path, description="SQLite state file.")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Shipped content (glossary, quizzes).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Log level."
    )
    lang: Literal["en", "ko"] = Field(default="en", description="Language of the bot's own replies.")

    # The sections: load_settings builds each from the same sources and passes it in.
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    notes: NotesSettings = Field(default_factory=NotesSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    quiz: QuizSettings = Field(default_factory=QuizSettings)

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

    @model_validator(mode="after")
    def _folders_in_data_dir(self) -> Settings:
        """STUDYBOT_NOTES_DIR and STUDYBOT_QUIZ_DIR default to folders of STUDYBOT_DATA_DIR."""
        if self.notes.dir is None:
            self.notes.dir = self.data_dir / "notes"
        if self.quiz.dir is None:
            self.quiz.dir = self.data_dir / "quizzes"
        return self


SECTIONS: dict[str, type[BaseSettings]] = {
    "discord": DiscordSettings, "slack": SlackSettings, "notes": NotesSettings,
    "sandbox": SandboxSettings, "quiz": QuizSettings,
}
_GENERAL = ""  # the "section" of Settings' own fields


def _variable_name(cls: type[BaseSettings], field_name: str) -> str:
    """The environment variable of ``cls``'s field (an alias's first spelling, else prefix + name)."""
    info = cls.model_fields.get(field_name)
    if info is None:
        return field_name
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"{cls.model_config.get('env_prefix', '')}{field_name}".upper()


def _classes() -> dict[str, type[BaseSettings]]:
    return {_GENERAL: Settings, **SECTIONS}


def variables() -> dict[str, tuple[str, str]]:
    """Every environment variable the settings read: name → (section, field), the general settings
    (section ``""``) first; README.md's configuration table and ``.env.example`` list them all."""
    return {
        _variable_name(cls, name): (section, name)
        for section, cls in _classes().items() for name in cls.model_fields if name not in SECTIONS
    }


class VariableDoc(NamedTuple):
    """One environment variable as README.md's configuration table shows it."""

    name: str
    section: str  # "general" for Settings' own fields, else the section's name
    default: str  # "–" when unset (the description says what unset means)
    description: str


def _shown_default(info: FieldInfo) -> str:
    if info.default_factory is default_state_path:
        return "$XDG_STATE_HOME/studybot/studybot.sqlite3"
    value = info.get_default(call_default_factory=True)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Path) and value.is_relative_to(REPO_ROOT):
        return f"<repository>/{value.relative_to(REPO_ROOT).as_posix()}"
    return str(value)


def documentation() -> list[VariableDoc]:
    """Every variable with its section, default and description, in :func:`variables`' order: what
    README.md's configuration table lists row by row (``tests/docs/test_readme.py`` holds it to this)."""
    docs = []
    for variable, (section, name) in variables().items():
        info = _classes()[section].model_fields[name]
        docs.append(VariableDoc(variable, section or "general", _shown_default(info), info.description or ""))
    return docs


def _flat_name(variable: str) -> str:
    return variable.lower().removeprefix("studybot_")


def _route(overrides: dict[str, object]) -> dict[str, dict[str, object]]:
    """Sort flat overrides (``sandbox_timeout=2``: a variable's name without ``STUDYBOT_``, any case) into
    their sections; a name no setting has is refused, so a typo is not silently ignored."""
    fields = {_flat_name(variable): where for variable, where in variables().items()}
    routed: dict[str, dict[str, object]] = {section: {} for section in _classes()}
    for key, value in overrides.items():
        where = fields.get(_flat_name(key))
        if where is None:
            close = difflib.get_close_matches(_flat_name(key), fields, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"load_settings() got an unknown setting {key!r}{hint}")
        section, name = where
        # A field read under an alias (DISCORD_TOKEN) is given under that alias, the others by name.
        alias = _classes()[section].model_fields[name].validation_alias
        routed[section][_variable_name(_classes()[section], name) if alias else name] = value
    return routed


def _problems(cls: type[BaseSettings], exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        name = _variable_name(cls, str(err["loc"][0])) if err["loc"] else "?"
        shown = "" if "token" in name.lower() else f" (got {err.get('input')!r})"
        lines.append(f"{name}: {err['msg'].removeprefix('Value error, ')}{shown}")
    return lines


def load_settings(**overrides: object) -> Settings:
    """Read and check every section; raise :class:`ConfigError` naming each bad variable of them all.

    ``overrides`` take flat names (``db_path=…, sandbox_timeout=2, quiz_question_seconds=5``);
    ``_env_file=None`` reads no ``.env`` (for any section)."""
    sources = {"_env_file": overrides.pop("_env_file")} if "_env_file" in overrides else {}
    routed = _route(overrides)
    problems: list[str] = []
    sections: dict[str, BaseSettings] = {}
    for section, cls in SECTIONS.items():
        try:
            sections[section] = cls(**sources, **routed[section])
        except ValidationError as exc:
            problems.extend(_problems(cls, exc))
            sections[section] = cls.model_construct()  # a stand-in, so the general settings are checked too
    try:
        settings = Settings(**sources, **routed[_GENERAL], **sections)
    except ValidationError as exc:
        problems[:0] = _problems(Settings, exc)
    if problems:
        raise ConfigError("Bad configuration:\n  " + "\n  ".join(problems))
    return settings
