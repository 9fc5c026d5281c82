"""The bot's own capacity on Discord: the real bot against a bare discord.py "pong" bot on the same fake.

    python benchmarks/bench_capacity.py [--messages 1000] [--channels 100] [--rounds 5] [--pairs 3] [--seed 13]

The fake Discord (tests/fakes, gateway + REST on 127.0.0.1) runs in this process; each bot runs in a child
process, so the two share the machine's cores as a bot and Discord would, and the bot's memory is its own:

- studybot: ``python -m bot run`` exactly as production starts it (``bot.cli.main``: Core, every feature,
  the discord.py ``StudyBot`` with its cogs, INFO logging), with only discord.py's REST and gateway
  addresses pointed at the fake; the sandbox is disabled (``!run`` is measured by bench_run.py);
- pong (the ceiling): a bare ``discord.Client`` that answers every message with "pong", quoting it.

Both get the same messages from ``--channels`` channels: ``!explain`` with the natural questions of
tests/explain/natural/dev.yaml (Korean, English, typos, off-topic, reference; some with ``-v``), ``!help``,
and in every fourth channel ``!quiz 1`` followed by answers typed by other members ("1"/"2" fit every kind
of question). Each channel is one conversation: it sends its next message once the last one was answered,
so ``--channels`` messages are in flight at once and latency includes the wait in the bot's queue.
Before the clock starts, a few warm-up messages in another channel load what a first question loads
(the Korean analyser, the Docker reference). Each bot process then serves ``--rounds`` rounds of the
same messages, each round in fresh channels from fresh members (so quizzes start anew and nobody
reaches a cooldown); throughput is the median round, since one round of the ceiling lasts well under a
second and other work on the machine shows in it.

Printed per bot: messages answered per second; p50/p99 from the fake sending MESSAGE_CREATE to the
bot's answer arriving at the fake's REST API (a message quoting it, or a reaction: how typed quiz answers
are acknowledged); lost messages (no answer within ``--reply-timeout``); the bot process's RSS when ready,
its peak during the load (the kernel's high-water mark, reset after the warm-up) and its peak since start;
CPU per message of the bot process and how busy the fake was. The two bots are measured in turn, ``--pairs``
times (pong then studybot, studybot then pong, …), each pair's ratio against the pong measured beside it: a
shared machine's quiet and busy moments then weigh on both sides of a pair, and the figure is the median of
the pairs' ratios. Target: studybot ≥ 0.5 of pong's throughput, and no message lost.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.discord_server import FakeDiscord, FakeDiscordTimeout, FakeMember  # noqa: E402

QUESTIONS_FILE = ROOT / "tests" / "explain" / "natural" / "dev.yaml"
HELP_TEXTS = ("!help", "!help", "!help explain", "!help quiz")
ANSWERS = ("1", "2")
QUIZ_EVERY = 4  # every fourth channel runs a quiz
ANSWERS_PER_QUIZ = 5
MESSAGES_PER_MEMBER = 4  # below !explain's cooldown (5 per 10 s), so every answer is real work
WARM_UP = ("!help", "!explain 컨테이너 지우는 법", "!explain how do I remove a container", "!explain 로그 보는 법",
           "!explain imgae")
TARGET_RATIO = 0.5


@dataclass(frozen=True)
class Step:
    kind: str  # "explain", "help", "quiz" or "answer"
    text: str
    author: int


@dataclass(frozen=True)
class Target:
    name: str
    child: str
    #: whether ``!quiz`` opens a question that later messages in the channel answer
    asks_questions: bool


TARGETS = (
    Target("pong (bare discord.py, ceiling)", "pong", asks_questions=False),
    Target("studybot (python -m bot run)", "studybot", asks_questions=True),
)


@dataclass
class Result:
    target: Target
    rates: list[float]  # messages answered per second, per round
    latencies: list[float]
    lost: int
    seconds: float
    rss_ready_mb: float
    rss_peak_mb: float
    rss_startup_mb: float
    bot_cpu_s: float
    fake_cpu_s: float
    outcomes: Counter[str]

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)


def build_workload(messages: int, channels: int, seed: int) -> list[list[Step]]:
    """``messages`` steps over ``channels`` conversations, the same for every bot."""
    rng = random.Random(seed)
    questions = [q["q"] for q in yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"]]
    members = max(10, math.ceil(messages / MESSAGES_PER_MEMBER))
    sizes = [messages // channels + (c < messages % channels) for c in range(channels)]
    workload: list[list[Step]] = []
    author = 0
    for channel, size in enumerate(sizes):
        kinds: list[str] = []
        if channel % QUIZ_EVERY == 0 and size >= 2:
            kinds = ["quiz"] + ["answer"] * min(ANSWERS_PER_QUIZ, size - 1)
        kinds += ["help" if rng.random() < 0.15 else "explain" for _ in range(size - len(kinds))]
        steps = []
        for kind in kinds:
            if kind == "explain":
                text = f"!explain {'-v ' if rng.random() < 0.1 else ''}{rng.choice(questions)}"
            elif kind == "help":
                text = rng.choice(HELP_TEXTS)
            else:
                text = "!quiz 1" if kind == "quiz" else rng.choice(ANSWERS)
            steps.append(Step(kind, text, author % members))
            author += 1  # round-robin: distinct members answer a quiz, nobody reaches a cooldown
        workload.append(steps)
    return workload


# ---- the child processes ------------------------------------------------------------------------


def child_main(kind: str, base_url: str, gateway_url: str) -> int:
    """Run one bot against the fake at ``base_url``; the only change from production is where it connects."""
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    from tests.fakes.discord_rest import API_PREFIX

    Route.BASE = base_url + API_PREFIX  # type: ignore[misc]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    if kind == "studybot":
        from bot.cli import main

        return main(["run"])
    asyncio.run(run_pong(os.environ["DISCORD_TOKEN"]))
    return 0


async def run_pong(token: str) -> None:
    import discord

    intents = discord.Intents.default()
    intents.message_content = True
    client = discord.Client(intents=intents)

    @client.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send("pong", reference=message, mention_author=False)

    async with client:
        await client.start(token)


async def start_child(target: Target, fake: FakeDiscord, state: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "STUDYBOT_DB_PATH": str(state / "bench.sqlite3"),
           "STUDYBOT_SANDBOX_ENABLED": "false", "STUDYBOT_QUIZ_QUESTION_SECONDS": "300"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    with (state / f"{target.child}.log").open("wb") as log:
        # cwd: a folder without a developer's .env, which could add a Slack connection
        return await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--child", target.child, "--base-url", fake.base_url,
            "--gateway-url", fake.gateway_url, cwd=state, env=env, stdout=log, stderr=log,
        )


def proc_status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reset_peak_rss(pid: int) -> bool:
    """Reset the kernel's RSS high-water mark of ``pid`` (``VmHWM``), so it shows the peak of the load only."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def stop_child(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM, as ``docker stop`` sends it: the studybot closes its connection and database."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


