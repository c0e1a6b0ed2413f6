"""Blind double annotation over real HTTP: a blind assignee's annotation requests act on
their own layer, which no reader of the recording's set sees, until every blind assignee is
done; every box stored is signed.

The project is shared and the recording assigned through the members and assignment
routes, as the browser does.
"""

from __future__ import annotations

import pytest

from infra.local.harness import ApiUser, RunningStack


@pytest.fixture
def blind(alice: ApiUser, bob: ApiUser) -> dict:
    """A recording of alice's project, assigned blind to alice and bob (an annotator)."""
    project = alice.request("POST", "/projects", json={"name": "blind marsh"}).json()
    member = {"username": bob.username, "role": "annotator"}
    assert alice.request("POST", f"/projects/{project['id']}/members", json=member).ok
    body = {"filename": "dawn.wav", "size": 10, "content_type": "", "project_id": project["id"]}
    recording = alice.request("POST", "/recordings", json=body).json()["recording"]
    pair = {"recording_ids": [recording["id"]], "assignees": ["alice", "bob"], "blind": True}
    assigned = alice.request("POST", f"/projects/{project['id']}/assignments", json=pair)
    assert assigned.status_code == 200, assigned.text
    return {"project": project, "recording": recording}


def done(user: ApiUser, recording_id: str) -> None:
    path = f"/recordings/{recording_id}/assignments/{user.username}"
    changed = user.request("PATCH", path, json={"state": "done"})
    assert changed.status_code == 200, changed.text


def test_a_blind_assignee_annotates_their_own_layer_until_both_are_done(
    stack: RunningStack, alice: ApiUser, bob: ApiUser, blind: dict
):
    recording_id, project_id = blind["recording"]["id"], blind["project"]["id"]
    path = f"/recordings/{recording_id}/annotations"
    assert alice.request("GET", path).json() == {"annotations": [], "version": 0, "blind": True}

    box = {"id": "a1", "start_s": 0.5, "end_s": 1.0, "label": "wren", "created_by": "mallory"}
    put = alice.request("PUT", path, json={"annotations": [box], "version": 0})
    assert put.status_code == 200, put.text
    (stored,) = put.json()["annotations"]
    assert (put.json()["version"], put.json()["blind"]) == (1, True)
    assert (stored["created_by"], stored["updated_by"]) == ("alice", "alice")
    patch = {"version": 1, "upsert": [{"start_s": 1.5, "end_s": 2.0, "label": "robin"}]}
    assert alice.request("PATCH", path, json=patch).json()["annotation_count"] == 2
    imported = alice.request(
        "POST", f"{path}/import?format=audacity", data=b"3.0\t3.5\towl\n"
    ).json()
    assert (imported["version"], len(imported["annotations"])) == (3, 3)
    read = alice.request("GET", path).json()
    assert ([b["label"] for b in read["annotations"]], read["version"]) == (
        ["wren", "robin", "owl"],
        3,
    )

    # Nothing of the layer reaches the recording's set or its readers.
    assert alice.request("GET", f"/recordings/{recording_id}").json()["annotation_count"] == 0
    exported = alice.request("GET", f"{path}/export?format=csv")
    assert len(exported.text.splitlines()) == 1  # the header only
    queue = alice.request("GET", f"/projects/{project_id}/review").json()
    assert (queue["items"], queue["labels"]) == ([], [])
    tallies = stack.client("dynamodb").query(
        TableName="sonagram-tallies",
        KeyConditionExpression="project_id = :id",
        ExpressionAttributeValues={":id": {"S": project_id}},
    )
    assert [item["key"]["S"] for item in tallies["Items"]] == [
        "member#alice",
        "member#bob",
        "recordings",
    ]
    assert all("boxes_drawn" not in item for item in tallies["Items"])
    # bob, the other blind assignee, sees none of alice's boxes, and she none of his.
    bobs = {"id": "b1", "start_s": 0.6, "end_s": 1.1, "label": "wren"}
    assert bob.request("PUT", path, json={"annotations": [bobs], "version": 0}).ok
    assert [b["id"] for b in bob.request("GET", path).json()["annotations"]] == ["b1"]
    assert [b["id"] for b in alice.request("GET", path).json()["annotations"]][0] == "a1"

    # alice done, bob not yet: still blind. Both done: the recording's set, empty until merged.
    done(alice, recording_id)
    assert alice.request("GET", path).json()["blind"] is True
    done(bob, recording_id)
    assert alice.request("GET", path).json() == {"annotations": [], "version": 0, "blind": False}
