"""How far two annotators' boxes on one recording agree (pure: no AWS, no numpy).

Boxes are matched one to one by how much they overlap in time and frequency; the matched
pairs then say how well the labels agree (Cohen's kappa) and how far the onsets and
offsets differ. docs/lab-agreement.md has the method with a worked example.

Rules, each chosen so that the figure means what an ecologist expects of it:

- **Overlap** is the intersection over union (IoU) of two boxes' time x frequency
  rectangles; boxes on different channels never overlap. A box without a band (no
  ``low_hz``/``high_hz``) spans 0 Hz to the Nyquist frequency.
- **A point** (``end_s == start_s``) marks an instant, not an extent: it is compared as a
  box :data:`POINT_WIDTH_S` wide centred on it, spanning the whole band whatever its
  frequency. Two points then match exactly when they are at most a third of that width,
  50 ms, apart: the tolerance within which onset evaluations (mir_eval's) count two
  onsets as the same. A point rarely matches a box: one annotator marked when, the other
  how long, and that is a disagreement.
- **Matching** is greedy: of all pairs with IoU >= :data:`MATCH_IOU`, the highest IoU is
  taken first, each box at most once; ties go to the earlier box of A, then of B (by the
  start of the rectangle compared, then the id), so the same sets always give the same
  pairs.
- **Kappa** is Cohen's, over the matched pairs' labels (an empty label is a label too);
  it is undefined (None, with the reason) without matched pairs, or when chance
  agreement is 1 (both annotators gave every matched box one and the same label).
- **Differences** are B minus A, in seconds, of each matched pair's onsets (``start_s``)
  and offsets (``end_s``).
"""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from dataclasses import dataclass

MATCH_IOU = 0.5
POINT_WIDTH_S = 0.15
# Pooled differences are kept to the microsecond, finer than any box is drawn.
DIFF_DECIMALS = 6


@dataclass(frozen=True)
class Pair:
    """A box of A and a box of B matched, or a box of either that nothing matched."""

    a: dict | None
    b: dict | None
    iou: float | None

    def view(self) -> dict:
        both = self.a is not None and self.b is not None
        return {
            "a": self.a,
            "b": self.b,
            "iou": self.iou,
            "onset_diff_s": self.b["start_s"] - self.a["start_s"] if both else None,
            "offset_diff_s": self.b["end_s"] - self.a["end_s"] if both else None,
            "same_label": self.a["label"] == self.b["label"] if both else None,
        }


def _extent(box: dict, nyquist_hz: float) -> tuple[float, float, float, float]:
    """The rectangle (start, end, low, high) a box is compared as."""
    start, end = box["start_s"], box["end_s"]
    if end == start:
        half = POINT_WIDTH_S / 2
        return start - half, start + half, 0.0, nyquist_hz
    low, high = box.get("low_hz"), box.get("high_hz")
    return start, end, 0.0 if low is None else low, nyquist_hz if high is None else high


def iou(a: dict, b: dict, *, nyquist_hz: float) -> float:
    """The intersection over union of two boxes' rectangles (see the module's rules).

    Parameters
    ----------
    a, b : dict
        Boxes with ``start_s``, ``end_s`` (s), ``low_hz``, ``high_hz`` (Hz or None) and
        ``channel``.
    nyquist_hz : float > 0
        Half the recording's sample rate (Hz): the top of a box without a band.

    Returns
    -------
    float
        0 (apart, or on different channels) to 1 (the same rectangle).
    """
    if a.get("channel", 1) != b.get("channel", 1):
        return 0.0
    a0, a1, alow, ahigh = _extent(a, nyquist_hz)
    b0, b1, blow, bhigh = _extent(b, nyquist_hz)
    time = min(a1, b1) - max(a0, b0)
    band = min(ahigh, bhigh) - max(alow, blow)
    if time <= 0 or band <= 0:
        return 0.0
    inter = time * band
    union = (a1 - a0) * (ahigh - alow) + (b1 - b0) * (bhigh - blow) - inter
    # Rounding may put a nearly identical pair an ulp past 1.
    return min(1.0, inter / union)


