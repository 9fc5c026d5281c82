"""Checking the two Slack tokens before connecting, with one clear line per problem.

Socket Mode needs both: the bot token (``xoxb-…``, *OAuth & Permissions*) for the Web API and the
app-level token (``xapp-…``, *Basic Information → App-Level Tokens*, scope ``connections:write``)
for the websocket. Problems raise :class:`bot.config.ConfigError`, which start-up prints without a
traceback; tokens themselves never appear in messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError, SlackSettings

BOT_PREFIX = "xoxb-"
APP_PREFIX = "xapp-"


@dataclass(frozen=True, slots=True)
class SlackTokens:
    bot: str
    app: str


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """What ``auth.test`` says about the bot token."""

    team_id: str
    team: str
    user_id: str
    user: str


def _problem(variable: str, value: str, prefix: str, other_prefix: str, what: str) -> str | None:
    if not value:
        return f"{variable} is not set: it must hold the {what} ({prefix}…)."
    if value.startswith(other_prefix):
        return f"{variable} holds a {other_prefix}… token; it must hold the {what} ({prefix}…). Swapped?"
    if not value.startswith(prefix):
        return f"{variable} does not look like the {what}: it must start with {prefix}"
    return None


def check_tokens(settings: SlackSettings) -> SlackTokens:
    """Both tokens, present and of the right kind, or :class:`ConfigError` naming the variables."""
    bot = settings.bot_token.get_secret_value().strip() if settings.bot_token else ""
    app = settings.app_token.get_secret_value().strip() if settings.app_token else ""
    problems = [
        p
        for p in (
            _problem("SLACK_BOT_TOKEN", bot, BOT_PREFIX, APP_PREFIX, "bot token from OAuth & Permissions"),
            _problem("SLACK_APP_TOKEN", app, APP_PREFIX, BOT_PREFIX, "app-level token for Socket Mode"),
        )
        if p
    ]
    if problems:
        raise ConfigError("Cannot start the Slack app:\n  " + "\n  ".join(problems))
    return SlackTokens(bot=bot, app=app)


async def verify_bot_token(client: AsyncWebClient) -> BotIdentity:
    """``auth.test`` with the bot token; a refusal names SLACK_BOT_TOKEN and Slack's reason."""
    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN: {exc.response.get('error', 'unknown error')}") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ConfigError(f"Cannot reach Slack to check SLACK_BOT_TOKEN: {exc or type(exc).__name__}") from None
    return BotIdentity(
        team_id=str(auth.get("team_id") or ""),
        team=str(auth.get("team") or ""),
        user_id=str(auth.get("user_id") or ""),
        user=str(auth.get("user") or ""),
    )


async def open_socket_url(client: AsyncWebClient, app_token: str) -> str:
    """``apps.connections.open`` with the app token: the first websocket URL, or a clear refusal."""
    try:
        response = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        error = exc.response.get("error", "unknown error")
        hint = " (is Socket Mode on, and does the token have connections:write?)" if error != "invalid_auth" else ""
        raise ConfigError(f"Slack rejected SLACK_APP_TOKEN: {error}{hint}") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise ConfigError(f"Cannot reach Slack to check SLACK_APP_TOKEN: {exc or type(exc).__name__}") from None
    return str(response["url"])
