"""The viewer in Chromium on a long recording, bare or with boxes: opening it, then
zooming and panning.

A generated recording is uploaded to a local stack and rendered as any upload is, and
given its boxes (``PUT /recordings/{id}/annotations``); ``frontend/e2e/viewer-bench.mjs``
then opens it in Debian's Chromium and reports milliseconds from the page's own clock:
navigation to the whole first view drawn, for each zoom or pan (wheel at the cursor,
Shift+wheel, a jump along the scrollbar to a part never seen) the time until every
visible tile of the level that zoom needs and the boxes are drawn, and the intervals
between animation frames while continuous gestures run.
"""

from __future__ import annotations

import json
import mimetypes
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.annotations import boxes as generated_boxes
from bench.plan import RENDER_BUDGET_S, Plan, progress, recording
from bench.report import Row, Target, percentile
from infra.local.harness import ROOT, ApiUser, running_stack

USERNAME = "viewer-bench"


@dataclass(frozen=True)
class ViewerTimings:
    """Milliseconds, as the page measured them."""

    first_view_ms: float
    #: (kind of change, ms) in the order they were made.
    changes: list[tuple[str, float]]
    tiles: int
    manifest_bytes: int
    #: (gesture, ms since the frame before) of every animation frame while continuous
    #: gestures ran, in order.
    frames: list[tuple[str, float]]
    #: Boxes on the recording.
    boxes: int = 0


def viewer_timings(
    audio: Path, *, rounds: int, render_timeout_s: float, boxes: int = 0
) -> ViewerTimings:
    """Upload ``audio`` to a fresh local stack, wait for it to render, give it ``boxes``
    generated boxes, time the viewer on it."""
    with running_stack() as stack:
        user = ApiUser(stack.api_url, USERNAME)
        content_type = mimetypes.guess_type(audio.name)[0] or "application/octet-stream"
        recording = user.upload(audio.name, audio.read_bytes(), content_type)
        status = user.wait_until_done(recording["id"], timeout_s=render_timeout_s)
        if status["status"] != "COMPLETED":
            raise RuntimeError(f"{audio.name} did not render: {status['error']}")
        manifest = user.request("GET", f"/recordings/{recording['id']}/spectrogram")
        if boxes:
            path = f"/recordings/{recording['id']}/annotations"
            spectrogram = manifest.json()
            made = generated_boxes(boxes, spectrogram["duration_s"], spectrogram["f_max_hz"])
            version = user.request("GET", path).json()["version"]
            put = user.request("PUT", path, json={"annotations": made, "version": version})
            if put.status_code != 200:
                raise RuntimeError(f"PUT boxes answered {put.status_code}: {put.text[:200]}")
        run = subprocess.run(
            [
                "node",
                "e2e/viewer-bench.mjs",
                stack.ui_url,
                recording["id"],
                USERNAME,
                str(rounds),
                str(boxes),
            ],
            cwd=ROOT / "frontend",
            capture_output=True,
            text=True,
            timeout=600,
        )
        if run.returncode != 0:
            raise RuntimeError(f"viewer-bench.mjs failed:\n{run.stdout}\n{run.stderr}")
        measured = json.loads(run.stdout.strip().splitlines()[-1])
        return ViewerTimings(
            first_view_ms=measured["first_view_ms"],
            changes=[(change["kind"], change["ms"]) for change in measured["changes"]],
            tiles=len(manifest.json()["tiles"]),
            manifest_bytes=len(manifest.content),
            frames=[(frame["gesture"], frame["ms"]) for frame in measured["frames"]],
            boxes=boxes,
        )


#: Issue #9: a zoom or pan fully drawn within 300 ms (p95).
VIEW_CHANGE_TARGET = Target("<=", 0.3, of="measured")
#: Headless Chromium draws at 60 Hz, as most displays do.
DISPLAY_HZ = 60
#: Issue #18: a continuous pan or zoom at 60 frames a second ("frame time p95 ≤ 16 ms").
#: At 60 Hz animation frames come 16.7 ms apart at best (16.6-16.8 ms on the page's clock,
#: rounded to 0.1 ms): the bound is that frame and not the next, 33.3 ms.
FRAME_TARGET = Target("<=", 0.017, of="measured")


