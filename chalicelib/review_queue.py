"""The review queue: which boxes of a project (or of one recording) to show, in which order,
a page at a time (docs/review.md).

Pure: a :class:`Scope` of boxes in, a page out. Paging is keyset: a cursor is the place of
the last box shown (its sort key, which ends with the recording and box ids, so no two boxes
share one), and the next page starts after it; boxes that leave the filter meanwhile (a
decision moved them out of "unreviewed") move nothing else, so none is skipped or shown
twice. The stratified sample is drawn before the review state filters it, so deciding never
changes which boxes are in it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from chalicelib import review_names as names
from chalicelib.errors import BadRequestError
from chalicelib.precision import Scored
from chalicelib.review_index import Box, Scope

# ASCII digits only, few enough for int() (a seed goes to 2**31 - 1, ten digits).
WHOLE = re.compile(r"[0-9]{1,10}")
NO_BIN = "none"
# Lifts a product just under a bin's edge by float error onto it (far below any real
# difference of confidences).
BIN_SLACK = 1e-9


def _whole(params: dict, name: str, default: int, highest: int, lowest: int = 1) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not (WHOLE.fullmatch(text) and lowest <= int(text) <= highest):
        raise BadRequestError(f"{name} must be an integer from {lowest} to {highest}, not {text!r}")
    return int(text)


def _fraction(params: dict, name: str, default: float | None = None) -> float | None:
    """A number from 0 to 1 in the query (None or ``default`` when absent)."""
    text = params.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise BadRequestError(f"{name} must be a number from 0 to 1, not {text!r}")
    return value


def _choice(params: dict, name: str, choices: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in choices:
        raise BadRequestError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


@dataclass(frozen=True)
class Filter:
    """Which boxes of a scope count, by what they are (not by their review)."""

    label: str | None = None
    source: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    recording: str | None = None

    @classmethod
    def read(cls, params: dict, *, project: bool) -> Filter:
        if not project and "recording" in params:
            raise BadRequestError("recording filters a project's queue: this is one recording's")
        # A minimum above the maximum is a range no box is in: an empty queue.
        low, high = _fraction(params, "min_confidence"), _fraction(params, "max_confidence")
        return cls(params.get("label"), params.get("source"), low, high, params.get("recording"))

    def holds(self, box: Box) -> bool:
        if self.label is not None and box.given_label != self.label:
            return False
        if self.recording is not None and box.recording_id != self.recording:
            return False
        if self.source is not None and not source_is(box.source, self.source):
            return False
        if self.min_confidence is None and self.max_confidence is None:
            return True
        confidence = box.confidence
        return (
            confidence is not None
            and (self.min_confidence is None or confidence >= self.min_confidence)
            and (self.max_confidence is None or confidence <= self.max_confidence)
        )


def source_is(source: str | None, wanted: str) -> bool:
    """Whether a box's ``source`` is what a filter's ``wanted`` names (review_names)."""
    if wanted == names.PEOPLE:
        return source is None
    if wanted == names.DETECTOR:
        return source is not None and source.startswith(names.DETECTOR_PREFIX)
    return source == wanted


def state_is(box: Box, state: str) -> bool:
    if state == "all":
        return True
    if state == "unreviewed":
        return box.review is None
    if state == "reviewed":
        return box.review is not None
    return box.state == state


@dataclass(frozen=True)
class Query:
    """A queue request: the filter, the review state, the order and its page."""

    filter: Filter
    state: str
    order: str
    per_stratum: int
    bins: int
    seed: int
    limit: int
    cursor: str | None

    @classmethod
    def read(cls, params: dict | None, *, project: bool) -> Query:
        params = params or {}
        return cls(
            Filter.read(params, project=project),
            _choice(params, "state", names.STATES, "all"),
            _choice(params, "order", names.ORDERS, names.ORDERS[0]),
            _whole(params, "per_stratum", names.DEFAULT_PER_STRATUM, names.MAX_PER_STRATUM),
            _whole(params, "bins", names.DEFAULT_BINS, names.MAX_BINS),
            _whole(params, "seed", names.DEFAULT_SEED, 2**31 - 1, lowest=0),
            _whole(params, "limit", names.DEFAULT_LIMIT, names.MAX_LIMIT),
            params.get("cursor"),
        )

    def digest(self) -> str:
        """What a cursor is valid for: everything but the page (limit and cursor)."""
        what = {**asdict(self), "limit": None, "cursor": None}
        text = json.dumps(what, sort_keys=True)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def confidence_bin(confidence: float | None, bins: int) -> int | str:
    """The bin of ``bins`` equal bins on [0, 1] a confidence falls in (k holds k/bins up to
    (k+1)/bins, the last holds 1 too; out-of-range values the nearest); "none" without one."""
    if confidence is None:
        return NO_BIN
    # Nudged up first: 0.57 * 100 is 56.99999999999999, which belongs to bin 57.
    return min(max(int(confidence * bins + BIN_SLACK), 0), bins - 1)


def sample_rank(seed: int, recording_id: str, annotation_id: str) -> int:
    """A box's place in its stratum: a keyed hash (BLAKE2b, 8 bytes) of the seed and the
    box's ids, stable for a seed and independent of the other boxes, so adding or deciding
    boxes never reorders the rest."""
    key = f"{seed}|{recording_id}|{annotation_id}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest())


@dataclass(frozen=True)
class Sampled:
    box: Box
    bin: int | str
    rank: int


def stratified_sample(boxes: Iterable[Box], *, per_stratum: int, bins: int, seed: int) -> list:
    """The ``per_stratum`` boxes of lowest :func:`sample_rank` in each stratum (the label a
    box came in with x its confidence bin), in sample order: label, bin, rank."""
    strata: dict[tuple[str, int | str], list[Box]] = {}
    for box in boxes:
        strata.setdefault((box.given_label, confidence_bin(box.confidence, bins)), []).append(box)
    sample = []
    for (_, place), members in strata.items():
        # Ties of rank (never seen in 8 bytes) go by the ids, unique in a scope.
        ranked = (
            (sample_rank(seed, b.recording_id, b.annotation_id), b.recording_id, b.annotation_id, b)
            for b in members
        )
        sample += [
            Sampled(box, place, rank) for rank, *_, box in heapq.nsmallest(per_stratum, ranked)
        ]
    return sorted(sample, key=lambda s: _sample_key(s, bins))


def _sample_key(sampled: Sampled, bins: int) -> tuple:
    place = bins if sampled.bin == NO_BIN else sampled.bin
    box = sampled.box
    return (box.given_label, place, sampled.rank, box.recording_id, box.annotation_id)


def _confidence_key(descending: bool) -> Callable[[Box], tuple]:
    def key(box: Box) -> tuple:
        # Boxes without a confidence come last either way.
        if box.confidence is None:
            return (1, 0.0, box.recording_id, box.annotation_id)
        value = -box.confidence if descending else box.confidence
        return (0, value, box.recording_id, box.annotation_id)

    return key


def _encode_cursor(key: tuple, digest: str) -> str:
    text = json.dumps({"k": list(key), "f": digest}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, digest: str) -> tuple:
    bad = BadRequestError(f"cursor {cursor[:80]!r} is not valid: pass the next_cursor of a page")
    try:
        place = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as e:
        raise bad from e
    if not (isinstance(place, dict) and isinstance(place.get("k"), list)):
        raise bad
    if place.get("f") != digest:
        raise BadRequestError(
            "the cursor belongs to a queue with other filters or order: start again without it"
        )
    if not all(isinstance(part, str | int | float) for part in place["k"]):
        raise bad
    return tuple(place["k"])


def _counts(boxes: Iterable[Box]) -> dict:
    states = Counter(box.state for box in boxes)
    total = sum(states.values())
    return {
        "boxes": total,
        "reviewed": total - states[None],
        "accepted": states["accepted"],
        "rejected": states["rejected"],
    }


def labels_of(boxes: list[Box]) -> list[dict]:
    """Every label of the scope, each with the boxes the Label filter gives for it (the boxes
    that came in with it; 0 for a label boxes were only relabelled to)."""
    given = Counter(box.given_label for box in boxes)
    named = given.keys() | {box.label for box in boxes}
    return [
        {"label": label, "boxes": given[label]}
        for label in sorted(named, key=lambda t: (t.casefold(), t))
    ]


def sources_of(boxes: list[Box]) -> list[dict]:
    """Every source of the scope and its boxes, people's (null) first."""
    counted = Counter(box.source for box in boxes)
    return [
        {"source": source, "boxes": counted[source]}
        for source in sorted(counted, key=lambda s: (s is not None, s or ""))
    ]


