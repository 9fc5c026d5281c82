"""What a sandbox container may do: limits from the settings, and the engine request built from them.

Every field here is a containment the tests check by its effect. Nothing a chat member types
reaches this module except the argv list (handed to the container as-is, never to a shell on
the host) and an already allow-listed image name.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from bot.config import SandboxSettings

LABEL = "studybot.sandbox"
LABEL_DEADLINE = "studybot.deadline"
LABEL_INSTANCE = "studybot.instance"
NOBODY = "65534:65534"
RUNC = "runc"
# A container's deadline label: created + wall clock + this. Past it, any sweeper may remove it (its run
# is over however slow the engine was); before it, no sweeper touches it, whichever instance owns it.
DEADLINE_GRACE = 120.0
RUNSC = "runsc"
# gVisor runs each sandboxed process on several host threads (its own threads count too), so the
# host-side pids limit is scaled to give the sandbox about the same number of processes.
RUNSC_THREADS_PER_PROCESS = 8
RUNSC_BASE_THREADS = 64


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 10.0
    memory_mib: int = 128
    cpus: float = 0.5
    pids: int = 64
    tmp_mib: int = 16
    output_bytes: int = 1024 * 1024
    nofile: int = 256

    @classmethod
    def from_settings(cls, settings: SandboxSettings) -> Limits:
        return cls(
            timeout=settings.timeout,
            memory_mib=settings.memory_mib,
            cpus=settings.cpus,
            pids=settings.pids,
            tmp_mib=settings.tmp_mib,
            output_bytes=settings.output_kib * 1024,
        )


def max_running(settings: SandboxSettings) -> int:
    return settings.max_running or os.cpu_count() or 1


def host_pids_limit(limits: Limits, runtime: str) -> int:
    if runtime == RUNSC:
        return RUNSC_BASE_THREADS + RUNSC_THREADS_PER_PROCESS * limits.pids
    return limits.pids


def container_request(
    image: str,
    argv: list[str],
    limits: Limits,
    runtime: str,
    owner: str,
    instance: str,
    *,
    grace: float = DEADLINE_GRACE,
) -> dict[str, Any]:
    """Keyword arguments for ``APIClient.create_container`` (minus ``host_config``) and for
    ``APIClient.create_host_config``, as ``{"create": {...}, "host": {...}}``."""
    memory = limits.memory_mib * 1024 * 1024
    tmp_bytes = limits.tmp_mib * 1024 * 1024
    fsize = tmp_bytes  # no single file can be larger than /tmp anyway
    deadline = int(time.time() + limits.timeout + grace)
    uid, gid = NOBODY.split(":")
    ulimits = [
        {"Name": "nofile", "Soft": limits.nofile, "Hard": limits.nofile},
        {"Name": "fsize", "Soft": fsize, "Hard": fsize},
        {"Name": "core", "Soft": 0, "Hard": 0},
    ]
    if runtime == RUNSC:
        # gVisor's kernel is the sandbox's own, so RLIMIT_NPROC counts this container's processes only:
        # a fork bomb gets "can't fork" inside, as under runc, instead of crashing the sandbox at the host's
        # pids limit. (Under runc it would count every container of the same host user: never set there.)
        ulimits.append({"Name": "nproc", "Soft": limits.pids, "Hard": limits.pids})
    host: dict[str, Any] = {
        "network_mode": "none",
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],  # the default seccomp profile stays on
        "privileged": False,
        "read_only": True,
        # /tmp inside the container: the only writable place, size-capped, gone with the container.
        # runc gives the tmpfs the mode of the image's own /tmp (0755 root in some images) whatever
        # ``mode`` says, so the mount is also owned by the sandbox user: writable under both runtimes.
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={tmp_bytes},mode=1777,uid={uid},gid={gid}"},  # noqa: S108
        "shm_size": 1024 * 1024,
        "mem_limit": memory,
        "memswap_limit": memory,  # equal to the memory limit: no swap
        "nano_cpus": int(limits.cpus * 1e9),
        "pids_limit": host_pids_limit(limits, runtime),
        "ulimits": ulimits,
        "init": True,
        "ipc_mode": "private",
        "oom_score_adj": 1000,
        "log_config": {"Type": "none", "Config": {}},
        "binds": [],
        "auto_remove": False,  # removed by the bot after it has read the exit state
    }
    if runtime == RUNSC:
        host["runtime"] = RUNSC
    create: dict[str, Any] = {
        "image": image,
        "command": list(argv),
        "user": NOBODY,
        "environment": [],  # nothing from the host; the image's PATH still applies
        "working_dir": "/tmp",  # noqa: S108 - the container's own tmpfs
        "network_disabled": True,
        "stdin_open": False,
        "tty": False,
        "labels": {LABEL: owner, LABEL_INSTANCE: instance, LABEL_DEADLINE: str(deadline)},
        "hostname": "sandbox",
    }
    return {"create": create, "host": host}
