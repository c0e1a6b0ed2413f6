"""Detector presets through the local stack: upload -> render with the project's enabled
presets -> proposals in the recording's set; **Run detector** -> the worker's queue -> the
proposals replaced, without a new render.
"""

from __future__ import annotations

import io
import json

import numpy as np
import soundfile as sf

from chalicelib.config import Settings
from infra.local.harness import ApiUser, RunningStack
from tests.integration.test_pipeline import wait_for, wav_bytes

WHISTLES = {"name": "whistles", "min_freq_hz": 2000, "max_freq_hz": 4000}
RESTING = {"name": "resting", "enabled": False}


def tone_bursts(starts_s: tuple[float, ...], seconds: float = 6.0, rate: int = 16000) -> bytes:
    """Quiet noise with a 0.3 s, 3 kHz tone at each start."""
    samples = np.random.default_rng(17).normal(0, 0.001, int(seconds * rate)).astype(np.float32)
    t = np.arange(int(0.3 * rate)) / rate
    for start_s in starts_s:
        at = int(start_s * rate)
        samples[at : at + t.size] += 0.5 * np.sin(2 * np.pi * 3000 * t).astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="WAV")
    return buffer.getvalue()


def project_with(stack: RunningStack, user: ApiUser, *presets: dict) -> str:
    """A new project of ``user``'s holding these detector presets (written as the server
    stores them: JSON text on the project's row)."""
    created = user.request("POST", "/projects", json={"name": "Dawn chorus"})
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    stack.client("dynamodb").update_item(
        TableName=Settings.projects_table,
        Key={"id": {"S": project_id}},
        UpdateExpression="SET detectors = :presets",
        ExpressionAttributeValues={":presets": {"S": json.dumps(list(presets))}},
    )
    return project_id


def uploaded_into(user: ApiUser, project_id: str | None, data: bytes) -> str:
    recording = user.upload("bursts.wav", data)
    if project_id is not None:
        moved = user.request(
            "PATCH", f"/recordings/{recording['id']}", json={"project_id": project_id}
        )
        assert moved.status_code == 200, moved.text
    return recording["id"]


def spectrogram_row(stack: RunningStack, recording_id: str) -> dict:
    item = stack.client("dynamodb").get_item(
        TableName=Settings.spectrograms_table,
        Key={"recording_id": {"S": recording_id}},
        ConsistentRead=True,
    )["Item"]
    return {name: item[name]["S"] for name in ("attempt_id", "prefix", "updated_at")}


def test_run_detector_on_a_recording_in_no_project_names_the_fix(alice: ApiUser):
    recording_id = uploaded_into(alice, None, wav_bytes(1.0))
    assert alice.wait_until_done(recording_id)["status"] == "COMPLETED"
    answer = alice.request("POST", f"/recordings/{recording_id}/detect")
    assert answer.status_code == 409
    assert "in no project" in answer.json()["error"]
    assert alice.request("GET", f"/recordings/{recording_id}").json()["detection"] is None


def test_run_detector_without_a_preset_or_with_an_unknown_one_names_the_fix(
    stack: RunningStack, alice: ApiUser
):
    bare = alice.request("POST", "/projects", json={"name": "No presets"}).json()["id"]
    recording_id = uploaded_into(alice, bare, wav_bytes(1.0))
    assert alice.wait_until_done(recording_id)["status"] == "COMPLETED"
    answer = alice.request("POST", f"/recordings/{recording_id}/detect")
    assert answer.status_code == 409
    assert "has no detector preset" in answer.json()["error"]
    answer = alice.request("POST", f"/projects/{bare}/detect")
    assert answer.status_code == 409

    resting = project_with(stack, alice, RESTING)
    answer = alice.request("POST", f"/projects/{resting}/detect")
    assert answer.status_code == 409
    assert "is enabled" in answer.json()["error"]
    answer = alice.request("POST", f"/projects/{resting}/detect", json={"presets": ["bats"]})
    assert answer.status_code == 409
    assert "no detector preset 'bats'" in answer.json()["error"]
    answer = alice.request("POST", f"/projects/{resting}/detect", json={"presets": "resting"})
    assert answer.status_code == 400


