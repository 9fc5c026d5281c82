"""One persistent button type for every choice the core offers.

The ``custom_id`` is the core's action id. A :class:`discord.ui.DynamicItem` matches it
after a restart too, so old buttons still get an answer ("this quiz has ended") rather
than "This interaction failed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.adapters.discord.client import StudyBot


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?P<action>[a-z]+:.{1,95})"):
    def __init__(
        self,
        action: str,
        *,
        label: str = "…",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=action, disabled=disabled, row=row)
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> ActionButton:
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: StudyBot = interaction.client  # type: ignore[assignment]
        await bot.handle_action(interaction, self.action)
