"""Points for one answer: a base for being right, a bonus for being fast, less for each hint shown."""

from __future__ import annotations

BASE_POINTS = 100
SPEED_BONUS = 50
HINT_COST = 25
MIN_POINTS = 10


def points_for(correct: bool, elapsed: float, window: float, hints_shown: int) -> int:
    """0 when wrong. Otherwise ``BASE - HINT_COST × hints`` (never below ``MIN_POINTS``) plus a speed
    bonus falling linearly from ``SPEED_BONUS`` at once to 0 at the end of the window."""
    if not correct:
        return 0
    base = max(MIN_POINTS, BASE_POINTS - HINT_COST * max(0, hints_shown))
    remaining = 0.0 if window <= 0 else min(1.0, max(0.0, 1.0 - elapsed / window))
    return base + round(SPEED_BONUS * remaining)