def _item(box: Box, scope: Scope) -> dict:
    recording = scope.recordings[box.recording_id]
    return {
        "recording_id": box.recording_id,
        "filename": recording.filename,
        "annotation_id": box.annotation_id,
        "start_s": box.start_s,
        "end_s": box.end_s,
        "low_hz": box.low_hz,
        "high_hz": box.high_hz,
        "label": box.label,
        "confidence": box.confidence,
        "source": box.source,
        "review": box.review,
        "duration_s": recording.duration_s,
    }


def _after(keyed: Iterable[tuple], cursor: tuple | None, limit: int) -> list[tuple]:
    """The first ``limit`` + 1 of (key, box) pairs whose key comes after ``cursor``."""
    try:
        if cursor is not None:
            keyed = (pair for pair in keyed if pair[0] > cursor)
        return heapq.nsmallest(limit + 1, keyed, key=lambda pair: pair[0])
    except TypeError as e:  # a made-up cursor whose key does not compare with ours
        raise BadRequestError("the cursor is not valid: pass the next_cursor of a page") from e


def page(scope: Scope, query: Query) -> dict:
    """One page of the queue (the answer of GET .../review; docs/api.md)."""
    digest = query.digest()
    after = None if query.cursor is None else _decode_cursor(query.cursor, digest)
    holds = query.filter.holds
    chosen = scope.boxes if query.filter == Filter() else [b for b in scope.boxes if holds(b)]
    if query.order == "sample":
        sample = stratified_sample(
            chosen, per_stratum=query.per_stratum, bins=query.bins, seed=query.seed
        )
        counted = [s.box for s in sample]
        keyed = ((_sample_key(s, query.bins), s) for s in sample if state_is(s.box, query.state))
    else:
        counted = chosen
        if query.order == "time":
            created = {i: r.created_at for i, r in scope.recordings.items()}

            def key(box: Box) -> tuple:
                return (created[box.recording_id], box.recording_id, box.start_s, box.annotation_id)
        else:
            key = _confidence_key(query.order == "confidence_desc")
        keyed = ((key(box), box) for box in chosen if state_is(box, query.state))
    shown = _after(keyed, after, query.limit)
    more = len(shown) > query.limit
    shown = shown[: query.limit]
    items = []
    for _, entry in shown:
        if isinstance(entry, Sampled):
            item = _item(entry.box, scope)
            item["stratum"] = {"label": entry.box.given_label, "bin": entry.bin}
        else:
            item = _item(entry, scope)
        items.append(item)
    return {
        "items": items,
        "next_cursor": _encode_cursor(shown[-1][0], digest) if more else None,
        "counts": _counts(counted),
        "labels": labels_of(scope.boxes),
        "sources": sources_of(scope.boxes),
    }


PRECISION_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class PrecisionQuery:
    """A precision request: which boxes (a label, a source, a recording), the target
    precision, and json or csv."""

    filter: Filter
    target: float
    format: str

    @classmethod
    def read(cls, params: dict | None) -> PrecisionQuery:
        params = params or {}
        chosen = Filter(
            params.get("label"), params.get("source"), recording=params.get("recording")
        )
        target = _fraction(params, "target", names.DEFAULT_TARGET_PRECISION)
        return cls(chosen, target, _choice(params, "format", PRECISION_FORMATS, "json"))

    def scored(self, scope: Scope) -> list[Scored]:
        """The boxes as precision sees them: under the label they came in with, a relabelled
        one as a rejection of it (the detector's label was wrong)."""
        return [
            Scored(
                box.given_label,
                box.confidence,
                "rejected" if box.label != box.given_label else box.state,
            )
            for box in scope.boxes
            if self.filter.holds(box)
        ]
