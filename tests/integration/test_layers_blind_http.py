"""Blind double annotation over real HTTP: a blind assignee's annotation requests act on
their own layer, which no reader of the recording's set sees, until every blind assignee is
done; every box stored is signed.

The assignment rows are written straight into the local stack's table, as the assignment
routes write them (chalicelib/models.AssignmentModel).
"""

from __future__ import annotations

import pytest

from infra.local.harness import ApiUser, RunningStack

ASSIGNMENTS = "sonagram-assignments"
AT = "2027-01-15T08:00:00.000000Z"


@pytest.fixture
def blind(stack: RunningStack, alice: ApiUser) -> dict:
    """A recording of alice's project, assigned blind to alice and bob."""
    project = alice.request("POST", "/projects", json={"name": "blind marsh"}).json()
    body = {"filename": "dawn.wav", "size": 10, "content_type": "", "project_id": project["id"]}
    recording = alice.request("POST", "/recordings", json=body).json()["recording"]
    dynamodb = stack.client("dynamodb")
    for assignee in ("alice", "bob"):
        dynamodb.put_item(
            TableName=ASSIGNMENTS,
            Item={
                "recording_id": {"S": recording["id"]},
                "assignee": {"S": assignee},
                "project_id": {"S": project["id"]},
                "state": {"S": "in_progress"},
                "blind": {"BOOL": True},
                "assigned_at": {"S": AT},
                "assigned_by": {"S": "alice"},
                "updated_at": {"S": AT},
                "layer_chunks": {"N": "0"},
                "layer_version": {"N": "0"},
                "layer_count": {"N": "0"},
            },
        )
    return {"project": project, "recording": recording}


def done(stack: RunningStack, recording_id: str, assignee: str) -> None:
    stack.client("dynamodb").update_item(
        TableName=ASSIGNMENTS,
        Key={"recording_id": {"S": recording_id}, "assignee": {"S": assignee}},
        UpdateExpression="SET #state = :done",
        ExpressionAttributeNames={"#state": "state"},
        ExpressionAttributeValues={":done": {"S": "done"}},
    )


def test_a_blind_assignee_annotates_their_own_layer_until_both_are_done(
    stack: RunningStack, alice: ApiUser, blind: dict
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
    assert tallies["Items"] == []

    # alice done, bob not yet: still blind. Both done: the recording's set, empty until merged.
    done(stack, recording_id, "alice")
    assert alice.request("GET", path).json()["blind"] is True
    done(stack, recording_id, "bob")
    assert alice.request("GET", path).json() == {"annotations": [], "version": 0, "blind": False}
