"""Each containment, checked by its effect inside a real container (default runtime: gVisor when the
engine has it; the kernel-level ones also under plain runc)."""

from __future__ import annotations

import os

import pytest

from bot.replies import Code, Tone
from tests.sandbox.sbx import BOTH_PATHS, Bot, MakeBot

pytestmark = pytest.mark.docker


def output_of(reply) -> str:  # type: ignore[no-untyped-def]
    return next(block.text for block in reply.blocks if isinstance(block, Code))


@pytest.fixture(params=["auto", "runc"])
async def any_runtime(request: pytest.FixtureRequest, docker_client: object, make_bot: MakeBot) -> Bot:
    return await make_bot(sandbox_runtime=request.param)


@BOTH_PATHS
async def test_busy_loop_is_killed_at_the_wall_clock(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_timeout=1.5)
    reply = await bot.result("alpine sh -c 'while :; do :; done'")
    text = reply.plain_text()
    assert reply.tone is Tone.WARNING
    assert "timed out" in text
    assert "exit 137** (SIGKILL)" in text


async def test_sleep_forever_is_killed(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_timeout=1.5)
    text = (await bot.result("alpine sleep 100000")).plain_text()
    assert "timed out: stopped after 1.5 s" in text


@BOTH_PATHS
async def test_memory_bomb_is_killed_for_memory(any_runtime: Bot) -> None:
    reply = await any_runtime.result("alpine sh -c 'x=a; while :; do x=$x$x; done'")
    text = reply.plain_text()
    assert "killed for memory" in text
    assert "timed out" not in text
    assert reply.tone is Tone.WARNING


async def test_fork_bomb_is_contained(any_runtime: Bot) -> None:
    reply = await any_runtime.result("alpine sh -c 'f(){ f | f & }; f; sleep 2; echo after'")
    text = reply.plain_text()
    # The process limit stops the bomb long before the wall clock: fork fails inside the container
    # ("can't fork") under runc (pids cgroup) and under gVisor (RLIMIT_NPROC in its own kernel).
    assert "timed out" not in text
    assert "can't fork" in text, text
    assert output_of(await any_runtime.result("alpine echo still-fine")) == "still-fine"


@pytest.mark.parametrize("runtime", ["auto", "runc"])
async def test_process_limit(make_bot: MakeBot, docker_client: object, runtime: str) -> None:
    # A small process limit and a longer wall clock than the other tests': a few dozen forks are enough to reach
    # it, and forks under gVisor take seconds on a busy 2-core machine.
    bot = await make_bot(sandbox_runtime=runtime, sandbox_timeout=10, sandbox_pids=16)
    reply = await bot.result("alpine sh -c 'for i in $(seq 1 40); do sleep 5 & done; echo done'")
    out = output_of(reply)
    assert "can't fork" in out or "Resource temporarily unavailable" in out, reply.plain_text()


async def test_cpu_quota_slows_a_busy_loop(make_bot: MakeBot, docker_client: object) -> None:
    script = "alpine sh -c 'i=0; end=$(($(date +%s)+2)); while [ $(date +%s) -lt $end ]; do i=$((i+1)); done; echo $i'"
    half = await make_bot(sandbox_cpus=0.25, sandbox_timeout=6)
    slow = int(output_of(await half.result(script)))
    full = await make_bot(sandbox_cpus=1.0, sandbox_timeout=6)
    fast = int(output_of(await full.result(script)))
    assert slow < 0.6 * fast, (slow, fast)


@BOTH_PATHS
async def test_output_flood_with_newlines_is_capped(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_output_kib=64)
    reply = await bot.result("alpine yes flood")
    text = reply.plain_text()
    assert "output truncated" in text
    assert "timed out" not in text  # stopped at the cap, not at the wall clock
    shown = output_of(reply)
    assert len(shown) <= 1900 and shown.count("\n") < 40
    (attachment,) = reply.attachments
    assert attachment.filename == "output.txt"
    assert 60 * 1024 <= len(attachment.data) <= 64 * 1024
    assert "Showing the first 30 of" in text


async def test_output_flood_without_newlines_is_capped(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_output_kib=32)
    reply = await bot.result("alpine sh -c 'while :; do printf xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done'")
    assert "output truncated" in reply.plain_text()
    assert len(output_of(reply)) <= 1900
    assert len(reply.attachments[0].data) == 32 * 1024