def match(a: list[dict], b: list[dict], *, nyquist_hz: float) -> list[Pair]:
    """Every box of ``a`` and of ``b`` in one pair each: matched one to one (IoU >=
    :data:`MATCH_IOU`, greedy, see the module's rules), or alone.

    Returns the matched pairs by A's onset, then A's unmatched boxes, then B's, each by
    onset.

    An IoU of at least 0.5 needs the time spans' IoU to be at least 0.5 too (the IoU of
    rectangles is at most that of their sides), so a box of B is a candidate only when
    it starts less than twice A's length before A starts: sorted by start, candidates are
    found by bisection, not by trying every pair.
    """

    def order(box: dict) -> tuple[float, float, str]:
        return _extent(box, nyquist_hz)[0], box["start_s"], box["id"]

    a = sorted(a, key=order)
    b = sorted(b, key=order)
    b_starts = [order(box)[0] for box in b]
    candidates = []
    for i, box_a in enumerate(a):
        start, end, _, _ = _extent(box_a, nyquist_hz)
        first = bisect.bisect_right(b_starts, start - 2 * (end - start))
        last = bisect.bisect_left(b_starts, end)
        for j in range(first, last):
            overlap = iou(box_a, b[j], nyquist_hz=nyquist_hz)
            if overlap >= MATCH_IOU:
                # Sorted by (-IoU, i, j): i and j follow onset then id.
                candidates.append((-overlap, i, j))
    candidates.sort()
    a_taken: dict[int, tuple[int, float]] = {}
    b_taken: set[int] = set()
    for negative, i, j in candidates:
        if i not in a_taken and j not in b_taken:
            a_taken[i] = (j, -negative)
            b_taken.add(j)
    matched = [Pair(a[i], b[j], overlap) for i, (j, overlap) in sorted(a_taken.items())]
    alone_a = [Pair(box, None, None) for i, box in enumerate(a) if i not in a_taken]
    alone_b = [Pair(None, box, None) for j, box in enumerate(b) if j not in b_taken]
    return matched + alone_a + alone_b


def kappa(confusion: Counter[tuple[str, str]]) -> tuple[float | None, str | None]:
    """Cohen's kappa of a confusion table {(label of A, label of B): pairs}, or None and
    why it is undefined.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the share of pairs with the same label and
    p_e = sum over labels of (A's share of it) x (B's share of it).
    """
    n = sum(confusion.values())
    if n == 0:
        return None, "no matched pairs: the annotators' boxes never overlap enough"
    observed = sum(count for (la, lb), count in confusion.items() if la == lb) / n
    by_a: Counter[str] = Counter()
    by_b: Counter[str] = Counter()
    for (la, lb), count in confusion.items():
        by_a[la] += count
        by_b[lb] += count
    chance = sum(by_a[label] * by_b[label] for label in by_a) / (n * n)
    if chance == 1:
        return None, "both annotators gave every matched box the same one label"
    return (observed - chance) / (1 - chance), None


