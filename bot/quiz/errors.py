"""The quiz domain's own refusal, so the domain needs nothing of the command kernel."""

from __future__ import annotations


class QuizError(Exception):
    """A member asked for what the quiz cannot do now (a round already running here, no hint left, a schedule
    it cannot read or keep, a review card that is gone). ``message`` is ready for chat; :mod:`bot.quiz.command`
    turns it into the pipeline's :class:`~bot.core.commands.CommandError`, shown without the usage line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