def test_run_detector_on_another_users_recording_or_project_is_not_found(
    stack: RunningStack, alice: ApiUser, bob: ApiUser
):
    project_id = project_with(stack, alice, RESTING)
    recording_id = uploaded_into(alice, project_id, wav_bytes(1.0))
    assert bob.request("POST", f"/recordings/{recording_id}/detect").status_code == 404
    assert bob.request("POST", f"/projects/{project_id}/detect").status_code == 404


def test_run_detector_waits_for_the_render(stack: RunningStack, alice: ApiUser):
    project_id = project_with(stack, alice, RESTING)
    created = alice.request(
        "POST",
        "/recordings",
        json={"filename": "later.wav", "size": 10, "content_type": "", "project_id": project_id},
    )
    recording_id = created.json()["recording"]["id"]
    answer = alice.request(
        "POST", f"/recordings/{recording_id}/detect", json={"presets": ["resting"]}
    )
    assert answer.status_code == 409
    assert "PENDING, not COMPLETED" in answer.json()["error"]


def test_proposals_appear_on_upload_and_run_detector_replaces_them_without_a_render(
    stack: RunningStack, alice: ApiUser
):
    project_id = project_with(stack, alice, WHISTLES, RESTING)
    data = tone_bursts((1.0, 3.0, 4.5))
    recording_id = uploaded_into(alice, project_id, data)
    assert alice.wait_until_done(recording_id)["status"] == "COMPLETED"

    def proposals() -> list[dict]:
        boxes = alice.request("GET", f"/recordings/{recording_id}/annotations").json()
        return [b for b in boxes["annotations"] if b["source"] == "detector:whistles"]

    def detection_done() -> dict | None:
        detection = alice.request("GET", f"/recordings/{recording_id}").json()["detection"]
        return detection if detection and detection["state"] == "done" else None

    state = wait_for(detection_done, 30, "detection after the render")
    assert state["presets"]["whistles"]["proposals"] == 3
    first = proposals()
    assert sorted(round(b["start_s"] * 2) / 2 for b in first) == [1.0, 3.0, 4.5]
    rendered = spectrogram_row(stack, recording_id)

    answer = alice.request("POST", f"/recordings/{recording_id}/detect")
    assert answer.status_code == 202
    assert answer.json()["detection"]["state"] == "queued"
    wait_for(detection_done, 60, "detection after Run detector")
    again = proposals()
    assert len(again) == 3
    assert not {b["id"] for b in first} & {b["id"] for b in again}
    assert spectrogram_row(stack, recording_id) == rendered

    answer = alice.request("POST", f"/projects/{project_id}/detect")
    assert answer.status_code == 202
    assert answer.json() == {"recordings": 1}


def test_run_detector_queues_the_run_and_shows_it_on_the_recording(
    stack: RunningStack, alice: ApiUser
):
    project_id = project_with(stack, alice, RESTING)
    recording_id = uploaded_into(alice, project_id, wav_bytes(1.0))
    assert alice.wait_until_done(recording_id)["status"] == "COMPLETED"
    answer = alice.request(
        "POST", f"/recordings/{recording_id}/detect", json={"presets": ["resting"]}
    )
    assert answer.status_code == 202
    queued = answer.json()["detection"]
    assert (queued["state"], queued["error"], queued["presets"]) == ("queued", None, {})
    shown = alice.request("GET", f"/recordings/{recording_id}").json()["detection"]
    assert shown["state"] in ("queued", "running", "done", "failed")
    answer = alice.request("POST", f"/projects/{project_id}/detect", json={"presets": ["resting"]})
    assert (answer.status_code, answer.json()) == (202, {"recordings": 1})
