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