# ---- driving the fake ---------------------------------------------------------------------------


async def drive_channel(
    fake: FakeDiscord, target: Target, channel: int, steps: Sequence[Step], members: Sequence[FakeMember],
    reply_timeout: float,
) -> tuple[list[float], int]:
    """Send one channel's messages, each once the previous one was answered: (latencies, lost)."""
    latencies: list[float] = []
    lost = 0
    for step in steps:
        msg = await fake.send_message(channel, members[step.author], step.text)
        try:
            latencies.append(await fake.wait_for_reply(msg, reply_timeout))
        except FakeDiscordTimeout:
            lost += 1
            continue
        if step.kind == "quiz" and target.asks_questions:
            # the answers wait for the question: the round's intro, then its question, both quote ``!quiz``
            await fake.wait_for_reply(msg, reply_timeout, count=2)
    return latencies, lost


async def measure(target: Target, workload: list[list[Step]], rounds: int, state: Path, reply_timeout: float
                  ) -> Result:
    """Start ``target`` on a fresh fake, warm it up, and send it ``workload`` ``rounds`` times."""
    async with FakeDiscord() as fake:
        channels = [[fake.add_channel(f"study-{r}-{i}").id for i in range(len(workload))] for r in range(rounds)]
        warm_channel = fake.add_channel("warm-up").id
        count = 1 + max((s.author for steps in workload for s in steps), default=0)
        members = [[fake.add_member(f"member-{r}-{i}") for i in range(count)] for r in range(rounds)]
        proc = await start_child(target, fake, state)
        try:
            await fake.wait_until(lambda: fake.gateway.live_sessions() or proc.returncode is not None,
                                  timeout=120, what=f"{target.child} to connect")
            if proc.returncode is not None:
                log = (state / f"{target.child}.log").read_text(errors="replace")
                raise SystemExit(f"{target.child} exited with {proc.returncode}:\n{log[-3000:]}")
            for text in WARM_UP:
                await fake.wait_for_reply(await fake.send_message(warm_channel, fake.add_member("warm"), text), 60)
            startup_peak = proc_status_mb(proc.pid, "VmHWM")
            ready = proc_status_mb(proc.pid, "VmRSS")
            if not reset_peak_rss(proc.pid):
                print("  (cannot reset the RSS high-water mark: the peak includes start-up)")
            cpu_before, fake_before = cpu_seconds(proc.pid), time.process_time()
            rates: list[float] = []
            done: list[tuple[list[float], int]] = []
            seconds = 0.0
            for round_channels, round_members in zip(channels, members, strict=True):
                started = time.perf_counter()
                answered = await asyncio.gather(*(
                    drive_channel(fake, target, ch, steps, round_members, reply_timeout)
                    for ch, steps in zip(round_channels, workload, strict=True)
                ))
                elapsed = time.perf_counter() - started
                seconds += elapsed
                rates.append(sum(len(lat) for lat, _ in answered) / elapsed)
                done += answered
            cpu = cpu_seconds(proc.pid) - cpu_before
            fake_cpu = time.process_time() - fake_before
            peak = proc_status_mb(proc.pid, "VmHWM")
        finally:
            await stop_child(proc)
    log = (state / f"{target.child}.log").read_text(errors="replace")
    return Result(
        target=target, rates=rates, latencies=[x for lat, _ in done for x in lat], lost=sum(lost for _, lost in done),
        seconds=seconds, rss_ready_mb=ready, rss_peak_mb=peak, rss_startup_mb=startup_peak, bot_cpu_s=cpu,
        fake_cpu_s=fake_cpu, outcomes=Counter(re.findall(r" outcome=([\w-]+)", log)),
    )