def viewer_rows(plan: Plan) -> list[Row]:
    label, path = recording(plan.viewed)
    progress(f"viewer in Chromium on {label}, rounds: {plan.viewer_rounds}")
    timings = viewer_timings(path, rounds=plan.viewer_rounds, render_timeout_s=RENDER_BUDGET_S)
    return view_change_rows(label, timings) + frame_rows(label, timings)


def viewer_boxes_rows(plan: Plan) -> list[Row]:
    label, path = recording(plan.viewed)
    progress(f"viewer in Chromium on {label} with {plan.viewer_boxes} boxes")
    timings = viewer_timings(
        path,
        rounds=plan.viewer_rounds,
        render_timeout_s=RENDER_BUDGET_S,
        boxes=plan.viewer_boxes,
    )
    return view_change_rows(label, timings) + frame_rows(label, timings)


def _section(timings: ViewerTimings) -> str:
    return f"viewer, {timings.boxes:,} boxes" if timings.boxes else "viewer"


def view_change_rows(label: str, timings: ViewerTimings) -> list[Row]:
    """Opening, then every zoom or pan to fully drawn: p50/p95 of all and p95 of each kind."""
    section = _section(timings)
    seconds = [ms / 1000 for _, ms in timings.changes]
    manifest = f"manifest of {timings.tiles} tiles, {timings.manifest_bytes / 1e6:.1f} MB"
    rows = [
        Row(
            f"{section}: open → first view drawn",
            label,
            timings.first_view_ms / 1000,
            "s",
            details={"manifest": manifest},
        ),
        Row(
            f"{section}: zoom or pan → drawn p50",
            f"{label}, {len(seconds)} changes",
            percentile(seconds, 50),
            "s",
            details={"changes": timings.changes},
        ),
        Row(
            f"{section}: zoom or pan → drawn p95",
            f"{label}, {len(seconds)} changes",
            percentile(seconds, 95),
            "s",
            target=VIEW_CHANGE_TARGET,
        ),
    ]
    for kind in dict.fromkeys(kind for kind, _ in timings.changes):
        of_kind = [ms / 1000 for k, ms in timings.changes if k == kind]
        rows.append(
            Row(
                f"{section}: {kind} → drawn p95",
                f"{label}, {len(of_kind)} changes",
                percentile(of_kind, 95),
                "s",
            )
        )
    return rows


def frame_rows(label: str, timings: ViewerTimings) -> list[Row]:
    """Frame time during continuous gestures, the intervals between animation frames: p50,
    p95 of all gestures against the target, then p95 of each gesture."""
    section = _section(timings)
    seconds = [ms / 1000 for _, ms in timings.frames]
    rows = [
        Row(
            f"{section}: pan/zoom frame time p50",
            f"{label}, {len(seconds)} frames",
            percentile(seconds, 50),
            "s",
            details={"frames": timings.frames},
        ),
        Row(
            f"{section}: pan/zoom frame time p95",
            f"{label}, {len(seconds)} frames",
            percentile(seconds, 95),
            "s",
            target=FRAME_TARGET,
            details={"dropped": dropped_frames(seconds)},
        ),
    ]
    for gesture in dict.fromkeys(gesture for gesture, _ in timings.frames):
        of_gesture = [ms / 1000 for g, ms in timings.frames if g == gesture]
        rows.append(
            Row(
                f"{section}: {gesture} frame time p95",
                f"{label}, {len(of_gesture)} frames, {dropped_frames(of_gesture)} dropped",
                percentile(of_gesture, 95),
                "s",
            )
        )
    return rows


def dropped_frames(intervals_s: list[float], *, hz: float = DISPLAY_HZ) -> int:
    """Display frames missed between animation frames ``intervals_s`` apart: an interval
    of n frames (give or take half of one) missed n - 1."""
    return sum(max(0, round(interval * hz) - 1) for interval in intervals_s)
