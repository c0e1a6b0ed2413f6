"""docs/api.md's curl walk-through, run as written against the stack `make run` starts."""

from __future__ import annotations

import json
import re
import struct
import subprocess
from pathlib import Path

from infra.local.harness import ROOT, RunningStack

API_DOC = ROOT / "docs" / "api.md"
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
PRINTED = re.compile(r"^prints \(ids differ[^)]*\):\n\n```\n(.*?)```", re.MULTILINE | re.DOTALL)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A reader watches step 4 until it reads COMPLETED; the script waits for it in the same way.
UNTIL_COMPLETED = (
    'until curl -s "$API/recordings/$ID/spectrogram/status" -H "$AUTH" | grep -q COMPLETED; '
    "do sleep 0.2; done\n"
)


def walk(stack: RunningStack, workdir: Path, *blocks: str) -> str:
    (workdir / "samples").symlink_to(ROOT / "samples")
    script = "set -euo pipefail\n" + "".join(blocks)
    script = script.replace("API=http://127.0.0.1:8000\n", f"API={stack.api_url}\n", 1)
    script = script.replace("# 5. ", UNTIL_COMPLETED + "# 5. ", 1)
    run = subprocess.run(
        ["bash", "-c", script], cwd=workdir, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_walk_through_prints_what_the_page_says(stack: RunningStack, tmp_path: Path):
    text = API_DOC.read_text()
    upload, annotate, _, _, _, _ = SHELL_BLOCK.findall(text)
    printed = walk(stack, tmp_path, upload, annotate)
    # Step 4 shows whichever status the upload had reached; what the page quotes comes after.
    shown = printed.split("\n", 1)[1]
    assert UUID.sub("<id>", shown) == UUID.sub("<id>", PRINTED.search(text)[1])
    # "(3200 x 400 for this 102 s song)": a PNG's IHDR holds its width and height.
    png = (tmp_path / "spectrogram.png").read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (3200, 400)


def test_the_projects_examples_answer_without_an_error(stack: RunningStack, tmp_path: Path):
    upload, _, projects, _, _, _ = SHELL_BLOCK.findall(API_DOC.read_text())
    printed = walk(stack, tmp_path, upload, projects)
    assert '{"error":"' not in printed
    assert '"deleted":["' in printed


def test_the_members_examples_share_a_project_and_hand_it_over(stack: RunningStack, tmp_path: Path):
    upload, _, _, members, _, _ = SHELL_BLOCK.findall(API_DOC.read_text())
    printed = walk(stack, tmp_path, upload, members)
    assert '{"error":"' not in printed
    # curl prints each answer without a newline: the listing starts at its key.
    listed, _ = json.JSONDecoder().raw_decode(printed, printed.index('{"members":'))
    assert [(m["username"], m["role"]) for m in listed["members"]] == [
        ("bo", "owner"),
        ("alice", "annotator"),
        ("cy", "annotator"),
    ]


def test_the_review_examples_review_birdnets_wrens_and_export_the_accepted(
    stack: RunningStack, tmp_path: Path
):
    upload, _, _, _, review, _ = SHELL_BLOCK.findall(API_DOC.read_text())
    printed = walk(stack, tmp_path, upload, review).splitlines()
    # The four Wrens above 0.5 that nobody reviewed, then the three decisions taken.
    assert '{"boxes":4,"reviewed":0,"accepted":0,"rejected":0}' in printed
    assert "[true,true,true]" in printed
    assert '{"undone":1}' in printed
    assert (tmp_path / "precision.csv").read_text().startswith("label,threshold,")
    header, *rows = (tmp_path / "accepted.txt").read_text().splitlines()
    review_column = header.split("\t").index("Review")
    assert [row.split("\t")[review_column] for row in rows] == ["accepted", "accepted"]


def answers(printed: str) -> list[dict]:
    """Each JSON answer curl printed, in order (curl -s adds no newline between them)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (at := printed.find("{", at)) != -1:
        answer, at = decoder.raw_decode(printed, at)
        found.append(answer)
    return found


def test_the_assignment_examples_give_ana_her_work_and_count_it(
    stack: RunningStack, tmp_path: Path
):
    upload, *_, assignments = SHELL_BLOCK.findall(API_DOC.read_text())
    printed = walk(stack, tmp_path, upload, assignments)
    assert '{"error":"' not in printed
    *_, work, figures = answers(printed)
    assert [(item["assignee"], item["state"]) for item in work["assignments"]] == [
        ("ana", "in_progress")
    ]
    ana = next(member for member in figures["members"] if member["username"] == "ana")
    assert (ana["assigned"], ana["in_progress"], ana["done"]) == (1, 1, 0)
