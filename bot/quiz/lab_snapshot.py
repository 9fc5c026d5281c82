"""A lab's state as JSON, so the "before" of an exercise survives a restart (stored with the task)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.sandbox.lab.port import LabContainer, LabImage, LabState

_TUPLES = {"command", "env", "ports", "networks", "volumes", "cmd", "entrypoint"}


def dump_state(state: LabState) -> str:
    """What the checks compare with: containers, images, volumes and networks (not quotas or expiry)."""
    return json.dumps(
        {
            "containers": [asdict(c) for c in state.containers],
            "images": [asdict(i) for i in state.images],
            "volumes": list(state.volumes),
            "networks": list(state.networks),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if k in _TUPLES else v for k, v in raw.items()}


def load_state(text: str) -> LabState:
    data = json.loads(text)
    return LabState(
        containers=tuple(LabContainer(**_fields(c)) for c in data.get("containers", ())),
        images=tuple(LabImage(**_fields(i)) for i in data.get("images", ())),
        volumes=tuple(data.get("volumes", ())),
        networks=tuple(data.get("networks", ())),
    )
