"""Agreement and consensus over real HTTP: a recording assigned blind to two annotators (the
assignment rows and their layers written straight into the local stack's tables, as the
assignment and annotation routes would), its figures, the project's, and a merge."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from chalicelib import agreements, annotation_sets, models
from chalicelib.access import Role
from chalicelib.config import Settings
from chalicelib.models import RecordingModel
from infra.local.harness import ROOT, ApiUser, RunningStack
from tests.blind_layers import ANA_BOXES, BEN_BOXES, decoded, layer, member, set_state

CHOICES = [
    {"a": "a1", "b": "b1", "keep": "a"},
    {"a": "a2", "b": "b2", "keep": "b", "label": "robin"},
    {"a": "a3", "b": "b3", "keep": "both"},
    {"a": "a4", "b": "b4", "keep": "none"},
    {"a": None, "b": "b5", "keep": "b"},
]


@pytest.fixture(scope="module")
def people(stack: RunningStack) -> dict[str, ApiUser]:
    models.bind(Settings(cloud_endpoint=stack.cloud_url, dynamodb_endpoint=stack.cloud_url))
    return {name: ApiUser(stack.api_url, name) for name in ("olga", "ana", "ben", "viv", "eve")}


@pytest.fixture
def blind(people) -> tuple[str, str]:
    """olga's project (ana and ben annotate, viv views) and a recording in it assigned blind
    to ana (done) and ben (in progress), holding the worked example of docs/lab-agreement.md."""
    olga = people["olga"]
    project_id = olga.request("POST", "/projects", json={"name": "Marsh"}).json()["id"]
    body = {"filename": "marsh.wav", "size": 10, "content_type": "", "project_id": project_id}
    created = olga.request("POST", "/recordings", json=body)
    assert created.status_code == 201, created.text
    recording_id = created.json()["recording"]["id"]
    decoded(recording_id)
    for name, role in (("ana", Role.ANNOTATOR), ("ben", Role.ANNOTATOR), ("viv", Role.VIEWER)):
        member(project_id, name, role, by="olga")
    layer(recording_id, project_id, "ana", ANA_BOXES, state="done", by="olga")
    layer(recording_id, project_id, "ben", BEN_BOXES, state="in_progress", by="olga")
    return project_id, recording_id


def test_agreement_shows_once_both_are_done_to_members_only(people, blind):
    project_id, recording_id = blind
    path = f"/recordings/{recording_id}/agreement"
    waiting = people["viv"].request("GET", path)
    assert waiting.status_code == 409
    assert "ben is in progress" in waiting.json()["error"]
    set_state(recording_id, "ben", "done")
    agreements.after_state_change(recording_id, project_id)
    answer = people["viv"].request("GET", path)
    assert answer.status_code == 200, answer.text
    read = answer.json()
    assert (read["annotators"], read["version"]) == (["ana", "ben"], 0)
    figures = read["figures"]
    assert (figures["matched"], figures["match_rate"]) == (4, {"a": 1.0, "b": 0.8})
    assert figures["kappa"] == pytest.approx(5 / 9)
    assert figures["onset_diff_s"]["median"] == pytest.approx(0.015)
    assert [(p["a"] and p["a"]["id"], p["b"] and p["b"]["id"]) for p in read["pairs"]] == [
        (c["a"], c["b"]) for c in CHOICES
    ]
    pooled = people["olga"].request("GET", f"/projects/{project_id}/agreement")
    assert pooled.status_code == 200, pooled.text
    assert pooled.json()["recordings"] == 1
    assert pooled.json()["figures"] == figures
    assert pooled.json()["annotator_pairs"][0]["annotators"] == ["ana", "ben"]
    for outside in (path, f"/projects/{project_id}/agreement"):
        assert people["eve"].request("GET", outside).status_code == 404


def test_a_consensus_merges_the_kept_boxes_signed_by_their_authors(people, blind):
    project_id, recording_id = blind
    path = f"/recordings/{recording_id}/consensus"
    body = {"version": 0, "choices": CHOICES}
    assert people["ana"].request("POST", path, json=body).status_code == 409
    set_state(recording_id, "ben", "done")
    refused = people["viv"].request("POST", path, json=body)
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "your role in this project is viewer: merging a consensus needs annotator or owner"
    )
    assert people["eve"].request("POST", path, json=body).status_code == 404
    bad = people["ana"].request("POST", path, json={**body, "choices": CHOICES[:4]})
    assert bad.status_code == 400
    merged = people["ana"].request("POST", path, json=body)
    assert merged.status_code == 200, merged.text
    assert merged.json() == {"version": 1, "annotation_count": 5, "merged": 5}
    assert people["ben"].request("POST", path, json=body).status_code == 409
    _, boxes = annotation_sets.load(RecordingModel.get(recording_id))
    signed = {box["id"]: (box["label"], box["created_by"], box["updated_by"]) for box in boxes}
    assert signed == {
        "a1": ("wren", "ana", "ana"),
        "b2": ("robin", "ben", "ana"),
        "a3": ("wren", "ana", "ana"),
        "b3": ("wren", "ben", "ben"),
        "b5": ("robin", "ben", "ben"),
    }
    listed = people["olga"].request("GET", f"/recordings/{recording_id}").json()
    assert listed["annotation_count"] == 5


def test_the_curl_example_of_the_method_prints_what_the_page_says(
    stack: RunningStack, people, blind, tmp_path: Path
):
    project_id, recording_id = blind
    set_state(recording_id, "ben", "done")
    agreements.after_state_change(recording_id, project_id)
    page = (ROOT / "docs" / "lab-agreement.md").read_text()
    [(script, printed)] = re.findall(r"```sh\n(.*?)```\n\nprints\n\n```\n(.*?)```", page, re.DOTALL)
    given = {
        "API": stack.api_url,
        "AUTH": f"Authorization: {people['ana'].session.headers['Authorization']}",
        "JSON": "Content-Type: application/json",
        "ID": recording_id,
        "PROJECT": project_id,
    }
    prelude = "".join(f"{name}='{value}'\n" for name, value in given.items())
    run = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + prelude + script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == printed
