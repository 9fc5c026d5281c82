"""Lab exercises through the quiz: posed, checked against a lab state (an in-test provider, not a real lab),
scored into stats, streaks and review, kept across a restart; refused clearly when there is no lab."""

from __future__ import annotations

from pathlib import Path

from bot.context import scope_key
from bot.quiz import actions
from bot.sandbox.lab.port import LabContainer, LabOwner, LabState
from tests.quiz.conftest import Harness, texts

BANK = """
title: lab test
questions:
  - id: lab-web
    type: lab
    prompt: {en: "Start a detached alpine container named `web` that runs `sleep 300`.", ko: "web 을 실행하세요."}
    answer: docker run -d --name web alpine sleep 300
    hints: [-d is detached, --name names it]
    check:
      - container: {name: web, image: alpine, status: running, command: sleep 300}
    explanation: detached web.
    tags: [lab, cli]
    section: 명령어
    explain: "-d"
  - id: lab-prune
    type: lab
    prompt: {en: Remove every stopped container and keep the running ones., ko: 멈춘 컨테이너를 지우세요.}
    answer: docker rm old
    setup:
      - container: {status: stopped}
    check:
      - no_containers: {status: stopped}
      - keep_containers: {status: running}
    explanation: rm removes containers.
    tags: [lab, cleanup]
    section: 명령어
    explain: rm
  - id: t-tf
    type: true_false
    prompt: 같은 이미지에서 여러 개의 컨테이너를 생성할 수 있다.
    answer: true
    explanation: 이미지는 템플릿입니다.
    tags: [container]
    section: 컨테이너
"""


UNAVAILABLE = "❌ The Docker lab is not available here, so there are no lab exercises."
BUTTONS = "\n  [1] 🔍 Check my lab\n  [2] 🏳️ Give up"
NO_TASK = "❌ You have no lab exercise open. `!quiz lab` gives you one."


def box(name: str, status: str = "running", command: tuple[str, ...] = ("sleep", "300")) -> LabContainer:
    return LabContainer(name=name, id=(name * 64)[:64], image="alpine", command=command, status=status,
                        exit_code=0, created=1.0)


class FakeLab:
    """The lab side's ``state`` as the quiz sees it: a state per member, set by the test."""

    def __init__(self) -> None:
        self.states: dict[str, LabState] = {}
        self.owners: list[LabOwner] = []
        self.broken = False

    def set(self, member: str, *containers: LabContainer) -> None:
        self.states[member] = LabState(containers=containers)

    async def state(self, owner: LabOwner) -> LabState:
        self.owners.append(owner)
        if self.broken:
            raise ConnectionError("runner down")
        return self.states.get(owner.member, LabState())


async def _harness(tmp_path: Path, *, with_lab: bool = True) -> tuple[Harness, FakeLab]:
    # Without a lab: the sandbox's lab is off, as STUDYBOT_SANDBOX_LAB_ENABLED=false sets it.
    h = Harness(tmp_path, bank=BANK, **({} if with_lab else {"sandbox_lab_enabled": False}))
    core = await h.start()
    fake = FakeLab()
    if with_lab:
        core.lab = fake  # what Core.open_lab() gives (a LabService)
    return h, fake


def _pick(h: Harness, question_id: str) -> None:
    """Make the next `!quiz lab` pose ``question_id`` (the pick is random)."""
    h.service.lab.rng.choice = lambda pool: next(q for q in pool if q.id == question_id)  # type: ignore[method-assign]


async def _stats(h: Harness, member: str = "u1") -> str:
    return texts(await h.say("!stats", member=member))[0]


async def test_without_a_lab_the_kind_is_not_offered_and_asking_gets_a_clear_answer(tmp_path: Path) -> None:
    h, _ = await _harness(tmp_path, with_lab=False)
    try:
        assert texts(await h.say("!quiz lab")) == [UNAVAILABLE]
        assert texts(await h.say("!quiz check")) == [UNAVAILABLE]
        topics = texts(await h.say("!quiz topics"))[0]
        assert "`container` — 1 question" in topics and "lab" not in topics
        assert "No questions on `lab`" in texts(await h.say("!quiz 1 lab"))[0]  # rounds never ask lab questions
    finally:
        await h.stop()


async def test_an_exercise_is_checked_against_the_lab_and_scored_like_an_answer(tmp_path: Path) -> None:
    h, lab = await _harness(tmp_path)
    _pick(h, "lab-web")
    try:
        topics = texts(await h.say("!quiz topics"))[0]
        assert "🧪 2 lab exercises, done in your own lab: `!quiz lab`" in topics
        posed = await h.say("!quiz lab")
        assert posed[0].title == "🧪 Lab exercise · lab"
        assert "named `web` that runs `sleep 300`" in posed[0].plain_text()
        assert [c.action for c in posed[0].choices] == [actions.lab_check(), actions.lab_give_up()]

        lab.set("u1", box("web", "exited", ("sleep", "30")))
        reply = await h.click(actions.lab_check())
        assert texts(reply) == [
            "⚠️ Not yet. Still to do:\n• `web` is `exited`; it should be `running`\n"
            "• `web` runs `sleep 30`; its command should contain `sleep 300`" + BUTTONS
        ]
        assert await _stats(h) == "No quiz answers from Alice yet."  # a failed check is not an answer

        hint = await h.say("!quiz hint")
        assert texts(hint) == ["💡 Hint 1/2: -d is detached (done now, it earns at most 125 points)"]

        await h.clock.advance(60)
        lab.set("u1", box("web"))
        done = await h.say("!quiz check")
        assert done[0].title == "✅ Done! +120 points"  # 75 after a hint + 45 of 50 speed bonus (1/10 min)
        assert "docker run -d --name web alpine sleep 300" in done[0].plain_text()
        assert "`!explain -v -d`" in done[0].plain_text()
        assert lab.owners[-1] == LabOwner(member="u1", server=scope_key(h.inv().place))
        stats = await _stats(h)
        assert "Answered **1**, correct **1** (100%), points **120**" in stats
        assert "Streak: **1** day(s) now" in stats and "`lab` 1/1" in stats
        assert texts(await h.say("!quiz check")) == [NO_TASK]
        assert "Nothing to review right now" in texts(await h.say("!review"))[0]  # the card was made, due later
    finally:
        await h.stop()


