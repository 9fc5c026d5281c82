"""!run against the docker CLI on the same engine, with the same limits. Prints ratios.

Usage: python benchmarks/bench_run.py [--rounds 15] [--burst 32] [--parallel 4]
Needs the engine and the local test image (.ci/setup-docker.sh).

1. latency: ``!run alpine echo hi`` through Core.invoke (until the reply is sent) vs ``docker run --rm``
   with the same limits and runtime; the median ratio (target <= 1.05). The time until the container
   is also removed is printed too.
2. throughput: ``--burst`` runs submitted at once (``sandbox_max_running=--parallel``) vs the best
   ``xargs -P`` over 1, 2, 4 and 8 parallel CLI runs (target >= 0.9).
3. memory: the bot's resident memory while runs flood their output, text (``yes``) and binary
   (``cat /dev/urandom``), each against the RSS before the floods (target: grows < 10 MiB).
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
from bot.run import command as run_feature
from bot.sandbox.policy import RUNSC, host_pids_limit
from bot.sandbox.service import Sandbox
from bot.storage import Database
from tests.invocations import CollectingResponder


async def make_core(state: Path, **overrides: object) -> Core:
    settings = load_settings(
        db_path=state / "bench.sqlite3", sandbox_images="alpine", sandbox_prefetch=False,
        sandbox_cooldown=0, sandbox_max_queue=64, sandbox_owner="studybot-bench", **overrides,
    )
    core = Core(settings=settings, db=await Database.open(settings.db_path), notes=None)  # type: ignore[arg-type]
    await run_feature.install(core)
    return core


def cli_args(sandbox: Sandbox, runtime: str) -> list[str]:
    limits = sandbox.limits
    tmp = limits.tmp_mib * 1024 * 1024
    args = [
        "docker", "run", "--rm", "--network", "none", "-u", "65534:65534", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--read-only", "--tmpfs", f"/tmp:rw,nosuid,nodev,size={tmp},mode=1777",
        "--shm-size", "1m", "-m", f"{limits.memory_mib}m", "--memory-swap", f"{limits.memory_mib}m",
        "--cpus", str(limits.cpus), "--pids-limit", str(host_pids_limit(limits, runtime)),
        "--ulimit", f"nofile={limits.nofile}:{limits.nofile}", "--ulimit", f"fsize={tmp}:{tmp}",
        "--ulimit", "core=0:0", "--init", "--ipc", "private", "--oom-score-adj", "1000", "--log-driver", "none",
        "-w", "/tmp", "--hostname", "sandbox",
    ]
    if runtime == RUNSC:
        args += ["--runtime", RUNSC]
    return [*args, "alpine"]


def inv(user: str) -> Invocation:
    return Invocation(Actor(user, user), Place("console", "bench"), CollectingResponder())


async def latency(core: Core, rounds: int) -> None:
    sandbox = core.sandbox
    assert isinstance(sandbox, Sandbox)
    runtime = await sandbox.runtime()
    cli = cli_args(sandbox, runtime)
    bot_times, bot_removed, cli_times = [], [], []
    for i in range(rounds + 2):  # two warm-up rounds
        one = inv(f"lat{i}")
        started = time.perf_counter()
        await core.invoke(one, "run", "alpine echo hi")
        replied = time.perf_counter() - started
        await sandbox.runner.settle()
        removed = time.perf_counter() - started
        assert "hi" in one.responder.sent[-1].plain_text()  # type: ignore[attr-defined]
        started = time.perf_counter()
        out = await asyncio.to_thread(subprocess.run, [*cli, "echo", "hi"], capture_output=True, check=True)
        cli_time = time.perf_counter() - started
        assert out.stdout.strip() == b"hi"
        if i >= 2:
            bot_times.append(replied)
            bot_removed.append(removed)
            cli_times.append(cli_time)
    bot_median, removed_median, cli_median = map(statistics.median, (bot_times, bot_removed, cli_times))
    print(f"latency ({runtime}, {rounds} rounds): !run reply {bot_median * 1000:.0f} ms, "
          f"reply+removal {removed_median * 1000:.0f} ms, docker run --rm {cli_median * 1000:.0f} ms")
    print(f"  ratio reply/cli = {bot_median / cli_median:.3f} (target <= 1.05); "
          f"ratio reply+removal/cli = {removed_median / cli_median:.3f}")


async def throughput(state: Path, burst: int, parallel: int) -> None:
    core = await make_core(state, sandbox_max_running=parallel)
    sandbox = core.sandbox
    assert isinstance(sandbox, Sandbox)
    runtime = await sandbox.runtime()
    try:
        await core.invoke(inv("warm"), "run", "alpine true")
        invs = [inv(f"tp{i}") for i in range(burst)]
        started = time.perf_counter()
        await asyncio.gather(*(core.invoke(one, "run", "alpine echo hi") for one in invs))
        await sandbox.runner.settle()
        bot_rate = burst / (time.perf_counter() - started)
        lost = sum(1 for one in invs if "hi" not in one.responder.sent[-1].plain_text())  # type: ignore[attr-defined]
    finally:
        await core.close()
    cli = " ".join(cli_args(sandbox, runtime)) + " echo hi"
    best, best_p = 0.0, 0
    for p in (1, 2, 4, 8):
        started = time.perf_counter()
        await asyncio.to_thread(
            subprocess.run,
            ["xargs", "-P", str(p), "-I{}", "sh", "-c", cli + " >/dev/null"],
            input="\n".join(str(i) for i in range(burst)), text=True, check=True,
        )
        rate = burst / (time.perf_counter() - started)
        if rate > best:
            best, best_p = rate, p
    print(f"throughput ({runtime}, {burst} runs, limit {parallel}): !run {bot_rate:.2f} runs/s "
          f"(lost {lost}), best xargs -P{best_p} {best:.2f} runs/s")
    print(f"  ratio = {bot_rate / best:.3f} (target >= 0.9)")


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


TEXT_FLOODS = ["alpine yes flood", "alpine sh -c 'while :; do echo; done'", "alpine sh -c 'yes ünï€😀 | tr -d \\\\n'"]
BINARY_FLOODS = ["alpine cat /dev/urandom", "alpine cat /dev/zero", "alpine sh -c 'cat /dev/urandom | tr -d \\\\n'"]


async def flood_growth(core: Core, floods: list[str], rounds: int = 3) -> tuple[float, float]:
    """(RSS before, peak RSS) in MiB while ``floods`` run ``rounds`` times, all of a round at once."""
    base = rss_kib()
    peak = base
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_kib())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for round_ in range(rounds):
            await asyncio.gather(
                *(core.invoke(inv(f"f{round_}-{i}"), "run", flood) for i, flood in enumerate(floods))
            )
    finally:
        stop.set()
        sampler.join()
    return base / 1024, peak / 1024


async def memory_of(state: Path, name: str) -> None:
    core = await make_core(state, sandbox_max_running=2, sandbox_timeout=10)
    floods = TEXT_FLOODS if name == "text" else BINARY_FLOODS
    try:
        await core.invoke(inv("warm"), "run", "alpine true")
        base, peak = await flood_growth(core, floods)
    finally:
        await core.close()
    print(f"memory ({name} floods: {', '.join(f.removeprefix('alpine ') for f in floods)}; 3 rounds at once, "
          f"cap {core.settings.sandbox.output_kib} KiB each): RSS {base:.1f} MiB before, {peak:.1f} MiB peak, "
          f"growth {peak - base:.1f} MiB (target < 10)", flush=True)


async def memory(state: Path) -> None:
    """The bot's resident memory while runs flood their output (issue 10, item 8). Text and binary floods
    each run in a fresh process, so neither profits from the other's high-water mark; the baseline is that
    process's RSS after one warm-up run, before any flood. Target: growth < 10 MiB for each."""
    for name in ("text", "binary"):
        await asyncio.to_thread(
            subprocess.run, [sys.executable, __file__, "--memory-floods", name], check=True
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--burst", type=int, default=32)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--memory-only", action="store_true", help="only the output-flood memory check")
    parser.add_argument("--memory-floods", choices=["text", "binary"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        if args.memory_floods:
            await memory_of(state, args.memory_floods)
            return
        if args.memory_only:
            await memory(state)
            return
        core = await make_core(state)
        try:
            await latency(core, args.rounds)
        finally:
            await core.close()
        await throughput(state, args.burst, args.parallel)
        await memory(state)


if __name__ == "__main__":
    asyncio.run(main())
