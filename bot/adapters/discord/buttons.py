"""One persistent button type for every choice the core offers.

The ``custom_id`` is the core's action id, prefixed with ``ask:`` when the choice asks for
text first (a modal opens, and its text goes to the core with the action). A
:class:`discord.ui.DynamicItem` matches it after a restart too, so old buttons still get an
answer ("this quiz has ended") rather than "This interaction failed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.adapters.discord.client import StudyBot

ASK = "ask:"
TEXT_LIMIT = 400


def custom_id_for(action: str, asks_text: bool) -> str:
    return ASK + action if asks_text else action


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?P<ask>ask:)?(?P<action>[a-z]+:[^\s]{1,90})"
):
    def __init__(
        self,
        action: str,
        *,
        label: str = "…",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
        row: int | None = None,
        text_input: str | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=custom_id_for(action, text_input is not None),
                disabled=disabled, row=row,
            )
        )
        self.action = action
        self.text_input = text_input

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> ActionButton:
        label = getattr(item, "label", None) or "…"
        return cls(match["action"], label=label, text_input=label if match["ask"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: StudyBot = interaction.client  # type: ignore[assignment]
        if self.text_input is not None:
            await interaction.response.send_modal(TextAnswer(self.action, self.text_input))
            return
        await bot.handle_action(interaction, self.action)


class TextAnswer(discord.ui.Modal):
    """The text box behind a ``Choice(text_input=…)``; its text goes to the core with the action."""

    def __init__(self, action: str, label: str) -> None:
        super().__init__(title=label[:45], custom_id=f"modal:{action}"[:100], timeout=600)
        self.action = action
        self.answer: discord.ui.TextInput[TextAnswer] = discord.ui.TextInput(
            label=label[:45], max_length=TEXT_LIMIT, custom_id="answer"
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: StudyBot = interaction.client  # type: ignore[assignment]
        await bot.handle_action(interaction, self.action, self.answer.value)
