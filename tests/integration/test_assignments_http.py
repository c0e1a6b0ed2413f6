"""Assignments, My work and the dashboard over real HTTP: an owner, an annotator, a viewer
and a stranger, each with their own token; every answer checked against /openapi.json."""

from __future__ import annotations

import uuid

import pytest

from chalicelib import models
from chalicelib.config import Settings
from chalicelib.models import MemberModel
from infra.local.harness import ApiUser, RunningStack

RECORDINGS = 6
# Fresh names: My work spans every project of the session's stack.
SUFFIX = uuid.uuid4().hex[:6]


def username(role: str) -> str:
    return f"{role}-{SUFFIX}"


@pytest.fixture(scope="module")
def people(stack: RunningStack) -> dict[str, ApiUser]:
    return {
        role: ApiUser(stack.api_url, username(role))
        for role in ("owner", "annotator", "viewer", "stranger")
    }


@pytest.fixture(scope="module")
def project(stack: RunningStack, people) -> tuple[str, list[str]]:
    """The owner's project, its recordings (not uploaded: no audio needed) and members."""
    owner = people["owner"]
    answer = owner.request("POST", "/projects", json={"name": "Fen survey"})
    assert answer.status_code == 201, answer.text
    project_id = answer.json()["id"]
    ids = []
    for n in range(RECORDINGS):
        body = {
            "filename": f"fen-{n}.wav",
            "size": 100,
            "content_type": "",
            "project_id": project_id,
        }
        created = owner.request("POST", "/recordings", json=body)
        assert created.status_code == 201, created.text
        ids.append(created.json()["recording"]["id"])
    # The members, as POST /projects/{id}/members writes them.
    models.bind(Settings(cloud_endpoint=stack.cloud_url, dynamodb_endpoint=stack.cloud_url))
    for role in ("annotator", "viewer"):
        MemberModel(
            project_id,
            username(role),
            role=role,
            added_at="2027-01-01T00:00:00.000000Z",
            added_by=username("owner"),
        ).save()
    return project_id, ids


def test_an_owner_assigns_and_an_annotator_works_through_them(people, project):
    owner, annotator, viewer = people["owner"], people["annotator"], people["viewer"]
    project_id, ids = project
    me = username("annotator")
    answer = owner.request(
        "POST",
        f"/projects/{project_id}/assignments",
        json={"recording_ids": ids, "assignees": [me]},
    )
    assert answer.status_code == 200, answer.text
    assert [a["recording_id"] for a in answer.json()["assignments"]] == ids
    again = owner.request(
        "POST",
        f"/projects/{project_id}/assignments",
        json={"recording_ids": ids[:2], "assignees": [me]},
    )
    assert again.json()["assignments"] == answer.json()["assignments"][:2]

    work = annotator.request("GET", "/my-work").json()
    assert {w["recording_id"] for w in work["assignments"]} == set(ids)
    assert {w["project_name"] for w in work["assignments"]} == {"Fen survey"}
    assert viewer.request("GET", "/my-work").json() == {"assignments": [], "next": None}

    path = f"/recordings/{ids[0]}/assignments/{me}"
    assert annotator.request("PATCH", path, json={"state": "in_progress"}).status_code == 200
    assert (
        annotator.request(
            "PATCH", f"/recordings/{ids[1]}/assignments/{me}", json={"state": "done"}
        ).json()["state"]
        == "done"
    )
    refused = viewer.request("PATCH", path, json={"state": "done"})
    assert refused.status_code == 403 and "viewer" in refused.json()["error"]
    assert annotator.request("DELETE", path).status_code == 403

    todo = annotator.request("GET", "/my-work", params={"state": "to_do", "limit": 2}).json()
    assert len(todo["assignments"]) == 2 and todo["next"] is not None
    rest = annotator.request(
        "GET", "/my-work", params={"state": "to_do", "cursor": todo["next"]}
    ).json()
    assert len(todo["assignments"]) + len(rest["assignments"]) == RECORDINGS - 2

    listed = viewer.request("GET", f"/recordings/{ids[0]}/assignments").json()["assignments"]
    assert [(a["assignee"], a["state"]) for a in listed] == [(me, "in_progress")]

    board = viewer.request("GET", f"/projects/{project_id}/dashboard").json()
    assert board["recordings"] == RECORDINGS
    row = next(m for m in board["members"] if m["username"] == me)
    assert (row["assigned"], row["to_do"], row["in_progress"], row["done"]) == (6, 4, 1, 1)
    assert board["members"][0]["role"] == "owner"
    # The coordinator adds, at merge: boxes the annotator draws count in boxes_drawn and labels.

    assert owner.request("DELETE", path).status_code == 204
    board = viewer.request("GET", f"/projects/{project_id}/dashboard").json()
    row = next(m for m in board["members"] if m["username"] == me)
    assert (row["assigned"], row["in_progress"], row["done"]) == (5, 0, 1)


def test_roles_and_strangers_are_refused(people, project):
    project_id, ids = project
    body = {"recording_ids": ids[:1], "assignees": [username("viewer")]}
    refused = people["owner"].request("POST", f"/projects/{project_id}/assignments", json=body)
    assert refused.status_code == 400 and "viewer" in refused.json()["error"]
    body = {"recording_ids": ids[:1], "assignees": [username("annotator")]}
    assert (
        people["annotator"].request("POST", f"/projects/{project_id}/assignments", json=body)
    ).status_code == 403
    stranger = people["stranger"]
    assert stranger.request("GET", f"/projects/{project_id}/dashboard").status_code == 404
    assert stranger.request("GET", f"/recordings/{ids[0]}/assignments").status_code == 404
    assert stranger.request("GET", "/my-work", params={"project": project_id}).status_code == 404
