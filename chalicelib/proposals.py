"""Detector proposals written into a recording's annotation set, beside people's boxes.

A run of preset P replaces exactly the boxes with ``source == P.source`` and ``review`` null
(P's unreviewed proposals); every other box -- drawn by a person, imported, another preset's,
or a proposal someone accepted or rejected -- stays as it is. The set is written like any
editor's save: with the version read, so an editor saving meanwhile wins and the proposals
are laid again over what they saved.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from chalicelib import annotation_sets, database
from chalicelib.annotations import MAX_ANNOTATIONS, Bounds, check_box
from chalicelib.clock import Clock
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import ConflictError, StorageError
from chalicelib.models import RecordingModel

logger = logging.getLogger(__name__)

# The score of a proposal: the event's peak SNR, which the detector writes.
SCORE = "Peak SNR (dB)"
# Editors saving while the proposals are written: read again and lay them over, this often.
MAX_TRIES = 5
# A new proposal over a box of its preset that someone reviewed (accepted, relabelled or
# rejected) is that box found again: not proposed twice. Over: overlapping in time by at
# least this share of the shorter, and in band.
SAME_EVENT_OVERLAP = 0.5


@dataclass(frozen=True)
class Proposed:
    """What one preset proposes for a recording: annotation-shaped boxes (ids are new)."""

    preset: DetectorPreset
    boxes: list[dict]


@dataclass(frozen=True)
class Written:
    """How many proposals of each preset are in the set, and how many did not fit."""

    stored: dict[str, int]
    dropped: dict[str, int]
    version: int


def is_replaced(box: dict, sources: set[str]) -> bool:
    """Whether a run of the presets with these sources replaces ``box``."""
    return box.get("source") in sources and box.get("review") is None


def _score(box: dict) -> float:
    return box.get("measurements", {}).get(SCORE, -math.inf)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _same_event(new: dict, reviewed: dict, nyquist_hz: float) -> bool:
    times = (new["start_s"], new["end_s"]), (reviewed["start_s"], reviewed["end_s"])
    shorter = min(end - start for start, end in times)
    if _overlap(*times) < SAME_EVENT_OVERLAP * shorter or _overlap(*times) < 0:
        return False
    bands = [
        (box["low_hz"] or 0.0, nyquist_hz if box["high_hz"] is None else box["high_hz"])
        for box in (new, reviewed)
    ]
    return _overlap(*bands) >= 0


def _not_reviewed_yet(new: list[dict], kept: list[dict], bounds: Bounds) -> list[dict]:
    """``new`` without the proposals someone already reviewed as a box of the same preset."""
    nyquist_hz = bounds.nyquist_hz or math.inf
    reviewed: dict[str, list[dict]] = {}
    for box in kept:
        if box.get("source") and box.get("review") is not None:
            reviewed.setdefault(box["source"], []).append(box)
    return [
        box
        for box in new
        if not any(_same_event(box, seen, nyquist_hz) for seen in reviewed.get(box["source"], []))
    ]


def _checked(box: dict, preset: DetectorPreset, bounds: Bounds) -> dict:
    """A proposal as stored: a new id, the box checked against the recording, its source."""
    fields = {name: value for name, value in box.items() if name != "id"}
    # A detector's last frame may reach half a frame past the end of the audio.
    if bounds.duration_s is not None:
        fields["end_s"] = min(fields["end_s"], bounds.duration_s)
        fields["start_s"] = min(fields["start_s"], fields["end_s"])
    fields.update(source=preset.source, review=None)
    return check_box(fields, where=f"a proposal of {preset.name!r}", bounds=bounds)


def _laid_over(
    boxes: list[dict], proposed: list[Proposed], bounds: Bounds
) -> tuple[list[dict], dict[str, int], dict[str, int]]:
    """The set with the presets' unreviewed proposals replaced; the count kept and dropped
    per preset. An event someone already reviewed is not proposed again. When the set
    would hold more than MAX_ANNOTATIONS, the highest scoring proposals are kept."""
    sources = {run.preset.source for run in proposed}
    kept = [box for box in boxes if not is_replaced(box, sources)]
    new = [_checked(box, run.preset, bounds) for run in proposed for box in run.boxes]
    new = _not_reviewed_yet(new, kept, bounds)
    names = {run.preset.source: run.preset.name for run in proposed}
    fresh = dict.fromkeys(names.values(), 0)
    for box in new:
        fresh[names[box["source"]]] += 1
    room = max(0, MAX_ANNOTATIONS - len(kept))
    if len(new) > room:
        new = sorted(new, key=_score, reverse=True)[:room]
    stored = dict.fromkeys(names.values(), 0)
    for box in new:
        stored[names[box["source"]]] += 1
    dropped = {name: fresh[name] - stored[name] for name in names.values()}
    return kept + new, stored, dropped


def write(
    recording_id: str, proposed: list[Proposed], *, clock: Clock, tries: int = MAX_TRIES
) -> Written:
    """Replace the presets' unreviewed proposals on the recording with ``proposed``: a
    machine's boxes, signed by nobody (their source names the preset).

    Raises NotFoundError when the recording is gone, StorageError (retryable) when editors
    kept saving through every try.
    """
    for _ in range(tries):
        with database.translated(f"read recording {recording_id}"):
            recording = RecordingModel.get(recording_id, consistent_read=True)
        recording, boxes = annotation_sets.load(recording)
        laid, stored, dropped = _laid_over(boxes, proposed, Bounds.of(recording))
        version = int(recording.annotation_version or 0)
        try:
            new_version, _ = annotation_sets.store(
                recording, laid, version=version, before=boxes, user=None, clock=clock
            )
        except ConflictError:
            logger.info("%s: annotations saved meanwhile; laying the proposals again", recording_id)
            continue
        return Written(stored, dropped, new_version)
    raise StorageError(
        f"the annotations of {recording_id} kept changing while proposals were written",
        retryable=True,
    )
