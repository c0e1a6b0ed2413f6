"""Where a box came from, its review and its computed measurements, over real HTTP: through
PUT, PATCH, GET, every export and import; and a project's detector presets."""

from __future__ import annotations

import json

import pytest

from chalicelib import measurements, models
from chalicelib.config import Settings
from chalicelib.detector_presets import DetectorPreset
from chalicelib.measurement_names import NAMES
from chalicelib.recordings import owned_recording
from infra.local.harness import ApiUser, RunningStack

PEAK = "Peak Freq (Hz)"
REVIEW = {"state": "accepted", "by": "alice", "at": "2026-12-07T12:00:00Z", "label_before": "x"}
PROPOSAL = {
    "id": "p1",
    "start_s": 0.5,
    "end_s": 1.0,
    "low_hz": 1000,
    "high_hz": 3000,
    "label": "wren",
    "source": "detector:wrens",
    "measurements": {"Peak SNR (dB)": 14.5},
}
REVIEWED = {"id": "r1", "start_s": 2, "end_s": 3, "source": "birdnet", "review": REVIEW}
DRAWN = {"id": "d1", "start_s": 4, "end_s": 5, "label": "owl"}


def path(recording_id: str, tail: str = "annotations") -> str:
    return f"/recordings/{recording_id}/{tail}"


def unmeasured(api: ApiUser) -> str:
    """A recording never uploaded: nothing measures its boxes (its render would)."""
    body = {"filename": "later.wav", "size": 10, "content_type": ""}
    return api.request("POST", "/recordings", json=body).json()["recording"]["id"]


@pytest.fixture(scope="module")
def tables(stack: RunningStack) -> None:
    """The stack's tables, for writing what the worker writes (the local cloud is moto)."""
    models.bind(Settings(cloud_endpoint=stack.cloud_url, dynamodb_endpoint=stack.cloud_url))


def worker_measures(recording_id: str, owner: str, boxes: list[dict], peak: float) -> None:
    """What the worker does once it has measured ``boxes``."""
    recording = owned_recording(owner, recording_id)
    measurements.save(
        recording,
        {box["id"]: (measurements.geometry(box), {PEAK: peak, "SNR (dB)": 9.0}) for box in boxes},
    )


def test_source_and_review_round_trip_through_put_patch_and_get(alice: ApiUser):
    recording_id = unmeasured(alice)
    put = alice.request(
        "PUT", path(recording_id), json={"annotations": [PROPOSAL, REVIEWED, DRAWN], "version": 0}
    )
    assert put.status_code == 200, put.text
    stored = {box["id"]: box for box in put.json()["annotations"]}
    assert (stored["p1"]["source"], stored["p1"]["review"]) == ("detector:wrens", None)
    assert (stored["r1"]["source"], stored["r1"]["review"]) == ("birdnet", REVIEW)
    assert (stored["d1"]["source"], stored["d1"]["review"]) == (None, None)
    # A person relabels the proposal: the browser marks it accepted.
    accepted = {
        **stored["p1"],
        "label": "winter wren",
        "review": {**REVIEW, "label_before": "wren"},
    }
    patch = alice.request("PATCH", path(recording_id), json={"version": 1, "upsert": [accepted]})
    assert patch.status_code == 200, patch.text
    read = {
        box["id"]: box for box in alice.request("GET", path(recording_id)).json()["annotations"]
    }
    assert read["p1"]["review"]["label_before"] == "wren"
    assert read["p1"]["source"] == "detector:wrens"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"review": {"state": "maybe"}}, "review.state must be one of accepted, rejected"),
        ({"review": {"state": "accepted", "at": "today"}}, "review.at must be an ISO 8601 time"),
        ({"source": "x" * 101}, "source is 101 characters, over 100"),
    ],
)
def test_a_bad_source_or_review_is_refused_naming_it(alice: ApiUser, change, complaint):
    recording_id = unmeasured(alice)
    answer = alice.request(
        "PUT", path(recording_id), json={"annotations": [{**DRAWN, **change}], "version": 0}
    )
    assert answer.status_code == 400 and complaint in answer.json()["error"], answer.text


