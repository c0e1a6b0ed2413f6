"""The browser app in Debian's Chromium (playwright-core) against the stack `make run` starts."""

from __future__ import annotations

import subprocess

from infra.local.harness import ROOT, RunningStack
from tests.annotation_files import ANNOTATIONS as FIXTURES
from tests.integration.conftest import SAMPLES

ARTIFACTS = ROOT / "artifacts"


def run_flow(script: str, folder: str, *args: str, passed: str, timeout: int = 400) -> None:
    """Run ``frontend/e2e/<script>`` with ``args`` and the folder its screenshots go to (its
    last argument): it passes when it exits 0 having printed ``passed``."""
    artifacts = ARTIFACTS / folder
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.iterdir():
        if old.is_file():  # a flow's folders of inputs it writes again
            old.unlink()
    run = subprocess.run(
        ["node", f"e2e/{script}", *args, str(artifacts)],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, f"screenshots in {artifacts}\n{run.stdout}\n{run.stderr}"
    assert passed in run.stdout


def test_upload_open_zoom_play_box_reload_and_export(stack: RunningStack):
    """frontend/e2e/flows.mjs: every step an annotator takes, with a screenshot of each."""
    sample = next(SAMPLES.glob("*.mp3"))
    run_flow("flows.mjs", "browser", stack.ui_url, str(sample), passed="flows passed")


def test_a_folder_of_birdnet_results_lands_on_a_projects_recordings(stack: RunningStack):
    """frontend/e2e/detector-output.mjs: choose a folder of result files on a project, read
    the summary, see the boxes on a recording."""
    run_flow(
        "detector-output.mjs",
        "detector-output",
        stack.ui_url,
        str(FIXTURES),
        passed="detector output flow passed",
        timeout=300,
    )


def test_a_preset_proposes_boxes_that_a_person_reviews_and_runs_again(stack: RunningStack):
    """frontend/e2e/detector-flow.mjs: a preset on a project, an upload whose render proposes
    boxes (dashed, counted, measured), measurement columns, Show proposals, relabelling a
    proposal accepts it, Run detector on the recording and on the project."""
    run_flow("detector-flow.mjs", "detector-flow", stack.ui_url, passed="detector flow passed")


def test_a_keyboard_first_viewer_draws_steps_labels_and_plays_boxes(stack: RunningStack):
    """frontend/e2e/keys-flow.mjs: label keys set on a project, draw mode that stays on,
    Tab and Shift+Tab through the boxes, a label key, a box played and looped, the ? help
    drawn from the shortcut table; axe-core at each step."""
    run_flow("keys-flow.mjs", "keys-flow", stack.ui_url, passed="keys flow passed", timeout=300)


def test_a_project_is_reviewed_by_keys_from_import_to_an_export_of_accepted_boxes(
    stack: RunningStack,
):
    """frontend/e2e/review-flow.mjs, the issue's walk: three recordings with BirdNET tables,
    Review from the project, one label's stratified sample reviewed with keys only (accept,
    reject, relabel by type-ahead, undo), the progress moving, the decisions kept over a
    reload (one sent from the outbox after it), the precision table moving, every unreviewed
    box above the threshold accepted (undone, redone), Enter opening the box in the viewer,
    Review on a recording, the project's accepted boxes exported with their review columns."""
    run_flow(
        "review-flow.mjs", "review-flow", stack.ui_url, passed="review flow passed", timeout=500
    )


def test_an_owner_an_annotator_and_a_viewer_share_a_project_each_in_their_own_browser(
    stack: RunningStack,
):
    """frontend/e2e/lab-flow.mjs, issue 19's walk: members added by username with a role,
    recordings assigned from the listing (one blind to two people), the annotator seeing the
    shared project and My work and nothing else, a box signed by its author, blind boxes kept
    apart until both are done, the Agreement figures, a viewer offered no edit control, a
    removed member refused at once."""
    run_flow("lab-flow.mjs", "lab-flow", stack.ui_url, passed="lab flow passed", timeout=600)


def test_two_blind_annotators_boxes_become_one_final_set(stack: RunningStack):
    """frontend/e2e/consensus-flow.mjs: each of two annotators draws in their own layer,
    both set Done, the Agreement region shows the figures, the consensus table's choices are
    merged, and the final set's boxes carry their authors."""
    run_flow(
        "consensus-flow.mjs",
        "consensus-flow",
        stack.ui_url,
        passed="consensus flow passed",
        timeout=600,
    )
