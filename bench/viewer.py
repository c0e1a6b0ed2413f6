"""The viewer in Chromium on a long recording: opening it, then zooming and panning.

A generated recording is uploaded to a local stack and rendered as any upload is;
``frontend/e2e/viewer-bench.mjs`` then opens it in Debian's Chromium and reports
milliseconds from the page's own clock: navigation to the whole first view drawn, and
for each zoom or pan (wheel at the cursor, Shift+wheel, a jump along the scrollbar to a
part never seen) the time until every visible tile of the level that zoom needs is
drawn.
"""

from __future__ import annotations

import json
import mimetypes
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


def viewer_timings(audio: Path, *, rounds: int, render_timeout_s: float) -> ViewerTimings:
    """Upload ``audio`` to a fresh local stack, wait for it to render, time the viewer on it."""
    with running_stack() as stack:
        user = ApiUser(stack.api_url, USERNAME)
        content_type = mimetypes.guess_type(audio.name)[0] or "application/octet-stream"
        recording = user.upload(audio.name, audio.read_bytes(), content_type)
        status = user.wait_until_done(recording["id"], timeout_s=render_timeout_s)
        if status["status"] != "COMPLETED":
            raise RuntimeError(f"{audio.name} did not render: {status['error']}")
        manifest = user.request("GET", f"/recordings/{recording['id']}/spectrogram")
        run = subprocess.run(
            ["node", "e2e/viewer-bench.mjs", stack.ui_url, recording["id"], USERNAME, str(rounds)],
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
        )


#: Issue #9: a zoom or pan fully drawn within 300 ms (p95).
VIEW_CHANGE_TARGET = Target("<=", 0.3, of="measured")


def viewer_rows(plan: Plan) -> list[Row]:
    label, path = recording(plan.viewed)
    progress(f"viewer in Chromium on {label}, rounds: {plan.viewer_rounds}")
    timings = viewer_timings(path, rounds=plan.viewer_rounds, render_timeout_s=RENDER_BUDGET_S)
    return view_change_rows(label, timings)


def view_change_rows(label: str, timings: ViewerTimings) -> list[Row]:
    """Opening, then every zoom or pan to fully drawn: p50/p95 of all and p95 of each kind."""
    seconds = [ms / 1000 for _, ms in timings.changes]
    manifest = f"manifest of {timings.tiles} tiles, {timings.manifest_bytes / 1e6:.1f} MB"
    rows = [
        Row(
            "viewer: open → first view drawn",
            label,
            timings.first_view_ms / 1000,
            "s",
            details={"manifest": manifest},
        ),
        Row(
            "viewer: zoom or pan → drawn p50",
            f"{label}, {len(seconds)} changes",
            percentile(seconds, 50),
            "s",
            details={"changes": timings.changes},
        ),
        Row(
            "viewer: zoom or pan → drawn p95",
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
                f"viewer: {kind} → drawn p95",
                f"{label}, {len(of_kind)} changes",
                percentile(of_kind, 95),
                "s",
            )
        )
    return rows
