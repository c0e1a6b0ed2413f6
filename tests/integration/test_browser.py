"""The browser app in Debian's Chromium (playwright-core) against the stack `make run` starts."""

from __future__ import annotations

import subprocess

from infra.local.harness import ROOT, RunningStack
from tests.integration.conftest import SAMPLES

ARTIFACTS = ROOT / "artifacts" / "browser"


def test_sign_in_upload_the_sample_and_see_it_completed(stack: RunningStack):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sample = next(SAMPLES.glob("*.mp3"))
    run = subprocess.run(
        ["node", "e2e/smoke.mjs", stack.ui_url, str(sample), str(ARTIFACTS)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"screenshots in {ARTIFACTS}\n{run.stdout}\n{run.stderr}"