async def test_a_before_snapshot_waits_for_the_setup_and_survives_a_restart(tmp_path: Path) -> None:
    h, lab = await _harness(tmp_path)
    _pick(h, "lab-prune")
    try:
        lab.set("u1", box("keep"))
        posed = (await h.say("!quiz lab"))[0].plain_text()
        assert "Before this exercise starts, your lab needs:\n• 0 of the 1 container(s) wanted with " \
            "`status=created|exited|dead`" in posed
        assert "Not yet" not in texts(await h.say("!quiz check"))[0]  # still the setup
        lab.set("u1", box("keep"), box("old", "exited"))
        assert texts(await h.say("!quiz check")) == [
            "✅ Your lab is ready and this is where the exercise starts. Do it, then check again." + BUTTONS
        ]

        await h.crash()  # the snapshot and the open exercise are in the state file
        core = await h.start()
        core.lab = lab  # type: ignore[attr-defined]

        lab.set("u1")  # removed everything, the running one too
        assert texts(await h.say("!quiz check")) == [
            "⚠️ Not yet. Still to do:\n• `keep` was `running` when the exercise started and should still be" + BUTTONS
        ]
        lab.set("u1", box("keep"))
        done = await h.say("!quiz check")
        assert done[0].title is not None and done[0].title.startswith("✅ Done! +")
    finally:
        await h.stop()


async def test_giving_up_is_a_wrong_answer_that_comes_back_in_review(tmp_path: Path) -> None:
    h, lab = await _harness(tmp_path)
    _pick(h, "lab-web")
    try:
        await h.say("!quiz lab")
        again = await h.say("!quiz lab")  # one exercise at a time
        assert again[0].plain_text().startswith("🧪 Lab exercise · lab\nYou already have this lab exercise open:\n")
        bob = await h.click(actions.lab_check(), member="u2", name="Bob")  # Alice's button, Bob's (no) exercise
        assert texts(bob) == [NO_TASK]

        closed = await h.click(actions.lab_give_up())
        assert closed[0].title == "Exercise closed"
        assert "Answered **1**, correct **0** (0%)" in await _stats(h)

        await h.clock.advance(3600)
        card = (await h.say("!review"))[0]
        assert "named `web`" in card.plain_text()
        assert [c.action for c in card.choices] == [actions.review_lab("lab-web"), actions.review_show("lab-web")]
        task = await h.click(actions.review_lab("lab-web"))
        assert task[0].ephemeral and task[0].choices[0].action == actions.lab_check()
        lab.set("u1", box("web"))
        graded = await h.click(actions.lab_check())
        assert texts(graded)[0].startswith("✅ ✅ Right: docker run -d --name web alpine sleep 300\ndetached web.")
        assert "Next review of this one:" in texts(graded)[0]
        assert "Answered **1**," in await _stats(h)  # review grades the card only, as !review does
    finally:
        await h.stop()


async def test_an_unreachable_lab_gets_a_clear_answer_and_nothing_is_scored(tmp_path: Path) -> None:
    h, lab = await _harness(tmp_path)
    _pick(h, "lab-web")
    try:
        await h.say("!quiz lab")
        lab.broken = True
        assert texts(await h.say("!quiz check")) == [
            "❌ I could not read your lab just now (the lab did not answer). Try again in a moment."
        ]
        lab.broken = False
        lab.set("u1", box("web"))
        assert (await h.say("!quiz check"))[0].title is not None
    finally:
        await h.stop()


async def test_a_removed_exercise_is_closed_with_a_word(tmp_path: Path) -> None:
    h, _ = await _harness(tmp_path)
    _pick(h, "lab-web")
    try:
        await h.say("!quiz lab")
        questions = h.service.lab.questions
        assert isinstance(questions, dict)
        web = questions.pop("lab-web")  # a new bank without it
        assert texts(await h.say("!quiz check")) == ["❌ That exercise is no longer in the quiz bank, so I closed it."]
        assert texts(await h.say("!quiz skip")) == [NO_TASK]
        questions["lab-web"] = web
        assert (await h.say("!quiz lab"))[0].title == "🧪 Lab exercise · lab"
        del questions["lab-web"]
        _pick(h, "lab-prune")
        posed = await h.say("!quiz lab")  # the gone one is closed and another posed
        assert "Remove every stopped container" in posed[0].plain_text()
    finally:
        await h.stop()
