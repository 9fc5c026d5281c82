"""!docker (the lab) against the docker CLI on the same engine, with the same container profile. Prints ratios.

Usage: python benchmarks/bench_lab.py [--rounds 10] [--members 20]
Needs the engine and the local test image (.ci/setup-docker.sh).

1. ``!docker run -d --name wN alpine sleep 60`` through ``Core.invoke`` (until the reply is sent) vs
   ``docker run -d`` with the lab's limits, runtime and labels; then ``!docker ps`` (the lab holding
   those containers) vs ``docker ps -a --filter label=…``. Median ratios (target <= 1.1).
2. ``--members`` members at once, each in their own lab: ``run -d``, ``ps``, ``logs``, ``exec``,
   ``rm -f``; time per command (p50/p99), the bot's RSS and the engine's (dockerd, containerd and the
   containers' runtime processes) before and at the end, and whether every reply came.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_settings
from bot.context import Actor, Invocation, Place
from bot.core import Core
from bot.lab import command as lab_feature
from bot.sandbox.lab.port import LabOwner
from bot.sandbox.policy import RUNSC, host_pids_limit
from bot.sandbox.service import Sandbox
from bot.storage import Database
from tests.invocations import CollectingResponder

OWNER = "studybot-bench"
ENGINE_PROCESSES = ("dockerd", "containerd", "containerd-shim-runc-v2", "runsc", "runsc-gofer", "runsc-sandbox")


async def make_core(state: Path, **overrides: object) -> Core:
    settings = load_settings(
        db_path=state / "bench.sqlite3", sandbox_images="alpine", sandbox_prefetch=False,
        sandbox_cooldown=0, sandbox_owner=OWNER, sandbox_lab_containers=40, sandbox_lab_running=40,
        sandbox_labs_per_server=100, **overrides,
    )
    core = Core(settings=settings, db=await Database.open(settings.db_path), notes=None)  # type: ignore[arg-type]
    await lab_feature.install(core)
    return core


def inv(user: str) -> Invocation:
    return Invocation(Actor(user, user), Place("console", "bench", scope="bench"), CollectingResponder())


def last_text(one: Invocation) -> str:
    return one.responder.sent[-1].plain_text()  # type: ignore[attr-defined]


def cli_run(sandbox: Sandbox, runtime: str, name: str) -> list[str]:
    """``docker run -d`` with what the lab gives a container (bot/sandbox/policy.py and the lab's additions)."""
    limits = sandbox.limits
    tmp = limits.tmp_mib * 1024 * 1024
    args = [
        "docker", "run", "-d", "--name", name, "-l", f"studybot.lab.owner={OWNER}", "-l", "studybot.lab=cli",
        "--network", "none", "-u", "65534:65534", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--read-only", "--tmpfs", f"/tmp:rw,nosuid,nodev,size={tmp},mode=1777",
        "--shm-size", "1m", "-m", f"{limits.memory_mib}m", "--memory-swap", f"{limits.memory_mib}m",
        "--cpus", str(limits.cpus), "--pids-limit", str(host_pids_limit(limits, runtime)),
        "--ulimit", f"nofile={limits.nofile}:{limits.nofile}", "--ulimit", f"fsize={tmp}:{tmp}",
        "--ulimit", "core=0:0", "--init", "--ipc", "private", "--oom-score-adj", "1000",
        "--log-driver", "json-file", "--log-opt", "max-size=256k", "--log-opt", "max-file=1", "-w", "/tmp",
    ]
    if runtime == RUNSC:
        args += ["--runtime", RUNSC]
    return [*args, "alpine", "sleep", "60"]


async def timed_cli(args: list[str]) -> float:
    started = time.perf_counter()
    await asyncio.to_thread(subprocess.run, args, capture_output=True, check=True)
    return time.perf_counter() - started


async def timed_bot(core: Core, one: Invocation, words: str) -> float:
    started = time.perf_counter()
    await core.invoke(one, "docker", words)
    return time.perf_counter() - started


def remove_cli_containers() -> None:
    found = subprocess.run(
        ["docker", "ps", "-aq", "--filter", "label=studybot.lab=cli", "--filter", f"label=studybot.lab.owner={OWNER}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    if found:
        subprocess.run(["docker", "rm", "-f", *found], capture_output=True, check=True)


async def against_cli(state: Path, rounds: int) -> None:
    core = await make_core(state)
    sandbox = core.sandbox
    assert isinstance(sandbox, Sandbox)
    member = inv("lat")
    try:
        runtime = await sandbox.runtime()
        await timed_bot(core, member, "run -d alpine true")  # warm-up: the image comes into the lab
        run_bot, run_cli, ps_bot, ps_cli = [], [], [], []
        for i in range(rounds):
            run_bot.append(await timed_bot(core, member, f"run -d --name w{i} alpine sleep 60"))
            assert len(last_text(member).strip()) >= 64, last_text(member)
            run_cli.append(await timed_cli(cli_run(sandbox, runtime, f"studybot-bench-cli-{i}")))
            ps_bot.append(await timed_bot(core, member, "ps"))
            assert f"w{i}" in last_text(member)
            ps_cli.append(await timed_cli(
                ["docker", "ps", "-a", "--filter", "label=studybot.lab=cli", "--filter",
                 f"label=studybot.lab.owner={OWNER}"]
            ))
        for name, bot_times, cli_times in (("run -d", run_bot, run_cli), ("ps", ps_bot, ps_cli)):
            bot_median, cli_median = statistics.median(bot_times), statistics.median(cli_times)
            print(f"{name:7} ({runtime}, {rounds} rounds): !docker {bot_median * 1000:.0f} ms, "
                  f"docker CLI {cli_median * 1000:.0f} ms, ratio {bot_median / cli_median:.3f} (target <= 1.1)")
    finally:
        assert core.lab is not None
        await core.lab.reset(LabOwner("lat", "console:bench"))
        remove_cli_containers()
        await core.close()


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def engine_rss_mib() -> float:
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            name = (proc / "comm").read_text().strip()
            if name in ENGINE_PROCESSES or name.startswith("runsc") or name == "exe":
                total += rss_mib(proc.name)
        except (OSError, ValueError):
            continue
    return total


async def member_session(core: Core, one: Invocation, times: list[float]) -> bool:
    """One member's lab session; True when every reply came and said what it should."""
    ok = True
    for words, expect in (
        ("run -d --name web alpine sh -c 'echo ready; sleep 60'", None), ("ps", "web"), ("logs web", "ready"),
        ("exec web echo inside", "inside"), ("rm -f web", "web"),
    ):
        times.append(await timed_bot(core, one, words))
        if expect is not None and expect not in last_text(one):
            ok = False
    return ok


async def many_members(state: Path, members: int) -> None:
    core = await make_core(state)
    invs = [inv(f"m{i}") for i in range(members)]
    peaks = {"bot": 0.0, "engine": 0.0}
    stop = threading.Event()

    def sample() -> None:  # the engine's processes come and go with the containers: look often
        while not stop.is_set():
            peaks["bot"] = max(peaks["bot"], rss_mib())
            peaks["engine"] = max(peaks["engine"], engine_rss_mib())
            time.sleep(0.05)

    try:
        await core.invoke(invs[0], "docker", "run --rm alpine true")  # the image is on the engine
        bot_before, engine_before = rss_mib(), engine_rss_mib()
        sampler = threading.Thread(target=sample)
        sampler.start()
        times: list[float] = []
        started = time.perf_counter()
        try:
            results = await asyncio.gather(*(member_session(core, one, times) for one in invs))
        finally:
            stop.set()
            sampler.join()
        wall = time.perf_counter() - started
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{members} members at once, 5 commands each (run -d, ps, logs, exec, rm -f): {wall:.1f} s, per command "
              f"p50 {statistics.median(times) * 1000:.0f} ms p99 {p99 * 1000:.0f} ms; sessions that went wrong: "
              f"{results.count(False)}")
        print(f"  memory: bot RSS {bot_before:.0f} MiB before, {peaks['bot']:.0f} MiB peak; engine (dockerd, "
              f"containerd, shims, runsc) {engine_before:.0f} MiB before, {peaks['engine']:.0f} MiB peak "
              f"({(peaks['engine'] - engine_before) / members:.0f} MiB per member's running container)")
    finally:
        assert core.lab is not None
        for one in invs:
            await core.lab.reset(LabOwner(one.actor.id, "console:bench"))
        await core.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--members", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await against_cli(Path(tmp), args.rounds)
        await many_members(Path(tmp), args.members)


if __name__ == "__main__":
    asyncio.run(main())
