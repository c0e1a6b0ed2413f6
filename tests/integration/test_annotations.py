"""Annotations over real HTTP: versioned reads and writes, autosave, ownership, deletion."""

from __future__ import annotations

import pytest

from infra.local.harness import ApiClient, ApiUser, RunningStack
from tests.integration.test_pipeline import wav_bytes
from tests.worst_inputs import filled


@pytest.fixture(scope="module")
def rendered(alice: ApiUser) -> dict:
    """A 2 s, 22.05 kHz recording of alice's, decoded (so its bounds are known)."""
    recording = alice.upload("marsh.wav", wav_bytes(2.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    return alice.request("GET", f"/recordings/{recording['id']}").json()


def fresh(api: ApiUser) -> str:
    """A recording never uploaded: its bounds are not known yet."""
    body = {"filename": "later.wav", "size": 10, "content_type": ""}
    return api.request("POST", "/recordings", json=body).json()["recording"]["id"]


def path(recording_id: str) -> str:
    return f"/recordings/{recording_id}/annotations"


def test_annotations_are_replaced_read_and_counted(alice: ApiUser):
    recording_id = fresh(alice)
    empty = {"annotations": [], "version": 0, "blind": False}
    assert alice.request("GET", path(recording_id)).json() == empty
    boxes = [
        {"start_s": 0.5, "end_s": 1.25, "low_hz": 2000, "high_hz": 4000, "label": "trill"},
        {"id": "mine-1", "start_s": 1, "end_s": 2, "confidence": 0.8, "notes": "faint"},
    ]
    put = alice.request("PUT", path(recording_id), json={"annotations": boxes, "version": 0})
    assert put.status_code == 200, put.text
    assert put.json()["version"] == 1
    stored = put.json()["annotations"]
    assert stored[1]["id"] == "mine-1" and stored[0]["id"]
    assert {(b["created_by"], b["updated_by"]) for b in stored} == {("alice", "alice")}
    assert (stored[0]["low_hz"], stored[0]["label"], stored[0]["channel"]) == (2000.0, "trill", 1)
    assert alice.request("GET", path(recording_id)).json() == put.json()
    assert alice.request("GET", f"/recordings/{recording_id}").json()["annotation_count"] == 2


def test_a_stale_version_is_409_and_writes_nothing(alice: ApiUser):
    recording_id = fresh(alice)
    box = {"start_s": 0, "end_s": 1, "label": "first"}
    alice.request("PUT", path(recording_id), json={"annotations": [box], "version": 0})
    for method, body in (
        ("PUT", {"annotations": [], "version": 0}),
        ("PATCH", {"version": 0, "upsert": [{**box, "label": "lost"}]}),
    ):
        answer = alice.request(method, path(recording_id), json=body)
        assert answer.status_code == 409, answer.text
        assert "changed since version 0" in answer.json()["error"]
    read = alice.request("GET", path(recording_id)).json()
    assert (read["version"], [b["label"] for b in read["annotations"]]) == (1, ["first"])


def test_autosave_sends_only_what_changed(alice: ApiUser):
    recording_id = fresh(alice)
    boxes = [{"id": name, "start_s": 0, "end_s": 1, "label": name} for name in ("a", "b", "c")]
    alice.request("PUT", path(recording_id), json={"annotations": boxes, "version": 0})
    answer = alice.request(
        "PATCH",
        path(recording_id),
        json={"version": 1, "upsert": [{"id": "b", "start_s": 2, "end_s": 3}], "delete": ["c"]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 2 and answer.json()["annotation_count"] == 2
    read = alice.request("GET", path(recording_id)).json()["annotations"]
    assert [(b["id"], b["start_s"]) for b in read] == [("a", 0.0), ("b", 2.0)]


@pytest.mark.parametrize(
    ("box", "complaint"),
    [
        ({"start_s": 1.5, "end_s": 2.5}, "annotations[1]: end_s 2.5 is past the recording's end"),
        ({"start_s": 2.5, "end_s": 2.5}, "annotations[1]: end_s 2.5 is past the recording's end"),
        ({"start_s": 0, "end_s": 1, "high_hz": 12000}, "high_hz 12000.0 is above"),
        ({"start_s": 0, "end_s": 1, "channel": 2}, "channel 2 does not exist"),
        ({"start_s": 1, "end_s": 0.5}, "annotations[1]: end_s 0.5 must not be before start_s"),
        (
            {"start_s": 1, "end_s": 1, "low_hz": 900, "high_hz": 800},
            "annotations[1]: high_hz 800.0 must be above low_hz 900.0 (or equal to it for a point)",
        ),
        ({"start_s": 0, "end_s": 1, "label": "x" * 201}, "label is 201 characters, over 200"),
        ({"start_s": 0, "end_s": 1, "pixels": 4}, "annotations[1]: unknown field(s) 'pixels'"),
    ],
)
def test_a_bad_box_is_400_naming_the_box_and_field(alice: ApiUser, rendered, box, complaint):
    good = {"start_s": 0, "end_s": 1}
    body = {"annotations": [good, box], "version": 0}
    answer = alice.request("PUT", path(rendered["id"]), json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]
    assert alice.request("GET", path(rendered["id"])).json()["version"] == 0


def test_points_are_stored_moved_relabelled_and_deleted(alice: ApiUser):
    """A point ends where it starts: across the band, over a band, or at one frequency."""
    recording_id = fresh(alice)
    points = [
        {"id": "click", "start_s": 0.5, "end_s": 0.5, "label": "click"},
        {"id": "pulse", "start_s": 1.0, "end_s": 1.0, "low_hz": 300, "high_hz": 900},
        {"id": "tick", "start_s": 0, "end_s": 0, "low_hz": 2500, "high_hz": 2500},
    ]
    put = alice.request("PUT", path(recording_id), json={"annotations": points, "version": 0})
    assert put.status_code == 200, put.text
    stored = {
        b["id"]: (b["start_s"], b["end_s"], b["low_hz"], b["high_hz"])
        for b in put.json()["annotations"]
    }
    assert stored == {
        "click": (0.5, 0.5, None, None),
        "pulse": (1.0, 1.0, 300.0, 900.0),
        "tick": (0.0, 0.0, 2500.0, 2500.0),
    }
    moved = {**points[0], "start_s": 1.75, "end_s": 1.75, "label": "snap"}
    patch = alice.request(
        "PATCH", path(recording_id), json={"version": 1, "upsert": [moved], "delete": ["tick"]}
    )
    assert patch.status_code == 200, patch.text
    read = alice.request("GET", path(recording_id)).json()["annotations"]
    assert [(b["id"], b["start_s"], b["end_s"], b["label"]) for b in read] == [
        ("click", 1.75, 1.75, "snap"),
        ("pulse", 1.0, 1.0, ""),
    ]


def test_non_finite_numbers_are_refused(alice: ApiUser):
    # Python's JSON reader takes NaN and Infinity; a box must not.
    body = '{"annotations": [{"start_s": 0, "end_s": Infinity}], "version": 0}'
    answer = alice.request("PUT", path(fresh(alice)), data=body)
    assert answer.status_code == 400
    assert "end_s must be a finite number, not inf" in answer.json()["error"]


def test_another_users_annotations_are_404(alice: ApiUser, bob: ApiUser):
    recording_id = fresh(alice)
    for method, body in (
        ("GET", None),
        ("PUT", {"annotations": [], "version": 0}),
        ("PATCH", {"version": 0}),
    ):
        answer = bob.request(method, path(recording_id), json=body)
        assert answer.status_code == 404, (method, answer.text)
    assert alice.request("GET", path(recording_id)).json()["version"] == 0


def test_annotations_need_a_token(stack: RunningStack, alice: ApiUser):
    visitor, guarded = ApiClient(stack.api_url), path(fresh(alice))
    for method in ("GET", "PUT", "PATCH"):
        assert visitor.request(method, guarded, json={}).status_code == 401


def test_deleting_a_recording_deletes_its_annotations(stack: RunningStack, alice: ApiUser):
    recording_id = fresh(alice)
    boxes = [{"start_s": 0, "end_s": 1}]
    alice.request("PUT", path(recording_id), json={"annotations": boxes, "version": 0})
    assert alice.request("DELETE", f"/recordings/{recording_id}").status_code == 204
    assert alice.request("GET", path(recording_id)).status_code == 404
    left = stack.client("dynamodb").query(
        TableName="sonagram-annotations",
        KeyConditionExpression="recording_id = :id",
        ExpressionAttributeValues={":id": {"S": recording_id}},
    )
    assert left["Items"] == []


@pytest.mark.parametrize(("method", "head"), [("PUT", "annotations"), ("PATCH", "upsert")])
def test_4_mib_of_tiny_boxes_is_400_before_they_are_made(alice: ApiUser, method, head):
    recording_id = fresh(alice)
    body = filled(f'{{"version":0,"{head}":[', '{"start_s":0,"end_s":1},', "{}]}")
    answer = alice.request(
        method, path(recording_id), data=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == (
        "the request body holds 174764 JSON arrays and objects; a request takes at most 40003"
    )
    empty = {"annotations": [], "version": 0, "blind": False}
    assert alice.request("GET", path(recording_id)).json() == empty