def test_computed_values_a_client_sends_are_ignored(alice: ApiUser):
    recording_id = unmeasured(alice)
    sent = {**DRAWN, "measurements": {PEAK: 1.0, "SNR (dB)": 99.0, "Call rate": 3.0}}
    put = alice.request("PUT", path(recording_id), json={"annotations": [sent], "version": 0})
    assert put.json()["annotations"][0]["measurements"] == {"Call rate": 3.0}
    patch = alice.request("PATCH", path(recording_id), json={"version": 1, "upsert": [sent]})
    assert patch.json()["upserted"][0]["measurements"] == {"Call rate": 3.0}


def test_a_new_box_is_pending_until_measured_and_again_once_moved(alice: ApiUser, tables):
    recording_id = unmeasured(alice)
    put = alice.request("PUT", path(recording_id), json={"annotations": [DRAWN], "version": 0})
    (box,) = put.json()["annotations"]
    state = alice.request("GET", path(recording_id, "measurements"))
    assert state.status_code == 200, state.text
    assert state.json() == {"measurements": {}, "pending": ["d1"]}
    worker_measures(recording_id, "alice", [box], peak=2500.0)
    assert alice.request("GET", path(recording_id, "measurements")).json() == {
        "measurements": {"d1": {PEAK: 2500.0, "SNR (dB)": 9.0}},
        "pending": [],
    }
    (read,) = alice.request("GET", path(recording_id)).json()["annotations"]
    assert read["measurements"] == {PEAK: 2500.0, "SNR (dB)": 9.0}
    # The viewer sends the box back as it read it, relabelled: the values still hold.
    relabelled = {**read, "label": "tawny owl"}
    patch = alice.request("PATCH", path(recording_id), json={"version": 1, "upsert": [relabelled]})
    assert patch.json()["upserted"][0]["measurements"][PEAK] == 2500.0
    moved = {**read, "end_s": 5.5}
    alice.request("PATCH", path(recording_id), json={"version": 2, "upsert": [moved]})
    assert alice.request("GET", path(recording_id, "measurements")).json() == {
        "measurements": {},
        "pending": ["d1"],
    }


def test_measurements_of_another_users_recording_are_not_found(alice: ApiUser, bob: ApiUser):
    answer = bob.request("GET", path(unmeasured(alice), "measurements"))
    assert answer.status_code == 404, answer.text


def export(api: ApiUser, recording_id: str, format: str) -> str:
    answer = api.request("GET", path(recording_id, "annotations/export"), params={"format": format})
    assert answer.status_code == 200, answer.text
    return answer.text


