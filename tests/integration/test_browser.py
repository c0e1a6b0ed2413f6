"""The browser app in Debian's Chromium (playwright-core) against the stack `make run` starts."""

from __future__ import annotations

import subprocess

from infra.local.harness import ROOT, RunningStack
from tests.integration.conftest import SAMPLES

ARTIFACTS = ROOT / "artifacts" / "browser"


def test_upload_open_zoom_play_box_reload_and_export(stack: RunningStack):
    """frontend/e2e/flows.mjs: every step an annotator takes, with a screenshot of each."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.iterdir():
        old.unlink()
    sample = next(SAMPLES.glob("*.mp3"))
    run = subprocess.run(
        ["node", "e2e/flows.mjs", stack.ui_url, str(sample), str(ARTIFACTS)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert run.returncode == 0, f"screenshots in {ARTIFACTS}\n{run.stdout}\n{run.stderr}"
    assert "flows passed" in run.stdout