@dataclass
class Tally:
    """What figures are computed from, and what adds up over recordings: box counts, the
    matched pairs' label table and their onset and offset differences (B - A, s).

    The differences' sums are kept apart from the differences themselves: a summary too
    large to store drops the lists (and with them the pooled median), never the means.
    """

    boxes_a: int = 0
    boxes_b: int = 0
    confusion: Counter[tuple[str, str]] | None = None
    onsets: list[float] | None = None
    offsets: list[float] | None = None
    sums: dict[str, float] | None = None

    @classmethod
    def of(cls, pairs: list[Pair]) -> Tally:
        matched = [p for p in pairs if p.a is not None and p.b is not None]
        onsets = [round(p.b["start_s"] - p.a["start_s"], DIFF_DECIMALS) for p in matched]
        offsets = [round(p.b["end_s"] - p.a["end_s"], DIFF_DECIMALS) for p in matched]
        return cls(
            boxes_a=sum(p.a is not None for p in pairs),
            boxes_b=sum(p.b is not None for p in pairs),
            confusion=Counter((p.a["label"], p.b["label"]) for p in matched),
            onsets=onsets,
            offsets=offsets,
            sums=_sums(onsets, offsets),
        )

    @property
    def matched(self) -> int:
        return int(self.sums["matched"])

    def __add__(self, other: Tally) -> Tally:
        def joined(mine, theirs):
            return None if mine is None or theirs is None else mine + theirs

        return Tally(
            boxes_a=self.boxes_a + other.boxes_a,
            boxes_b=self.boxes_b + other.boxes_b,
            confusion=joined(self.confusion, other.confusion),
            onsets=joined(self.onsets, other.onsets),
            offsets=joined(self.offsets, other.offsets),
            sums={name: self.sums[name] + other.sums[name] for name in self.sums},
        )

    def stored(self) -> dict:
        """As JSON (:meth:`read` reads it back)."""
        return {
            "boxes_a": self.boxes_a,
            "boxes_b": self.boxes_b,
            "confusion": None
            if self.confusion is None
            else [[la, lb, n] for (la, lb), n in sorted(self.confusion.items())],
            "onsets": self.onsets,
            "offsets": self.offsets,
            "sums": self.sums,
        }

    @classmethod
    def read(cls, stored: dict) -> Tally:
        confusion = stored["confusion"]
        return cls(
            boxes_a=stored["boxes_a"],
            boxes_b=stored["boxes_b"],
            confusion=None
            if confusion is None
            else Counter({(la, lb): n for la, lb, n in confusion}),
            onsets=stored["onsets"],
            offsets=stored["offsets"],
            sums=stored["sums"],
        )

    def figures(self) -> dict:
        """The figures a person reads (docs/lab-agreement.md)."""
        matched = self.matched
        if self.confusion is None:
            value, undefined = None, "some recordings' label tables were too large to keep"
        else:
            value, undefined = kappa(self.confusion)
        same = (
            None
            if self.confusion is None or matched == 0
            else sum(n for (la, lb), n in self.confusion.items() if la == lb) / matched
        )
        return {
            "boxes": {"a": self.boxes_a, "b": self.boxes_b},
            "matched": matched,
            # The share of each annotator's boxes the other matched.
            "match_rate": {
                "a": matched / self.boxes_a if self.boxes_a else None,
                "b": matched / self.boxes_b if self.boxes_b else None,
            },
            "label_agreement": same,
            "kappa": value,
            "kappa_undefined": undefined,
            "onset_diff_s": _differences(self.onsets, self.sums, "onset", matched),
            "offset_diff_s": _differences(self.offsets, self.sums, "offset", matched),
        }


def _sums(onsets: list[float], offsets: list[float]) -> dict[str, float]:
    return {
        "matched": len(onsets),
        "onset": sum(onsets),
        "onset_abs": sum(map(abs, onsets)),
        "offset": sum(offsets),
        "offset_abs": sum(map(abs, offsets)),
    }


def _differences(values: list[float] | None, sums: dict, name: str, n: int) -> dict:
    if n == 0:
        return {"mean": None, "median": None, "mean_abs": None}
    return {
        "mean": sums[name] / n,
        "median": None if values is None else statistics.median(values),
        "mean_abs": sums[f"{name}_abs"] / n,
    }


def compare(a: list[dict], b: list[dict], *, nyquist_hz: float) -> tuple[list[Pair], Tally]:
    """Match two annotators' boxes of one recording: the pairs and what they add up to."""
    pairs = match(a, b, nyquist_hz=nyquist_hz)
    return pairs, Tally.of(pairs)