def import_into(api: ApiUser, recording_id: str, data: bytes) -> list[dict]:
    answer = api.request(
        "POST",
        path(recording_id, "annotations/import"),
        data=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["annotations"]


@pytest.fixture(scope="module")
def measured(alice: ApiUser, tables) -> str:
    """A recording holding PROPOSAL, REVIEWED and DRAWN, every box measured."""
    recording_id = unmeasured(alice)
    put = alice.request(
        "PUT", path(recording_id), json={"annotations": [PROPOSAL, REVIEWED, DRAWN], "version": 0}
    )
    worker_measures(recording_id, "alice", put.json()["annotations"], peak=1234.5)
    return recording_id


def test_every_export_serves_the_computed_values(alice: ApiUser, measured):
    raven = export(alice, measured, "raven").split("\r\n")
    header = raven[0].split("\t")
    assert header[8:11] == [PEAK, "SNR (dB)", "Peak SNR (dB)"]
    assert header[-6:] == [
        "Source",
        "Annotator",
        "Review",
        "Reviewer",
        "Reviewed At",
        "Label Before",
    ]
    assert raven[1].split("\t")[8:11] == ["1234.5", "9.0", "14.5"]
    csv_header = export(alice, measured, "csv").split("\r\n")[0].split(",")
    assert csv_header[-10:] == [
        "source",
        "review",
        "reviewer",
        "reviewed_at",
        "label_before",
        "created_by",
        "updated_by",
        "updated_at",
        PEAK,
        "SNR (dB)",
    ]
    document = json.loads(export(alice, measured, "json"))
    assert document["annotations"][0]["measurements"] == {
        "Peak SNR (dB)": 14.5,
        PEAK: 1234.5,
        "SNR (dB)": 9.0,
    }


@pytest.mark.parametrize(
    ("format", "sources", "reviews"),
    [
        # Our JSON keeps everything, a person's box (null) included.
        ("json", ["detector:wrens", "birdnet", None], [None, REVIEW, None]),
        # Our CSV keeps sources and reviews; a box without a source came from the file.
        ("csv", ["detector:wrens", "birdnet", "csv"], [None, REVIEW, None]),
        # Raven keeps sources and reviews too.
        ("raven", ["detector:wrens", "birdnet", "raven"], [None, REVIEW, None]),
        # Audacity keeps neither: every box came from the file.
        ("audacity", ["audacity"] * 3, [None] * 3),
    ],
)
def test_each_export_imports_back_with_its_sources_and_without_computed_values(
    alice: ApiUser, measured, format, sources, reviews
):
    data = export(alice, measured, format).encode()
    back = import_into(alice, unmeasured(alice), data)
    assert [box["source"] for box in back] == sources
    assert [box["review"] for box in back] == reviews
    for box in back:
        assert not set(box["measurements"]) & set(NAMES), box


def test_a_birdnet_file_imports_as_birdnets(alice: ApiUser):
    table = (
        b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
        b"0.0,3.0,Troglodytes troglodytes,Eurasian Wren,0.81,later.wav\n"
    )
    (box,) = import_into(alice, unmeasured(alice), table)
    assert (box["source"], box["review"], box["label"]) == ("birdnet", None, "Eurasian Wren")


def test_a_project_keeps_its_detector_presets(alice: ApiUser):
    created = alice.request(
        "POST", "/projects", json={"name": "marsh", "detectors": [{"name": "wrens"}]}
    )
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    assert created.json()["detectors"] == [DetectorPreset("wrens").to_json()]
    presets = [{"name": "owls", "min_freq_hz": 200, "max_freq_hz": 1500}, {"name": "bats"}]
    changed = alice.request("PATCH", f"/projects/{project_id}", json={"detectors": presets})
    assert changed.status_code == 200, changed.text
    read = alice.request("GET", f"/projects/{project_id}").json()
    assert [(d["name"], d["max_freq_hz"]) for d in read["detectors"]] == [
        ("owls", 1500.0),
        ("bats", 10_000.0),
    ]


@pytest.mark.parametrize(
    ("detectors", "complaint"),
    [
        ([{"name": "a"}, {"name": "a"}], "two presets are named 'a'"),
        ([{"name": "a", "snr_threshold_db": "loud"}], "snr_threshold_db must be a number"),
        ([{"name": "a", "min_duration_s": 2, "max_duration_s": 1}], "min_duration_s (2 s)"),
        ([{"name": "a", "colour": "red"}], "unknown field(s) 'colour'"),
    ],
)
def test_bad_detector_presets_are_refused_and_change_nothing(alice: ApiUser, detectors, complaint):
    project_id = alice.request("POST", "/projects", json={"name": "fen"}).json()["id"]
    for method, where in (("POST", "/projects"), ("PATCH", f"/projects/{project_id}")):
        body = {"detectors": detectors} | ({"name": "fen"} if method == "POST" else {})
        answer = alice.request(method, where, json=body)
        assert answer.status_code == 400 and complaint in answer.json()["error"], answer.text
    assert alice.request("GET", f"/projects/{project_id}").json()["detectors"] == []


def test_deleting_a_recording_deletes_its_measurements(stack: RunningStack, alice: ApiUser, tables):
    recording_id = unmeasured(alice)
    put = alice.request("PUT", path(recording_id), json={"annotations": [DRAWN], "version": 0})
    worker_measures(recording_id, "alice", put.json()["annotations"], peak=700.0)

    def chunks() -> list[str]:
        stored = stack.client("dynamodb").query(
            TableName="sonagram-annotations",
            KeyConditionExpression="recording_id = :id",
            ExpressionAttributeValues={":id": {"S": recording_id}},
        )
        return [item["chunk"]["S"] for item in stored["Items"]]

    assert any(chunk.startswith("m") for chunk in chunks())
    assert alice.request("DELETE", f"/recordings/{recording_id}").status_code == 204
    assert chunks() == []
