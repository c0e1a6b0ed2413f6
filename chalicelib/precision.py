"""Precision by confidence, per label, from people's reviews of scored boxes.

Pure standard library (the HTTP functions import it). For each label and each threshold of
``review_names.THRESHOLDS``: how many boxes score at least that much, how many of them people
reviewed, accepted and rejected, the precision those reviews estimate for all of them with
its 95 % Wilson interval, and the lowest threshold whose precision reaches a target.

The boxes are cut into bins between consecutive thresholds (the last from 0.95 up). A queue
sample takes the same number of boxes from a sparse bin as from a crowded one, so the
precision at a threshold weights each bin's accepted share by the bin's number of boxes, not
by its number of reviews; its interval is Wilson's at the Kish effective sample size of those
weights. docs/review.md ("Precision by confidence") gives the formulas and a worked example.
"""

from __future__ import annotations

import bisect
import csv
import io
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from chalicelib.errors import BadRequestError
from chalicelib.formats.text import spreadsheet_safe
from chalicelib.review_names import THRESHOLDS

METHOD = (
    "Boxes are binned by confidence between consecutive thresholds (the last bin from "
    f"{THRESHOLDS[-1]:.2f} up). Precision at a threshold is the accepted share of reviewed "
    "boxes in each bin at or above it, weighted by the bin's number of boxes (bins without "
    "a review left out), with a 95 % Wilson interval at the Kish effective sample size. "
    "Boxes without a confidence are left out."
)
CSV_COLUMNS = (
    "label",
    "threshold",
    "boxes",
    "reviewed",
    "accepted",
    "rejected",
    "precision",
    "low_95",
    "high_95",
    "target",
    "lowest_threshold_for_target",
)
# A weighted estimate of exactly the target may land a rounding error below it.
_ROUNDING = 1e-12


@dataclass(frozen=True)
class Scored:
    """One box as precision counts it: its label, its confidence (None: none) and its review
    state ("accepted", "rejected", or None when nobody reviewed it)."""

    label: str
    confidence: float | None
    state: str | None


@dataclass(frozen=True)
class ThresholdRow:
    """The boxes scoring at least ``threshold``, their reviews, and the precision those
    reviews estimate for all of them with its 95 % interval (None: none reviewed)."""

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
    """A label's boxes and reviews (all of them, with a confidence or not), the lowest
    threshold whose precision reaches the target (None: none does), and a row per threshold."""

    label: str
    boxes: int
    reviewed: int
    accepted: int
    rejected: int
    threshold: float | None
    rows: list[ThresholdRow]


@dataclass
class _Bin:
    """The boxes of one label whose confidence lies in one bin, and their reviews."""

    boxes: int = 0
    accepted: int = 0
    rejected: int = 0

    @property
    def reviewed(self) -> int:
        return self.accepted + self.rejected


@dataclass
class _Tally:
    """One label's boxes: its totals and, for those with a confidence of at least the lowest
    threshold, its bins (bin i from THRESHOLDS[i] up to the next threshold)."""

    total: _Bin = field(default_factory=_Bin)
    bins: list[_Bin] = field(default_factory=lambda: [_Bin() for _ in THRESHOLDS])

    def add(self, box: Scored) -> None:
        places = [self.total]
        if box.confidence is not None and box.confidence >= THRESHOLDS[0]:
            places.append(self.bins[bisect.bisect_right(THRESHOLDS, box.confidence) - 1])
        for place in places:
            place.boxes += 1
            place.accepted += box.state == "accepted"
            place.rejected += box.state == "rejected"

    def precision(self, label: str, target: float) -> LabelPrecision:
        rows = [_row(threshold, self.bins[i:]) for i, threshold in enumerate(THRESHOLDS)]
        reaching = [
            row.threshold
            for row in rows
            if row.precision is not None and row.precision >= target - _ROUNDING
        ]
        return LabelPrecision(
            label=label,
            boxes=self.total.boxes,
            reviewed=self.total.reviewed,
            accepted=self.total.accepted,
            rejected=self.total.rejected,
            threshold=reaching[0] if reaching else None,
            rows=rows,
        )


