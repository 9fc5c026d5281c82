"""Choices that ask for text first (``Choice(text_input=…)``): a button whose ``action_id`` is
``ask:`` + the action, a modal with one text box, and the submission read back.

- Click on an ``ask:`` button → ``views.open`` with the click's ``trigger_id`` (valid for 3 s, so
  nothing slow happens before it). The modal's ``callback_id`` is ``ask:`` + the action; its
  ``private_metadata`` holds where the button was (channel, thread, the click's ``response_url``) so
  the answer is attributed to that channel and scope.
- ``view_submission`` → the typed text, untouched (a plain text box carries no markup), to the core.

Slack keeps showing a button until its message is edited, and a message from before a restart
keeps it for good. :class:`OpenAsks` remembers which ``ask:`` buttons the bot still shows, so a
click on a stale one gets the feature's answer at once (the quiz: "this quiz has ended") instead
of a modal whose submission could only say the same thing.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.i18n import register, t
from bot.replies import Choice, Reply

Json = dict[str, Any]

ASK = "ask:"
ACTION_ID_LIMIT = 255  # button action_id and view callback_id
TEXT_LIMIT = 400  # the answer box, as on Discord
TITLE_LIMIT = 24  # modal title, submit and close labels
LABEL_LIMIT = 2000  # input block label
BLOCK_ID = "answer"
INPUT_ID = "text"

register(
    {
        "slack.modal.title": {"en": "Your answer", "ko": "답 입력"},
        "slack.modal.submit": {"en": "Send", "ko": "보내기"},
        "slack.modal.cancel": {"en": "Cancel", "ko": "취소"},
        "slack.modal.empty": {"en": "Write an answer first.", "ko": "답을 입력해 주세요."},
        "slack.modal.not_opened": {
            "en": "The answer box did not open in time. Click the button again.",
            "ko": "답 입력 창을 제때 열지 못했습니다. 버튼을 다시 눌러 주세요.",
        },
    }
)


def ask_action_id(action: str) -> str | None:
    """The ``action_id`` of a button that asks for text, or None when it would not fit Slack."""
    action_id = ASK + action
    return action_id if len(action_id) <= ACTION_ID_LIMIT else None


def asked_action(action_id: str) -> str:
    """The core's action behind an ``ask:`` action_id or callback_id."""
    return action_id.removeprefix(ASK)


def asks_text(choice: Choice) -> bool:
    return choice.text_input is not None and not choice.disabled and ask_action_id(choice.action) is not None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the button was clicked: the answer goes to this channel (and thread)."""

    channel: str
    thread_ts: str | None = None
    response_url: str | None = None

    def encode(self) -> str:
        return json.dumps({"c": self.channel, "t": self.thread_ts, "r": self.response_url}, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> Origin | None:
        try:
            data = json.loads(text or "")
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str) or not data["c"]:
            return None
        thread, url = data.get("t"), data.get("r")
        return cls(data["c"], thread if isinstance(thread, str) else None, url if isinstance(url, str) else None)


def _plain(text: str, limit: int) -> Json:
    text = " ".join(text.split()) or "…"
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…", "emoji": True}


def answer_view(action: str, label: str, origin: Origin, lang: str) -> Json:
    """The modal behind an ``ask:`` button: one required text box labelled ``label``."""
    return {
        "type": "modal",
        "callback_id": ASK + action,
        "private_metadata": origin.encode(),
        "title": _plain(t(lang, "slack.modal.title"), TITLE_LIMIT),
        "submit": _plain(t(lang, "slack.modal.submit"), TITLE_LIMIT),
        "close": _plain(t(lang, "slack.modal.cancel"), TITLE_LIMIT),
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "label": _plain(label, LABEL_LIMIT),
                "element": {"type": "plain_text_input", "action_id": INPUT_ID, "max_length": TEXT_LIMIT},
            }
        ],
    }


def submitted_text(view: Json) -> str:
    """The text typed into the modal's box ('' when missing), cut to :data:`TEXT_LIMIT`."""
    state = ((view.get("state") or {}).get("values") or {}).get(BLOCK_ID) or {}
    value = (state.get(INPUT_ID) or {}).get("value")
    return value[:TEXT_LIMIT] if isinstance(value, str) else ""


def empty_answer_errors(lang: str) -> dict[str, str]:
    """``response_action: errors`` for a blank answer: shown under the text box, the modal stays open."""
    return {BLOCK_ID: t(lang, "slack.modal.empty")}


class OpenAsks:
    """The ``ask:`` actions the bot currently shows as buttons, and on which message.

    The responder records every sent reply; an edit that drops a button forgets it. Bounded, so
    a long-running bot does not grow it forever (the oldest entries go first).
    """

    def __init__(self, limit: int = 2000) -> None:
        self.limit = limit
        self._where: OrderedDict[str, tuple[object, str]] = OrderedDict()

    def label(self, action: str) -> str | None:
        """The text box label of ``action``'s button if the bot still shows it, else None."""
        shown = self._where.get(action)
        return shown[1] if shown is not None else None

    def sent(self, ref: object, reply: Reply) -> None:
        """``reply`` was posted as the message ``ref`` (any unique object when it cannot be edited)."""
        for choice in reply.choices:
            if asks_text(choice):
                self._where[choice.action] = (ref, choice.text_input or "")
                self._where.move_to_end(choice.action)
        while len(self._where) > self.limit:
            self._where.popitem(last=False)

    def forget(self, ref: object) -> None:
        """``ref``'s message is being replaced: the buttons it showed are gone."""
        for action in [a for a, (where, _) in self._where.items() if where == ref]:
            del self._where[action]