# ---- report -------------------------------------------------------------------------------------


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    if not samples:
        return math.nan, math.nan
    samples = sorted(samples)
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return statistics.median(samples) * 1000, p99 * 1000


def describe(workload: list[list[Step]], rounds: int) -> str:
    kinds = Counter(step.kind for steps in workload for step in steps)
    total = sum(kinds.values())
    asked = len({step.text for steps in workload for step in steps if step.kind == "explain"})
    return (f"{rounds} rounds of {total:,} messages from {len(workload)} channels ({kinds['explain']} !explain of "
            f"{asked} different questions, the same each round: a question asked again is answered from the "
            f"results the bot keeps; {kinds['help']} !help, {kinds['quiz']} !quiz, {kinds['answer']} typed quiz "
            f"answers); each channel sends its next message once the last was answered")


def report(pairs: list[tuple[Result, Result]]) -> None:
    header = (f"{'bot':<32}{'msg/s':>8}{'rounds':>12}{'p50 ms':>8}{'p99 ms':>8}{'lost':>6}{'RSS ready':>10}"
              f"{'RSS peak':>9}{'start-up':>9}{'CPU ms/msg':>11}{'fake busy':>10}{'ratio':>7}")
    print(header)
    ratios: list[float] = []
    for ceiling, bot in pairs:
        ratios.append(bot.rate / ceiling.rate if ceiling.rate else math.nan)
        for r in (ceiling, bot):
            p50, p99 = percentiles_ms(r.latencies)
            handled = max(1, len(r.latencies))
            spread = f"{min(r.rates):.0f}–{max(r.rates):.0f}"
            shown = f"{ratios[-1]:>7.2f}" if r is bot else ""
            print(f"{r.target.name:<32}{r.rate:>8.1f}{spread:>12}{p50:>8.0f}{p99:>8.0f}{r.lost:>6}"
                  f"{r.rss_ready_mb:>10.1f}{r.rss_peak_mb:>9.1f}{r.rss_startup_mb:>9.1f}"
                  f"{r.bot_cpu_s / handled * 1000:>11.2f}{r.fake_cpu_s / r.seconds:>10.0%}{shown}")
    print("msg/s: median round (rounds: slowest–fastest); RSS in MB (ready: after the warm-up; peak: during the "
          "load; start-up: peak before the load); fake busy: CPU of this process (the fake Discord) / wall time; "
          "ratio: studybot / the pong measured beside it (alternately just before and just after)")
    last = pairs[-1][1]
    if last.outcomes:
        print("studybot command outcomes (its log, last pair): "
              + ", ".join(f"{k} {v}" for k, v in last.outcomes.most_common()))
    ratio = statistics.median(ratios)
    lost = sum(bot.lost for _, bot in pairs)
    print("\ntargets")
    checks = [
        (f"throughput studybot / pong ≥ {TARGET_RATIO:g}", f"median ratio {ratio:.2f} of {len(ratios)} pairs "
         f"({min(ratios):.2f}–{max(ratios):.2f})", ratio >= TARGET_RATIO),
        ("no message lost", f"lost {lost} (pong: {sum(c.lost for c, _ in pairs)})", lost == 0),
    ]
    for label, value, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<40} {value}")


async def run(args: argparse.Namespace) -> None:
    workload = build_workload(args.messages, args.channels, args.seed)
    print(describe(workload, args.rounds) + "\n")
    pairs: list[tuple[Result, Result]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(args.pairs):
            # Pong first, then the bot first: a machine getting steadily busier or quieter favours neither.
            order = TARGETS if number % 2 == 0 else TARGETS[::-1]
            measured = {target.child: await measure(target, workload, args.rounds, _state(Path(tmp), target, number),
                                                    args.reply_timeout) for target in order}
            pairs.append((measured["pong"], measured["studybot"]))
    report(pairs)


def _state(tmp: Path, target: Target, number: int) -> Path:
    state = tmp / f"{target.child}-{number}"
    state.mkdir()
    return state


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --messages per bot process")
    parser.add_argument("--pairs", type=_positive, default=3,
                        help="times both bots are measured, one after the other (the ratio is the pairs' median)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--reply-timeout", type=float, default=15.0,
                        help="seconds without an answer after which a message counts as lost")
    parser.add_argument("--child", choices=[t.child for t in TARGETS], help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--gateway-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # a bot process started by measure(); it runs its own event loop
        return child_main(args.child, args.base_url, args.gateway_url)
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
