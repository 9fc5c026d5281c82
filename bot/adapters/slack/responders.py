"""How the core answers on Slack: one responder for messages, slash commands, button clicks and
scheduled posts; which of them it serves only changes the fields it is given.

- Normal replies: ``chat.postMessage`` (in the thread, if the command came from one).
- ``Reply.ephemeral``: ``chat.postEphemeral`` to the member who asked.
- Slash commands and clicks also carry a ``response_url``: used when the bot cannot post in the
  channel itself (it is not a member, or the channel is someone else's DM).
- Attachments: uploaded as files (``files_upload_v2``) after the message.
- ``edit``: ``chat.update`` on the message sent earlier.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.modals import OpenAsks
from bot.adapters.slack.mrkdwn import escape
from bot.adapters.slack.render import SlackMessage, render_edit, render_messages
from bot.i18n import register, t
from bot.replies import Attachment, Reply
from bot.textsafe import inline_code

log = logging.getLogger(__name__)

register(
    {
        "slack.upload_failed": {
            "en": "I could not upload {files} here. Invite me to this channel (`/invite @studybot`) and try again.",
            "ko": "여기에는 {files} 파일을 올릴 수 없습니다. "
            "이 채널에 앱을 초대한 뒤(`/invite @studybot`) 다시 시도해 주세요.",
        },
        "slack.attachment_not_private": {
            "en": "{files} cannot be shown only to you; run the command in a channel to get it as a file.",
            "ko": "{files} 파일은 나에게만 보이게 보낼 수 없습니다. 채널에서 명령을 실행하면 파일로 받을 수 있습니다.",
        },
    }
)

# chat.postMessage / chat.postEphemeral errors that mean "the bot cannot post here itself".
UNREACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action"})
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}


@dataclass(frozen=True, slots=True)
class SlackRef:
    """A message the bot sent: what ``chat.update`` needs. ``ts`` is None for response_url posts."""

    channel: str
    ts: str | None
    ephemeral: bool = False


class SlackResponder:
    """Answers in ``channel``; ``user`` receives ephemeral replies; ``thread_ts`` keeps a thread."""

    def __init__(
        self,
        client: AsyncWebClient,
        channel: str,
        *,
        user: str | None = None,
        thread_ts: str | None = None,
        response_url: str | None = None,
        lang: str = "en",
        asks: OpenAsks | None = None,
    ) -> None:
        self.client = client
        self.channel = channel
        self.user = user
        self.thread_ts = thread_ts
        self.response_url = response_url
        self.lang = lang
        self.asks = asks  # records which text-asking buttons are on show (see modals.OpenAsks)

    # the Responder protocol -----------------------------------------------------------------------

    async def send(self, reply: Reply) -> SlackRef | None:
        private = reply.ephemeral and self.user is not None
        ref: SlackRef | None = None
        for message in render_messages(reply):
            ref = await (self._post_ephemeral(message) if private else self._post(message))
        if self.asks is not None:
            self.asks.sent(ref if ref is not None else object(), reply)
        if reply.attachments:
            if private:
                await self._notice("slack.attachment_not_private", reply.attachments, ephemeral=True)
            else:
                await self._upload(reply.attachments)
        return ref

    async def edit(self, ref: Any, reply: Reply) -> None:
        if not isinstance(ref, SlackRef):
            return
        if self.asks is not None:
            self.asks.forget(ref)
        if ref.ts is None or ref.ephemeral:
            # Slack cannot chat.update an ephemeral or response_url message: show the new state anew.
            await self.send(reply)
            return
        message = render_edit(reply)
        await self.client.chat_update(channel=ref.channel, ts=ref.ts, **message.payload())
        if self.asks is not None:
            self.asks.sent(ref, reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return nullcontext()  # Slack has no typing indicator for apps outside assistant threads

    # posting --------------------------------------------------------------------------------------

    async def _post(self, message: SlackMessage) -> SlackRef | None:
        try:
            response = await self.client.chat_postMessage(
                channel=self.channel, thread_ts=self.thread_ts, **NO_UNFURL, **message.payload()
            )
        except SlackApiError as exc:
            if self.response_url and exc.response.get("error") in UNREACHABLE:
                await self._respond(message, "in_channel")
                return None
            raise
        return SlackRef(channel=str(response["channel"]), ts=str(response["ts"]))

    async def _post_ephemeral(self, message: SlackMessage) -> SlackRef | None:
        assert self.user is not None
        try:
            response = await self.client.chat_postEphemeral(
                channel=self.channel, user=self.user, thread_ts=self.thread_ts, **message.payload()
            )
        except SlackApiError as exc:
            if self.response_url and exc.response.get("error") in UNREACHABLE:
                await self._respond(message, "ephemeral")
                return SlackRef(channel=self.channel, ts=None, ephemeral=True)
            raise
        return SlackRef(channel=self.channel, ts=response.get("message_ts"), ephemeral=True)

    async def _respond(self, message: SlackMessage, response_type: str) -> None:
        assert self.response_url is not None
        webhook = AsyncWebhookClient(self.response_url)
        response = await webhook.send(
            text=message.text, blocks=message.blocks, response_type=response_type, replace_original=False
        )
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)

    async def _upload(self, attachments: list[Attachment]) -> None:
        uploads = [{"filename": a.filename, "content": a.data, "title": a.filename} for a in attachments]
        try:
            await self.client.files_upload_v2(file_uploads=uploads, channel=self.channel, thread_ts=self.thread_ts)
        except SlackApiError as exc:
            log.warning("file upload to %s failed: %s", self.channel, exc.response.get("error"))
            await self._notice("slack.upload_failed", attachments, ephemeral=self.user is not None)

    async def _notice(self, key: str, attachments: list[Attachment], *, ephemeral: bool) -> None:
        files = ", ".join(inline_code(a.filename, 60) for a in attachments)
        text = escape(t(self.lang, key, files=files))
        reply_message = SlackMessage(
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"⚠️ {text}"}}], text=text
        )
        if ephemeral and self.user is not None:
            await self._post_ephemeral(reply_message)
        else:
            await self._post(reply_message)
