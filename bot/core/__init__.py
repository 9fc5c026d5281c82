"""The core: the command kernel (:mod:`bot.core.commands`) and the one pipeline every platform calls
(:mod:`bot.core.pipeline`). It imports no feature and no chat SDK; features import it."""

from bot.core.pipeline import Core

__all__ = ["Core"]
