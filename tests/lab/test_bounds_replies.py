"""The lab's volume and network-pool bounds in the member's words: ``!docker status`` and the refusals."""

from __future__ import annotations

from bot.lab.replies import refusal_text, state_reply
from bot.sandbox.lab.port import LabAnswer, LabQuotas, LabState
from bot.sandbox.protocol import state_from_wire, state_to_wire

QUOTAS = LabQuotas(3, 10, 5, 300 * 2**20, 3, 2, 1800.0, volume_bytes=200 * 2**20)


def status(lang: str, used: int, quotas: LabQuotas = QUOTAS) -> str:
    state = LabState(volumes=("data",), expires_at=2000.0, quotas=quotas, volume_bytes=used)
    return state_reply(lang, "!", state, now=1000.0).plain_text()


def test_status_shows_what_the_volumes_hold_against_the_limit() -> None:
    assert "Volume contents: 12.5 of 200 MiB" in status("en", int(12.5 * 2**20))
    assert "볼륨 내용: 200 MiB 중 12.5 MiB" in status("ko", int(12.5 * 2**20))
    over = status("en", 230 * 2**20)
    assert "Volume contents: 230.0 of 200 MiB: over the limit, so containers that mount them are stopped" in over
    assert "한도를 넘어" in status("ko", 230 * 2**20)
    older_runner = LabQuotas(3, 10, 5, 300 * 2**20, 3, 2, 1800.0)  # no volume limit on the wire: no line
    assert "Volume contents" not in status("en", 0, older_runner)


def test_the_state_keeps_the_volume_sizes_over_the_wire() -> None:
    state = LabState(volumes=("data",), quotas=QUOTAS, volume_bytes=12345)
    again = state_from_wire(state_to_wire(state)["state"])
    assert (again.volume_bytes, again.quotas) == (12345, QUOTAS)


def test_the_refusals_say_what_to_do() -> None:
    full = LabAnswer(125, "", refusal="quota", detail="volume_mib:200")
    assert refusal_text("en", "!", full) == (
        "Your lab's volumes hold more than 200 MiB together, so nothing that mounts them may run. Remove a volume "
        "with `!docker volume rm` (or everything with `!docker reset`)."
    )
    assert "`!docker volume rm`" in refusal_text("ko", "!", full)
    pool = LabAnswer(125, "", refusal="quota", detail="network_pool")
    assert refusal_text("en", "!", pool).startswith("No addresses are left for new lab networks on this runner")
    assert "주소가 남아 있지 않습니다" in refusal_text("ko", "!", pool)
