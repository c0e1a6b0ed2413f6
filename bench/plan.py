"""What one benchmark run measures (the full run or ``--quick``), and the inputs the
sections share: where generated recordings are kept, the sample recording, progress lines."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bench.child import measure
from bench.signals import Spec, ensure

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
INPUTS = WORK / "inputs"
CACHE = WORK / "cache"
SHARED_MP3 = BENCH.parent / "samples" / "XC249066_Willisornis_poecilinotus.mp3"
#: The worker's budget: the viewer's recording must render within it, and the longest
#: recordings in the worker's memory size.
RENDER_BUDGET_S = 300


@dataclass(frozen=True)
class Plan:
    """What one run measures: (recording, rounds) to compare, and the sizes of the rest."""

    compared: list[tuple[Spec | Path, int]]
    long: list[Spec]
    long_repeats: int
    # The longest recordings accepted (4 h): rendered once each with every tile.
    longest: list[Spec]
    warm_up: Spec
    import_repeats: int
    latency_repeats: int
    annotation_boxes: int
    annotation_repeats: int
    burst_uploads: int
    list_requests: int
    # Rendered once each, then projected onto 1,000 at once in AWS.
    fanned_out: list[Spec]
    fanout_renders: int
    # Opened in the viewer after it renders on the local stack (kept under the upload limit).
    viewed: Spec
    viewer_rounds: int
    # Boxes on the viewed recording in the section "viewer_boxes".
    viewer_boxes: int
    # The review queue: this many recordings of ``reviewed``, sharing the proposals.
    reviewed: Spec
    reviewed_recordings: int
    review_proposals: int
    # Seconds of labelled calls per SNR the detector is scored on (one call per 2 s).
    labelled_s: float
    # The review queue's project (bench/review.py): recordings, boxes over them all, rounds
    # of first pages timed, pages read while deciding.
    review_recordings: int
    review_boxes: int
    review_rounds: int
    review_pages: int
    # A lab's project (bench/lab.py): members (the owner among them), recordings, and
    # requests timed of each of its listing, My work and dashboard.
    lab_members: int
    lab_recordings: int
    lab_requests: int


FULL = Plan(
    compared=[
        (Spec(10, 44100, "wav"), 7),
        (Spec(10, 44100, "mp3"), 7),
        (Spec(60, 44100, "wav"), 5),
        (Spec(60, 44100, "mp3"), 5),
        (Spec(60, 44100, "m4a"), 5),
        (Spec(600, 44100, "wav"), 3),
        (Spec(600, 44100, "mp3"), 3),
        (SHARED_MP3, 5),
    ],
    long=[Spec(3600, 48000, "wav"), Spec(3600, 48000, "mp3")],
    long_repeats=3,
    longest=[Spec(4 * 3600, 48000, "wav"), Spec(4 * 3600, 48000, "mp3")],
    warm_up=Spec(10, 48000, "wav"),
    import_repeats=7,
    latency_repeats=3,
    annotation_boxes=10_000,
    annotation_repeats=5,
    burst_uploads=50,
    list_requests=50,
    fanned_out=[Spec(3600, 48000, "wav"), Spec(3600, 48000, "mp3")],
    fanout_renders=1000,
    viewed=Spec(4 * 3600, 48000, "mp3", bit_rate=32_000),
    viewer_rounds=3,
    viewer_boxes=5_000,
    reviewed=Spec(300, 48000, "wav"),
    reviewed_recordings=5,
    review_proposals=500,
    labelled_s=300.0,
    review_recordings=1000,
    review_boxes=100_000,
    review_rounds=10,
    review_pages=20,
    lab_members=50,
    lab_recordings=10_000,
    lab_requests=100,
)


QUICK = Plan(
    compared=[(Spec(3, 44100, "wav"), 2), (Spec(3, 44100, "mp3"), 2), (Spec(3, 44100, "m4a"), 2)],
    long=[Spec(20, 48000, "wav")],
    long_repeats=1,
    longest=[Spec(60, 48000, "mp3")],
    warm_up=Spec(2, 48000, "wav"),
    import_repeats=2,
    latency_repeats=1,
    annotation_boxes=1_000,
    annotation_repeats=1,
    burst_uploads=8,
    list_requests=8,
    fanned_out=[Spec(20, 48000, "wav")],
    fanout_renders=1000,
    viewed=Spec(60, 48000, "mp3"),
    viewer_rounds=1,
    viewer_boxes=200,
    reviewed=Spec(30, 48000, "wav"),
    reviewed_recordings=2,
    review_proposals=48,
    labelled_s=40.0,
    review_recordings=20,
    review_boxes=2_000,
    review_rounds=2,
    review_pages=3,
    lab_members=50,
    lab_recordings=500,
    lab_requests=10,
)


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def recording(source: Spec | Path) -> tuple[str, Path]:
    if isinstance(source, Path):
        return "shared MP3 (102 s)", source
    progress(f"input {source.label}")
    return source.label, ensure(source, INPUTS)


def rendered_with_tiles(spec: Spec, plan: Plan, what: str) -> tuple[str, Path, dict]:
    """``spec``'s label, file and one render with every tile, in a child process."""
    label, path = recording(spec)
    progress(f"{label} {what}")
    return label, path, measure("tiles", path, warm_up=ensure(plan.warm_up, INPUTS))
