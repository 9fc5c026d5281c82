"""The features the core installs, in order: each a feature package's command module with
``async install(core)``, which registers its commands, actions and listeners. ``!help`` lists commands in
this order."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core import Core

FEATURES = (
    "bot.help.command",
    "bot.explain.command",
    "bot.run.command",
    "bot.lab.command",
    "bot.quiz.command",
)


async def install_features(core: Core) -> None:
    for name in FEATURES:
        module = importlib.import_module(name)
        await module.install(core)
