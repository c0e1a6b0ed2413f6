"""Placeholder for helper "precision"'s module (DESIGN-18.md), replaced at merge: plain
ratios per threshold, so the route can be written and tested against the same signature."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from chalicelib.review_names import THRESHOLDS


@dataclass(frozen=True)
class Scored:
    label: str
    confidence: float | None
    state: str | None


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    boxes: int
    reviewed: int
    accepted: int
    rejected: int
    precision: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class LabelPrecision:
    label: str
    boxes: int
    reviewed: int
    accepted: int
    rejected: int
    threshold: float | None
    rows: list[ThresholdRow]


def wilson(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    p, share = successes / n, z * z / n
    middle = (p + share / 2) / (1 + share)
    half = z * math.sqrt(p * (1 - p) / n + share / (4 * n)) / (1 + share)
    return max(0.0, middle - half), min(1.0, middle + half)


def _row(threshold: float, boxes: list[Scored]) -> ThresholdRow:
    above = [b for b in boxes if b.confidence is not None and b.confidence >= threshold]
    accepted = sum(b.state == "accepted" for b in above)
    rejected = sum(b.state == "rejected" for b in above)
    n = accepted + rejected
    low, high = wilson(accepted, n) if n else (None, None)
    precision = accepted / n if n else None
    return ThresholdRow(threshold, len(above), n, accepted, rejected, precision, low, high)


def by_label(boxes: Iterable[Scored], *, target: float = 0.9) -> list[LabelPrecision]:
    grouped: dict[str, list[Scored]] = {}
    for box in boxes:
        grouped.setdefault(box.label, []).append(box)
    table = []
    for label, scored in sorted(grouped.items()):
        rows = [_row(t, scored) for t in THRESHOLDS]
        reaching = [r.threshold for r in rows if r.precision is not None and r.precision >= target]
        accepted = sum(b.state == "accepted" for b in scored)
        rejected = sum(b.state == "rejected" for b in scored)
        table.append(
            LabelPrecision(
                label,
                len(scored),
                accepted + rejected,
                accepted,
                rejected,
                min(reaching) if reaching else None,
                rows,
            )
        )
    return table


def as_json(table: list[LabelPrecision], target: float) -> dict:
    return {"target": target, "method": "placeholder", "labels": [asdict(t) for t in table]}


def as_csv(table: list[LabelPrecision], target: float) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["label", *ThresholdRow.__dataclass_fields__])
    for label in table:
        for row in label.rows:
            writer.writerow([label.label, *asdict(row).values()])
    return out.getvalue()
