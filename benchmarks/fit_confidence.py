"""Fit the notes' confidence model (bot/notes/confidence.py) on the tuning splits, and show its trade-off.

    python benchmarks/fit_confidence.py [--l2 0.1]

Every question of the tuning splits (`dev` to `dev11` in tests/explain/natural) is searched; where the
best entry has question forms, its evidence is one example, labelled 1 when that entry is a right answer. A
logistic regression (plain gradient descent on standardised features, L2) is fitted on all of them together,
and each split is also scored by a model fitted on the others only, to show how far the fit carries to
questions it did not see. Prints BIAS and WEIGHTS to paste into bot/notes/confidence.py. The held-out splits are never
read here.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.explain.command import explainer  # noqa: E402
from bot.notes.confidence import Evidence  # noqa: E402
from tests.explain import evaluation  # noqa: E402

Example = tuple[tuple[float, ...], float]


async def examples(splits: tuple[str, ...]) -> dict[str, list[Example]]:
    with tempfile.TemporaryDirectory() as tmp:
        core = await Core.start(load_settings(db_path=Path(tmp) / "fit.sqlite3", data_dir=ROOT / "data",
                                              sandbox_enabled=False))
        try:
            the = explainer(core)
            if not the.reference.available:
                raise SystemExit("Docker's reference (docker-doc) is needed: the model weighs it")
            out: dict[str, list[Example]] = {}
            for split in splits:
                rows: list[Example] = []
                for question in evaluation.load(split):
                    result = await core.notes.search(question.q)
                    if not result.calibrated or result.evidence is None or result.vetoed or result.elsewhere:
                        continue
                    good = question.expect is not None and evaluation.right(result.hits[0].key, question.expect)
                    rows.append((the.evidence(question.q, result).values(), float(good)))
                out[split] = rows
            return out
        finally:
            await core.close()


def fit(rows: list[Example], l2: float, steps: int = 4000, rate: float = 0.5) -> tuple[float, list[float]]:
    """Bias and weights on the raw features (standardisation folded back in)."""
    width = len(rows[0][0])
    mean = [sum(x[i] for x, _ in rows) / len(rows) for i in range(width)]
    spread = [math.sqrt(sum((x[i] - mean[i]) ** 2 for x, _ in rows) / len(rows)) or 1.0 for i in range(width)]
    data = [([(x[i] - mean[i]) / spread[i] for i in range(width)], y) for x, y in rows]
    bias, weights = 0.0, [0.0] * width
    for _ in range(steps):
        grad_b, grad = 0.0, [0.0] * width
        for z, y in data:
            error = _sigmoid(bias + sum(w * v for w, v in zip(weights, z, strict=True))) - y
            grad_b += error
            for i, v in enumerate(z):
                grad[i] += error * v
        bias -= rate * grad_b / len(data)
        weights = [w - rate * (g / len(data) + l2 * w) for w, g in zip(weights, grad, strict=True)]
    raw = [w / s for w, s in zip(weights, spread, strict=True)]
    return bias - sum(w * m for w, m in zip(raw, mean, strict=True)), raw


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def trade_off(rows: list[Example], bias: float, weights: list[float]) -> str:
    """Share answered right and answered wrong at a few thresholds."""
    parts = []
    for sure in (0.6, 0.7, 0.75, 0.8, 0.9):
        right = wrong = 0
        for x, y in rows:
            if _sigmoid(bias + sum(w * v for w, v in zip(weights, x, strict=True))) >= sure:
                right += y == 1.0
                wrong += y == 0.0
        parts.append(f"{sure:.2f}: {right / len(rows):.2f} right, {wrong / len(rows):.2f} wrong")
    return " | ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--l2", type=float, default=0.1)
    args = parser.parse_args()
    data = asyncio.run(examples(evaluation.TUNING))
    for held in evaluation.TUNING:
        bias, weights = fit([row for split in evaluation.TUNING if split != held for row in data[split]], args.l2)
        shown = trade_off(data[held], bias, weights)
        print(f"fitted without {held}, scored on it ({len(data[held])} examples): {shown}")
    rows = [row for split in evaluation.TUNING for row in data[split]]
    bias, weights = fit(rows, args.l2)
    print(f"fitted on all ({len(rows)} examples): {trade_off(rows, bias, weights)}")
    print(f"fields: {', '.join(list(Evidence.__dataclass_fields__)[:len(weights)])}")
    print(f"BIAS = {bias:.3f}")
    print(f"WEIGHTS = ({', '.join(f'{w:.3f}' for w in weights)})")


if __name__ == "__main__":
    main()
