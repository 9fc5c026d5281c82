"""The list of features the core installs, in order. Each module has ``async install(core)``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import Core

FEATURES = (
    "bot.help.command",
    "bot.explain.command",
    "bot.commands.run",
    "bot.quiz.command",
)


async def install_features(core: Core) -> None:
    for name in FEATURES:
        module = importlib.import_module(name)
        await module.install(core)
