"""Lab networks' addresses: a /28 each from ``STUDYBOT_SANDBOX_LAB_NETWORK_POOL``, never from the engine's default
address pools.

A network created without an IPAM config takes a whole subnet of the engine's default pools (about 30 on a default
engine), which 20 labs × 2 networks would exhaust, and with them every other ``docker network create`` and compose
project on the host. A /28 holds 13 containers, more than a lab may have. The engine is the only record of what is
taken: at creation every network's subnets are listed (another deployment's or runner's included) and the first
free /28 of the pool is asked for; when another runner took it in the meantime the engine refuses the overlap and
the next free one is tried.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from docker.errors import APIError
from docker.types import IPAMConfig, IPAMPool

from bot.sandbox.lab.context import LabContext
from bot.sandbox.lab.policy import Refused

log = logging.getLogger(__name__)

SUBNET_PREFIX = 28
CREATE_TRIES = 5  # overlaps with networks created by another runner between our listing and our create
OVERLAP = "overlaps"  # the engine's "Pool overlaps with other one on this address space"


def used_subnets(networks: Iterable[Mapping[str, Any]]) -> list[ipaddress.IPv4Network]:
    """Every IPv4 subnet the engine's networks hold (as ``GET /networks`` lists them)."""
    used = []
    for network in networks:
        for config in (network.get("IPAM") or {}).get("Config") or ():
            try:
                subnet = ipaddress.ip_network(str((config or {}).get("Subnet") or ""), strict=False)
            except ValueError:
                continue
            if isinstance(subnet, ipaddress.IPv4Network):
                used.append(subnet)
    return used


def first_free(pool: ipaddress.IPv4Network, used: Iterable[ipaddress.IPv4Network]) -> ipaddress.IPv4Network | None:
    """The lowest /28 of ``pool`` that overlaps none of ``used``; None when there is none."""
    step = 1 << (32 - SUBNET_PREFIX)
    start, end = int(pool.network_address), int(pool.broadcast_address)
    spans = sorted((int(u.network_address), int(u.broadcast_address)) for u in used if u.overlaps(pool))
    for low, high in spans:
        if start + step - 1 < low:
            break
        if high >= start:
            start = (high // step + 1) * step
    if start + step - 1 > end:
        return None
    return ipaddress.IPv4Network((start, SUBNET_PREFIX))


async def create_network(ctx: LabContext, name: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """Create the lab's internal bridge network ``name`` (the member's name) on a free /28 of the pool.

    Refused with ``quota`` / ``network_pool`` when the pool has no free /28 left."""
    pool = ipaddress.IPv4Network(ctx.settings.lab_network_pool)
    taken: list[ipaddress.IPv4Network] = []
    overlap: APIError | None = None
    async with ctx.network_lock:  # this process's labs never race each other for a subnet
        for _ in range(CREATE_TRIES):
            listed = await ctx.engine.call(lambda c: c.networks())
            subnet = first_free(pool, [*used_subnets(listed), *taken])
            if subnet is None:
                raise Refused("quota", "network_pool")
            ipam = IPAMConfig(pool_configs=[IPAMPool(subnet=str(subnet))])
            try:
                made: dict[str, Any] = await ctx.engine.call(
                    lambda c, i=ipam: c.create_network(
                        ctx.names.engine(name), driver="bridge", internal=True, labels=dict(labels), ipam=i,
                        check_duplicate=True,
                    )
                )
                return made
            except APIError as exc:
                if OVERLAP not in str(exc.explanation or exc):
                    raise
                log.info("lab network %s: %s was taken meanwhile, trying the next subnet", name, subnet)
                taken.append(subnet)
                overlap = exc
    assert overlap is not None
    raise overlap  # the engine's own message: every try met a subnet taken meanwhile
