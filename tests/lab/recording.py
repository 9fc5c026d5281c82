"""A small in-test :class:`~bot.sandbox.lab.port.LabService` that records what it was asked and answers what
the test lines up: the chat side and the wire are tested with it, the real lab in the engine's tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.sandbox.lab.port import LabAnswer, LabEvents, LabOwner, LabRequest, LabState


@dataclass
class RecordingLab:
    answers: list[LabAnswer] = field(default_factory=list)  # handed out in order; then "exit 0, no output"
    outputs: tuple[str, ...] = ()  # progress a `docker` call reports before it answers (each: the output so far)
    state_answer: LabState = field(default_factory=LabState)
    removed: int = 0
    failure: Exception | None = None  # raised by every call instead of answering
    gate: asyncio.Event | None = None  # when set up, `docker` waits for it
    requests: list[LabRequest] = field(default_factory=list)
    asked: list[tuple[str, LabOwner]] = field(default_factory=list)  # ("state" | "reset", owner)

    async def docker(self, request: LabRequest, events: LabEvents | None = None) -> LabAnswer:
        self.requests.append(request)
        if self.failure is not None:
            raise self.failure
        for text in self.outputs:
            if events is not None:
                await events.output(text)
        if self.gate is not None:
            await self.gate.wait()
        return self.answers.pop(0) if self.answers else LabAnswer(0, "")

    async def state(self, owner: LabOwner) -> LabState:
        self.asked.append(("state", owner))
        if self.failure is not None:
            raise self.failure
        return self.state_answer

    async def reset(self, owner: LabOwner) -> int:
        self.asked.append(("reset", owner))
        if self.failure is not None:
            raise self.failure
        return self.removed
