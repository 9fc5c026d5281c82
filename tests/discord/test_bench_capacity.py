"""A smoke run of benchmarks/bench_capacity.py: the bot, started as production starts it, answers every
message of a concurrent burst (``!explain``, ``!help``, ``!quiz`` and typed answers) and every command runs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks import bench_capacity as bench


async def test_every_message_of_a_burst_is_answered(tmp_path: Path) -> None:
    workload = bench.build_workload(50, 10, seed=1)
    kinds = Counter(step.kind for steps in workload for step in steps)
    assert kinds["quiz"] and kinds["answer"] and kinds["explain"] and kinds["help"]
    studybot = next(target for target in bench.TARGETS if target.child == "studybot")

    result = await bench.measure(studybot, workload, 1, tmp_path, reply_timeout=15)

    assert result.lost == 0
    assert len(result.latencies) == 50
    # every command ran to an ordinary answer: no cooldown, no crash (typed answers are not commands)
    log = (tmp_path / "studybot.log").read_text(errors="replace")
    assert result.outcomes == Counter(ok=50 - kinds["answer"] + len(bench.WARM_UP)), log[-3000:]
