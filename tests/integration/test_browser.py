"""The browser app in Debian's Chromium (playwright-core) against the stack `make run` starts."""

from __future__ import annotations

import subprocess

from infra.local.harness import ROOT, RunningStack
from tests.annotation_files import ANNOTATIONS as FIXTURES
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


def test_a_folder_of_birdnet_results_lands_on_a_projects_recordings(stack: RunningStack):
    """frontend/e2e/detector-output.mjs: choose a folder of result files on a project, read
    the summary, see the boxes on a recording."""
    # Beside the other flow's folder, which it empties file by file: this one holds folders.
    artifacts = ARTIFACTS.parent / "detector-output"
    artifacts.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        ["node", "e2e/detector-output.mjs", stack.ui_url, str(FIXTURES), str(artifacts)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"screenshots in {artifacts}\n{run.stdout}\n{run.stderr}"
    assert "detector output flow passed" in run.stdout


def test_a_preset_proposes_boxes_that_a_person_reviews_and_runs_again(stack: RunningStack):
    """frontend/e2e/detector-flow.mjs: a preset on a project, an upload whose render proposes
    boxes (dashed, counted, measured), measurement columns, Show proposals, relabelling a
    proposal accepts it, Run detector on the recording and on the project."""
    artifacts = ARTIFACTS.parent / "detector-flow"
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.iterdir():
        old.unlink()
    run = subprocess.run(
        ["node", "e2e/detector-flow.mjs", stack.ui_url, str(artifacts)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert run.returncode == 0, f"screenshots in {artifacts}\n{run.stdout}\n{run.stderr}"
    assert "detector flow passed" in run.stdout


def test_a_keyboard_first_viewer_draws_steps_labels_and_plays_boxes(stack: RunningStack):
    """frontend/e2e/keys-flow.mjs: label keys set on a project, draw mode that stays on,
    Tab and Shift+Tab through the boxes, a label key, a box played and looped, the ? help
    drawn from the shortcut table; axe-core at each step."""
    artifacts = ARTIFACTS.parent / "keys-flow"
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.iterdir():
        old.unlink()
    run = subprocess.run(
        ["node", "e2e/keys-flow.mjs", stack.ui_url, str(artifacts)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"screenshots in {artifacts}\n{run.stdout}\n{run.stderr}"
    assert "keys flow passed" in run.stdout


def test_a_project_is_reviewed_by_keys_and_its_decisions_survive_a_reload(stack: RunningStack):
    """frontend/e2e/review-flow.mjs: three recordings with BirdNET tables, Review from the
    project, one label's stratified sample reviewed with keys only (accept, reject, relabel by
    type-ahead, undo), the progress moving, the decisions kept over a reload (one sent from the
    outbox after it), Enter opening the box in the viewer, Review on a recording."""
    artifacts = ARTIFACTS.parent / "review-flow"
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob("*.png"):
        old.unlink()
    run = subprocess.run(
        ["node", "e2e/review-flow.mjs", stack.ui_url, str(artifacts)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=500,
    )
    assert run.returncode == 0, f"screenshots in {artifacts}\n{run.stdout}\n{run.stderr}"
    assert "review flow passed" in run.stdout
