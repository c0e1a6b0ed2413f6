"""The review queue over real HTTP: a project's queue, decisions across recordings, a
decision racing an editor's autosave, accept above a threshold and its undo, precision."""

from __future__ import annotations

import csv
import io
import threading

import pytest

from chalicelib.paging import TIMESTAMP
from infra.local.harness import ApiUser

LABELS = ("Wren", "Robin")


def new_project(api: ApiUser, name: str) -> str:
    answer = api.request("POST", "/projects", json={"name": name})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def new_recording(api: ApiUser, filename: str, project_id: str | None = None) -> str:
    """A recording never uploaded (its bounds unknown: any box fits)."""
    body = {"filename": filename, "size": 10, "content_type": "", "project_id": project_id}
    answer = api.request("POST", "/recordings", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["recording"]["id"]


def put_boxes(api: ApiUser, recording_id: str, boxes: list[dict]) -> None:
    path = f"/recordings/{recording_id}/annotations"
    version = api.request("GET", path).json()["version"]
    answer = api.request("PUT", path, json={"annotations": boxes, "version": version})
    assert answer.status_code == 200, answer.text


def birdnet_boxes(prefix: str, count: int) -> list[dict]:
    """``count`` boxes alternating Wren and Robin, confidences 0.05 apart, BirdNET's."""
    return [
        {
            "id": f"{prefix}{i}",
            "start_s": float(i),
            "end_s": i + 1.5,
            "low_hz": 1000.0,
            "high_hz": 6000.0,
            "label": LABELS[i % 2],
            "confidence": round(0.05 + 0.9 * i / count, 3),
            "source": "birdnet",
        }
        for i in range(count)
    ]


@pytest.fixture
def marsh(alice: ApiUser) -> tuple[str, list[str]]:
    """A project of three recordings: 20 BirdNET boxes each and one box a person drew."""
    project_id = new_project(alice, "Marsh 2026")
    recording_ids = []
    for n in range(3):
        recording_id = new_recording(alice, f"marsh-{n}.wav", project_id)
        person = {"id": f"p{n}", "start_s": 30.0, "end_s": 31.0, "label": "Wren"}
        put_boxes(alice, recording_id, [*birdnet_boxes(f"r{n}-", 20), person])
        recording_ids.append(recording_id)
    return project_id, recording_ids


def queue(api: ApiUser, project_id: str, **params) -> dict:
    answer = api.request("GET", f"/projects/{project_id}/review", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def every_item(api: ApiUser, project_id: str, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = queue(api, project_id, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def decide(api: ApiUser, decisions: list[dict]) -> dict:
    answer = api.request("POST", "/reviews", json={"decisions": decisions})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_project_queue_is_filtered_ordered_and_paged(alice: ApiUser, marsh):
    project_id, recording_ids = marsh
    page = queue(alice, project_id, label="Wren", source="birdnet", limit=7)
    assert len(page["items"]) == 7 and page["next_cursor"]
    assert page["counts"] == {"boxes": 30, "reviewed": 0, "accepted": 0, "rejected": 0}
    assert page["labels"] == [{"label": "Robin", "boxes": 30}, {"label": "Wren", "boxes": 33}]
    assert page["sources"] == [{"source": None, "boxes": 3}, {"source": "birdnet", "boxes": 60}]
    first = page["items"][0]
    assert first["label"] == "Wren" and first["filename"].startswith("marsh-")
    assert first["recording_id"] in recording_ids and first["review"] is None
    items = every_item(alice, project_id, label="Wren", source="birdnet", limit=7)
    confidences = [item["confidence"] for item in items]
    assert len(items) == 30 and confidences == sorted(confidences, reverse=True)
    people = queue(alice, project_id, source="people")
    assert sorted(item["annotation_id"] for item in people["items"]) == ["p0", "p1", "p2"]
    one = queue(alice, project_id, recording=recording_ids[1], min_confidence=0.5)
    assert {item["recording_id"] for item in one["items"]} == {recording_ids[1]}
    assert all(item["confidence"] >= 0.5 for item in one["items"])
    alone = alice.request("GET", f"/recordings/{recording_ids[2]}/review", params={"limit": 200})
    assert alone.status_code == 200, alone.text
    assert len(alone.json()["items"]) == 21


def test_a_sample_keeps_its_boxes_while_they_are_decided(alice: ApiUser, marsh):
    project_id, _ = marsh
    params = {"order": "sample", "per_stratum": 2, "bins": 5, "seed": 4, "limit": 200}
    sample = queue(alice, project_id, **params)["items"]
    # Two labels x five bins, and the person's boxes in Wren's "none" bin.
    assert len(sample) == 2 * 2 * 5 + 2
    assert {(i["stratum"]["label"], i["stratum"]["bin"]) for i in sample} >= {("Wren", "none")}
    decide(
        alice,
        [
            {
                "recording_id": i["recording_id"],
                "annotation_id": i["annotation_id"],
                "state": "rejected",
            }
            for i in sample[::2]
        ],
    )
    left = queue(alice, project_id, **params, state="unreviewed")
    assert [i["annotation_id"] for i in left["items"]] == [i["annotation_id"] for i in sample[1::2]]
    assert left["counts"]["boxes"] == len(sample)
    assert left["counts"]["rejected"] == len(sample[::2])


def test_decisions_across_recordings_each_succeed_or_fail_alone(
    alice: ApiUser, bob: ApiUser, marsh
):
    project_id, (first, second, _) = marsh
    bobs = new_recording(bob, "bobs.wav")
    put_boxes(bob, bobs, birdnet_boxes("x", 1))
    answer = decide(
        alice,
        [
            {"recording_id": first, "annotation_id": "r0-0", "state": "accepted"},
            {
                "recording_id": second,
                "annotation_id": "r1-1",
                "state": "accepted",
                "label": "Dunnock",
            },
            {"recording_id": second, "annotation_id": "gone", "state": "rejected"},
            {"recording_id": bobs, "annotation_id": "x0", "state": "accepted"},
        ],
    )
    results = answer["results"]
    assert [r["ok"] for r in results] == [True, True, False, False]
    assert results[0]["review"]["state"] == "accepted" and results[0]["review"]["by"] == "alice"
    assert TIMESTAMP.fullmatch(results[0]["review"]["at"])
    assert results[1]["label"] == "Dunnock" and results[1]["review"]["label_before"] == "Robin"
    assert "deleted" in results[2]["error"] and "not yours" in results[3]["error"]
    assert set(answer["versions"]) == {first, second}
    read = alice.request("GET", f"/recordings/{second}/annotations").json()
    assert answer["versions"][second] == read["version"]
    relabelled = next(box for box in read["annotations"] if box["id"] == "r1-1")
    assert relabelled["label"] == "Dunnock" and relabelled["review"]["label_before"] == "Robin"
    assert bob.request("GET", f"/recordings/{bobs}/annotations").json()["version"] == 1
    # The queue sees the decisions at once, and the relabelled box under its first label.
    robins = queue(alice, project_id, label="Robin", state="accepted")
    assert [i["annotation_id"] for i in robins["items"]] == ["r1-1"]
    undone = decide(alice, [{"recording_id": first, "annotation_id": "r0-0", "state": None}])
    assert undone["results"][0]["review"] is None
    assert bob.request("GET", f"/projects/{project_id}/review").status_code == 404


def test_decisions_racing_an_editor_s_autosave_lose_nothing(alice: ApiUser):
    recording_id = new_recording(alice, "race.wav")
    put_boxes(alice, recording_id, birdnet_boxes("b", 40))
    path = f"/recordings/{recording_id}/annotations"
    moved: list[str] = []

    def autosave() -> None:
        for i in range(20, 40):
            while True:  # as the viewer does on a 409: read again, reapply
                read = alice.request("GET", path).json()
                box = next(b for b in read["annotations"] if b["id"] == f"b{i}")
                body = {"version": read["version"], "upsert": [{**box, "notes": "moved"}]}
                if alice.request("PATCH", path, json=body).status_code == 200:
                    moved.append(box["id"])
                    break

    editor = threading.Thread(target=autosave)
    editor.start()
    for i in range(0, 20, 2):
        answer = decide(
            alice,
            [
                {"recording_id": recording_id, "annotation_id": f"b{i}", "state": "accepted"},
                {"recording_id": recording_id, "annotation_id": f"b{i + 1}", "state": "rejected"},
            ],
        )
        assert all(r["ok"] for r in answer["results"]), answer
    editor.join()
    boxes = {b["id"]: b for b in alice.request("GET", path).json()["annotations"]}
    assert [boxes[f"b{i}"]["review"]["state"] for i in range(20)] == ["accepted", "rejected"] * 10
    assert len(moved) == 20 and all(boxes[i]["notes"] == "moved" for i in moved)


def test_accept_above_a_threshold_and_undo_it(alice: ApiUser, marsh):
    project_id, (first, *_) = marsh
    decided_before = decide(
        alice, [{"recording_id": first, "annotation_id": "r0-18", "state": "rejected"}]
    )
    assert decided_before["results"][0]["ok"]
    path = f"/projects/{project_id}/reviews/accept"
    answer = alice.request("POST", path, json={"label": "Wren", "min_confidence": 0.5})
    assert answer.status_code == 200, answer.text
    accepted = answer.json()
    above = [i for i in every_item(alice, project_id, label="Wren", min_confidence=0.5, limit=200)]
    # Every Wren at or above 0.5 but the one rejected before.
    assert accepted["accepted"] == len(above) - 1 and accepted["recordings"] == 3
    assert all(
        i["review"]["at"] == accepted["action"] for i in above if i["annotation_id"] != "r0-18"
    )
    # Someone decides one of them again after the action: undo leaves that decision.
    later = next(i for i in above if i["annotation_id"] != "r0-18")
    decide(
        alice,
        [
            {
                "recording_id": later["recording_id"],
                "annotation_id": later["annotation_id"],
                "state": "rejected",
            }
        ],
    )
    undo = alice.request("POST", f"{path}/undo", json={"action": accepted["action"]})
    assert undo.status_code == 200, undo.text
    assert undo.json() == {"undone": accepted["accepted"] - 1}
    counts = queue(alice, project_id, label="Wren", min_confidence=0.5)["counts"]
    assert counts == {"boxes": len(above), "reviewed": 2, "accepted": 0, "rejected": 2}
    again = alice.request("POST", f"{path}/undo", json={"action": accepted["action"]})
    assert again.json() == {"undone": 0}


def test_precision_as_json_and_as_csv(alice: ApiUser, marsh):
    project_id, _ = marsh
    wrens = every_item(alice, project_id, label="Wren", source="birdnet", limit=200)
    decide(
        alice,
        [
            {
                "recording_id": i["recording_id"],
                "annotation_id": i["annotation_id"],
                "state": "accepted" if i["confidence"] >= 0.5 else "rejected",
            }
            for i in wrens
        ],
    )
    answer = alice.request(
        "GET", f"/projects/{project_id}/precision", params={"target": 0.9, "label": "Wren"}
    )
    assert answer.status_code == 200, answer.text
    table = answer.json()
    assert table["target"] == 0.9
    (wren,) = table["labels"]
    assert (wren["label"], wren["reviewed"], wren["accepted"]) == ("Wren", 30, 15)
    # At 0.35 and 0.40 the three rejected 0.41s make it 15 of 18; from 0.45 all are accepted.
    assert wren["threshold"] == 0.45
    download = alice.request("GET", f"/projects/{project_id}/precision", params={"format": "csv"})
    assert download.status_code == 200, download.text
    assert download.headers["Content-Type"].startswith("text/csv")
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="precision-Marsh 2026.csv"'
    )
    rows = list(csv.reader(io.StringIO(download.text)))
    assert len(rows) > 1 and any("Wren" in row for row in rows[1:])


def test_bad_review_requests_are_refused_by_name(alice: ApiUser, marsh):
    project_id, _ = marsh
    for params, complaint in (
        ({"order": "random"}, "order must be one of"),
        ({"cursor": "xyz"}, "cursor"),
        ({"min_confidence": "2"}, "min_confidence must be a number from 0 to 1"),
    ):
        answer = alice.request("GET", f"/projects/{project_id}/review", params=params)
        assert answer.status_code == 400 and complaint in answer.json()["error"], answer.text
    too_many = [{"recording_id": "x", "annotation_id": "y", "state": "accepted"}] * 501
    answer = alice.request("POST", "/reviews", json={"decisions": too_many})
    assert answer.status_code == 400 and "1 to 500" in answer.json()["error"]