async def test_disk_fill_stops_at_the_tmp_size(any_runtime: Bot) -> None:
    out = output_of(
        await any_runtime.result(
            "alpine sh -c 'dd if=/dev/zero of=/tmp/fill bs=1M count=64; ls -l /tmp/fill; df -k /tmp'"
        )
    )
    assert "No space left on device" in out or "File size limit exceeded" in out
    size = int(out.split("/tmp/fill")[0].split()[-4])
    assert size <= 16 * 1024 * 1024


async def test_writes_outside_tmp_fail(any_runtime: Bot) -> None:
    out = output_of(
        await any_runtime.result(
            "alpine sh -c 'for p in /etc/x /x /bin/x /var/tmp/x /run/lock/x /root/x; do touch $p 2>/dev/null "
            "&& echo WROTE $p; done; echo checked'"
        )
    )
    assert out == "checked"


async def test_files_do_not_survive_to_the_next_run(any_runtime: Bot) -> None:
    bot = any_runtime
    first = output_of(await bot.result("alpine sh -c 'echo s > /tmp/left && echo s > /dev/shm/left && echo ok'"))
    assert first == "ok"
    second = output_of(await bot.result("alpine sh -c 'cat /tmp/left /dev/shm/left 2>&1; echo end'"))
    assert "s\n" not in second
    assert second.endswith("end")


@BOTH_PATHS
async def test_no_network_interfaces_but_loopback(any_runtime: Bot) -> None:
    out = output_of(await any_runtime.result("alpine sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1'"))
    assert out.split() == ["lo"]
    out = output_of(await any_runtime.result("alpine sh -c 'wget -q -T 2 -O- http://1.1.1.1/ 2>&1; echo rc=$?'"))
    assert "rc=0" not in out


@BOTH_PATHS
async def test_non_root_without_capabilities(any_runtime: Bot) -> None:
    out = output_of(await any_runtime.result("alpine sh -c 'id -u; id -g; grep CapEff /proc/self/status'"))
    lines = out.split("\n")
    assert lines[:2] == ["65534", "65534"]
    assert lines[2].split() == ["CapEff:", "0000000000000000"]


async def test_no_new_privileges_and_seccomp_under_runc(make_bot: MakeBot, docker_client: object) -> None:
    # gVisor filters system calls in its own kernel; these /proc fields exist under runc.
    bot = await make_bot(sandbox_runtime="runc")
    out = output_of(await bot.result("alpine grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status"))
    assert out.split() == ["NoNewPrivs:", "1", "Seccomp:", "2"]


async def test_resource_limits_inside(any_runtime: Bot) -> None:
    out = output_of(await any_runtime.result("alpine sh -c 'ulimit -n; ulimit -c; ulimit -f'"))
    assert out.split("\n") == ["256", "0", str(16 * 1024 * 1024 // 512)]


@BOTH_PATHS
async def test_host_environment_is_not_visible(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYBOT_CANARY_SECRET", "hunter2")
    assert os.environ["STUDYBOT_CANARY_SECRET"] == "hunter2"
    out = output_of(await bot.result("alpine env"))
    names = {line.split("=", 1)[0] for line in out.split("\n")}
    assert "hunter2" not in out
    assert names <= {"PATH", "HOME", "HOSTNAME", "PWD", "SHLVL"}


async def test_no_host_mounts(any_runtime: Bot) -> None:
    out = output_of(await any_runtime.result("alpine cut -d' ' -f2 /proc/mounts"))
    allowed = ("/", "/proc", "/dev", "/sys", "/tmp", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
               "/sbin/docker-init")
    for mount in out.split("\n"):
        assert mount.startswith(allowed), mount
    assert "docker.sock" not in out


async def test_init_reaps_zombies(any_runtime: Bot) -> None:
    out = output_of(
        await any_runtime.result(
            "alpine sh -c '(sleep 0.2 &); sleep 1; ps -o stat,comm | tail -n +2; cat /proc/1/comm'"
        )
    )
    states = [line.split()[0] for line in out.split("\n")[:-1]]
    assert "Z" not in "".join(states)
    assert "init" in out.split("\n")[-1]


async def test_runtime_runc_is_reported(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_runtime="runc")
    assert "runtime `runc`" in (await bot.result("alpine true")).plain_text()


async def test_runtime_runsc_forced(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_runtime="runsc")
    out = output_of(await bot.result("alpine dmesg"))
    assert "gVisor" in out or "Starting gVisor" in out
