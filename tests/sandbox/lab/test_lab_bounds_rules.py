"""The bounds' rules without an engine: which /28 is free, whose volumes count, when the watcher asks the engine,
and the settings that configure them."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import SandboxSettings
from bot.sandbox.lab.subnets import first_free, used_subnets
from bot.sandbox.lab.volume_usage import VolumeUsage, engine_volumes, sizes_by_lab

POOL = ipaddress.IPv4Network("10.213.0.0/16")


def net(text: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(text)


def test_the_first_free_28_skips_every_subnet_that_overlaps_it() -> None:
    assert first_free(POOL, []) == net("10.213.0.0/28")
    assert first_free(POOL, [net("10.213.0.0/28"), net("10.213.0.16/28")]) == net("10.213.0.32/28")
    # a bigger network made by someone else inside the pool, and one outside it
    assert first_free(POOL, [net("10.213.0.0/24"), net("172.17.0.0/16")]) == net("10.213.1.0/28")
    assert first_free(POOL, [net("10.213.0.0/28"), net("10.213.0.32/28")]) == net("10.213.0.16/28")  # a gap
    assert first_free(POOL, [net("10.0.0.0/8")]) is None  # the whole pool is someone else's
    small = net("10.214.0.0/27")
    assert first_free(small, [net("10.214.0.0/28"), net("10.214.0.16/28")]) is None


def test_used_subnets_reads_every_ipv4_subnet_of_the_listing() -> None:
    listed: list[dict[str, Any]] = [
        {"IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}, {"Subnet": "fd00::/64"}]}},
        {"IPAM": {"Config": None}}, {"IPAM": None}, {"IPAM": {"Config": [{"Subnet": "garbage"}]}},
        {"IPAM": {"Config": [{"Subnet": "10.213.0.16/28"}]}},
    ]
    assert used_subnets(listed) == [net("172.17.0.0/16"), net("10.213.0.16/28")]


def volume(lab: str | None, owner: str, size: int) -> dict[str, Any]:
    labels = {"studybot.lab.owner": owner, **({"studybot.lab": lab} if lab else {})}
    return {"Name": f"lab-{lab}-v", "Labels": labels, "UsageData": {"Size": size, "RefCount": 1}}


def test_sizes_are_summed_per_lab_of_this_deployment_only() -> None:
    volumes = [
        volume("aaaaaaaaaa", "us", 100), volume("aaaaaaaaaa", "us", 50), volume("bbbbbbbbbb", "us", -1),
        volume("aaaaaaaaaa", "them", 10**9), volume(None, "us", 10**9),
        {"Name": "plain", "Labels": None, "UsageData": {"Size": 10**9}},
    ]
    assert sizes_by_lab(volumes, "us") == {"aaaaaaaaaa": 150, "bbbbbbbbbb": 0}


class FakeClient:
    def __init__(self, api_version: str, running: list[dict[str, Any]]) -> None:
        self.api_version = api_version
        self.running = running
        self.asked: list[str] = []

    def containers(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        self.asked.append("containers")
        return self.running

    def df(self) -> dict[str, Any]:
        self.asked.append("df")
        return {"Volumes": [volume("aaaaaaaaaa", "us", 5)], "Images": []}

    def _url(self, path: str) -> str:
        return path

    def _get(self, url: str, params: dict[str, str]) -> tuple[str, dict[str, str]]:
        self.asked.append(f"get {url} {params}")
        return url, params

    def _result(self, response: object, json: bool) -> dict[str, Any]:
        return {"Volumes": [volume("aaaaaaaaaa", "us", 7)]}


class FakeEngine:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    async def call(self, fn: Any) -> Any:
        return fn(self.client)


def test_volume_sizes_come_from_the_typed_df_when_the_engine_has_it() -> None:
    new, old = FakeClient("1.47", []), FakeClient("1.41", [])
    assert engine_volumes(new)[0]["UsageData"]["Size"] == 7
    assert new.asked == ["get /system/df {'type': 'volume'}"]
    assert engine_volumes(old)[0]["UsageData"]["Size"] == 5 and old.asked == ["df"]


async def test_the_watcher_measures_nothing_while_no_lab_container_runs() -> None:
    client = FakeClient("1.47", [])
    usage = VolumeUsage(FakeEngine(client), SandboxSettings(owner="us"))  # type: ignore[arg-type]
    assert await usage.watch() == 0
    assert client.asked == ["containers"]


def test_the_settings_are_checked() -> None:
    settings = SandboxSettings()
    assert (settings.lab_volume_mib, settings.lab_volume_check_seconds, settings.lab_network_pool) == (
        200, 10.0, "10.213.0.0/16"
    )
    assert SandboxSettings(lab_network_pool=" 10.50.0.0/20 ").lab_network_pool == "10.50.0.0/20"
    for bad in ("10.213.0.1/16", "10.213.0.0/29", "fd00::/64", "nonsense"):
        with pytest.raises(ValidationError):
            SandboxSettings(lab_network_pool=bad)
    with pytest.raises(ValidationError):
        SandboxSettings(lab_volume_check_seconds=1)
