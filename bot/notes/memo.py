"""Bounded memories of work already done (a search, a word look-up): a dict that forgets its oldest entry
when full, so a long-running bot's memory stays flat however many different things members ask."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Keep ``value`` under ``key`` (the oldest entry goes when ``cache`` holds ``limit``); returns ``value``."""
    if key not in cache and len(cache) >= limit:
        del cache[next(iter(cache))]
    cache[key] = value
    return value
