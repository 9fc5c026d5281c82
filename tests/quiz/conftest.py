"""A quiz harness: a Core with only the quiz feature, on a temp state file and a fake clock."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATA_DIR, load_settings
from bot.context import Invocation
from bot.core import Core
from bot.quiz import command as quiz_commands
from bot.quiz.service import QuizService
from bot.replies import Reply
from bot.storage import Database
from tests.invocations import CollectingResponder, invocation
from tests.quiz.clock import FakeClock

TEST_BANK = """
title: Test bank
description: four question types
questions:
  - id: t-mc
    type: multiple_choice
    prompt: 이미지를 삭제하는 명령어는?
    answer: docker rmi
    distractors: [docker rm, docker stop, docker prune]
    match: code
    hints: [i 는 image 의 i]
    explanation: rm 은 컨테이너, rmi 는 이미지.
    tags: [cli]
    section: 명령어
    explain: rmi
  - id: t-tf
    type: true_false
    prompt: 같은 이미지에서 여러 개의 컨테이너를 생성할 수 있다.
    answer: true
    explanation: 이미지는 템플릿입니다.
    tags: [container]
    section: 컨테이너
  - id: t-free
    type: free
    prompt: 이미지를 실행한 상태를 무엇이라 하나요?
    answer: 컨테이너
    aliases: [container]
    hints: [영어로 container, 한글 네 글자]
    explanation: 컨테이너는 프로세스입니다.
    tags: [container]
    section: 컨테이너
  - id: t-fill
    type: fill_blank
    prompt: "백그라운드 실행: docker run ___ nginx"
    answer: "-d"
    aliases: [--detach]
    explanation: detached mode.
    tags: [cli]
    section: 명령어
    explain: "-d"
"""

START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)  # a Monday


class Harness:
    """Builds Cores on one state file, so a test can "restart" the bot."""

    def __init__(self, tmp_path: Path, bank: str | None = TEST_BANK, **settings: object) -> None:
        self.tmp_path = tmp_path
        self.clock = FakeClock(START)
        quiz_dir = tmp_path / "quizzes"
        quiz_dir.mkdir(exist_ok=True)
        if bank is not None:
            (quiz_dir / "test.yaml").write_text(bank, encoding="utf-8")
        values: dict[str, object] = {
            "db_path": tmp_path / "state.sqlite3", "data_dir": DEFAULT_DATA_DIR, "quiz_dir": quiz_dir,
            "quiz_generated": False, "quiz_question_seconds": 20, "quiz_pause_seconds": 2,
        }
        values.update(settings)
        self.settings = load_settings(_env_file=None, **values)
        self.core: Core | None = None
        self.channels: dict[str, CollectingResponder] = {}

    async def start(self) -> Core:
        db = await Database.open(self.settings.db_path)
        core = Core(settings=self.settings, db=db, notes=None)  # type: ignore[arg-type]
        await quiz_commands.install(core, clock=self.clock, run_scheduler=False)

        async def opener(channel_id: str) -> CollectingResponder:
            return self.channels.setdefault(channel_id, CollectingResponder())

        core.channels["console"] = opener
        self.core = core
        return core

    @property
    def service(self) -> QuizService:
        assert self.core is not None and self.core.quiz is not None
        return self.core.quiz

    async def stop(self) -> None:
        if self.core is not None:
            await self.core.close()
            self.core = None

    async def crash(self) -> None:
        """Stop like a killed process: tasks die where they are, nothing is tidied up."""
        assert self.core is not None
        for rnd in list(self.service.rounds.values()):
            assert rnd.task is not None
            rnd.task.cancel()
            with contextlib.suppress(BaseException):
                await rnd.task
        await self.core.db.close()
        self.core = None

    def channel(self, channel_id: str = "c1") -> CollectingResponder:
        return self.channels.setdefault(channel_id, CollectingResponder())

    def inv(
        self, member: str = "u1", name: str = "Alice", *, channel: str = "c1", manager: bool = False,
        responder: CollectingResponder | None = None, lang: str = "en", scope: str | None = "guild",
    ) -> Invocation:
        return invocation(name, user_id=member, manager=manager, channel=channel, lang=lang, scope=scope,
                          responder=responder if responder is not None else self.channel(channel))

    async def say(self, text: str, **kwargs: object) -> list[Reply]:
        """Send a message in a channel as a member; returns what the bot sent to that channel meanwhile."""
        responder = self.channel(str(kwargs.get("channel", "c1")))
        before = len(responder.sent)
        inv = self.inv(**kwargs)  # type: ignore[arg-type]
        assert self.core is not None
        await self.core.handle_message(inv, text)
        await self.clock.settle()
        return responder.sent[before:]

    async def click(self, action: str, **kwargs: object) -> list[Reply]:
        responder = CollectingResponder()
        inv = self.inv(responder=responder, **kwargs)  # type: ignore[arg-type]
        assert self.core is not None
        await self.core.handle_action(inv, action)
        return responder.sent


def texts(replies: list[Reply]) -> list[str]:
    return [r.plain_text() for r in replies]


def last_question(responder: CollectingResponder) -> Reply:
    """The latest reply with open (enabled) choices or a question title."""
    for reply in reversed(responder.sent):
        if reply.title and reply.title.startswith("Question"):
            return reply
    raise AssertionError("no question was posted")


def choice_action(reply: Reply, label: str) -> str:
    for choice in reply.choices:
        if choice.label == label:
            return choice.action
    raise AssertionError(f"no choice {label!r} in {[c.label for c in reply.choices]}")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(tmp_path)
    await h.start()
    yield h
    await h.stop()


def bank_with(*ids: str) -> str:
    """The test bank with only the given questions (so a round's order is known)."""
    import yaml

    data = yaml.safe_load(TEST_BANK)
    data["questions"] = [q for q in data["questions"] if q["id"] in ids]
    return yaml.safe_dump(data, allow_unicode=True)