def _row(threshold: float, bins: list[_Bin]) -> ThresholdRow:
    precision, low, high = _estimate([one for one in bins if one.reviewed])
    return ThresholdRow(
        threshold=threshold,
        boxes=sum(one.boxes for one in bins),
        reviewed=sum(one.reviewed for one in bins),
        accepted=sum(one.accepted for one in bins),
        rejected=sum(one.rejected for one in bins),
        precision=precision,
        low=low,
        high=high,
    )


def _estimate(reviewed: list[_Bin]) -> tuple[float | None, float | None, float | None]:
    """Precision over the boxes of the reviewed bins, each bin's accepted share weighted by
    its number of boxes, and its Wilson interval at the Kish effective n."""
    if not reviewed:
        return None, None, None
    boxes = sum(one.boxes for one in reviewed)
    n = sum(one.reviewed for one in reviewed)
    accepted = sum(one.accepted for one in reviewed)
    # The same share of every bin reviewed (all of it, say): each review weighs the same.
    if all(one.reviewed * boxes == one.boxes * n for one in reviewed):
        return accepted / n, *wilson(accepted, n)
    precision = sum(one.boxes * one.accepted / one.reviewed for one in reviewed) / boxes
    # A review in a bin stands for boxes / reviewed boxes of it; Kish: (sum w)^2 / sum w^2.
    effective_n = boxes**2 / sum(one.boxes**2 / one.reviewed for one in reviewed)
    return precision, *wilson(precision * effective_n, effective_n)


def wilson(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion.

    Parameters
    ----------
    successes : float
        Successes among the ``n`` trials, 0 <= successes <= n (need not be whole: an
        effective count).
    n : float
        Trials, > 0 (an effective sample size need not be whole).
    z : float
        The standard normal quantile of the interval: 1.96 for 95 %.

    Returns
    -------
    (low, high) : tuple[float, float]
        Bounds of the interval, 0 <= low <= successes / n <= high <= 1.
    """
    if not n > 0 or not 0 <= successes <= n:
        raise ValueError(f"wilson needs 0 <= successes <= n and n > 0, not {successes!r} of {n!r}")
    share = successes / n
    spread = z * z / n
    centre = (share + spread / 2) / (1 + spread)
    half = z / (1 + spread) * math.sqrt(share * (1 - share) / n + spread / (4 * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def by_label(boxes: Iterable[Scored], *, target: float = 0.9) -> list[LabelPrecision]:
    """Precision by confidence threshold for each label of ``boxes``, labels in order.

    Parameters
    ----------
    boxes : iterable of Scored
        Every box in scope, reviewed or not (the unreviewed ones weigh their bins).
    target : float
        The precision a label's threshold must reach, 0 < target <= 1.

    Returns
    -------
    list of LabelPrecision
        One per label, sorted by label; each with one row per threshold of
        ``review_names.THRESHOLDS``.
    """
    if isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target <= 1:
        raise BadRequestError(f"target must be a precision above 0 and at most 1, not {target!r}")
    tallies: dict[str, _Tally] = {}
    for box in boxes:
        tallies.setdefault(box.label, _Tally()).add(box)
    return [tallies[label].precision(label, target) for label in sorted(tallies)]


def as_json(table: list[LabelPrecision], target: float) -> dict:
    """The precision route's answer: ``{"target", "method", "labels": [...]}``, each label
    with the fields of LabelPrecision, its rows with those of ThresholdRow."""
    return {"target": target, "method": METHOD, "labels": [asdict(label) for label in table]}


def as_csv(table: list[LabelPrecision], target: float) -> str:
    """One row per label and threshold (``CSV_COLUMNS``), RFC 4180 quoting and CRLF line
    ends; proportions to 4 decimals, empty cells where nothing was reviewed."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for label in table:
        for row in label.rows:
            writer.writerow(
                [
                    spreadsheet_safe(label.label),
                    f"{row.threshold:.2f}",
                    row.boxes,
                    row.reviewed,
                    row.accepted,
                    row.rejected,
                    *(_share(value) for value in (row.precision, row.low, row.high)),
                    f"{target:g}",
                    "" if label.threshold is None else f"{label.threshold:.2f}",
                ]
            )
    return out.getvalue()


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
