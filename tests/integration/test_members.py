"""Members over real HTTP: add, change a role, hand ownership over, remove, leave; what each
member then sees of the project and its recordings."""

from __future__ import annotations

import itertools

import pytest

from infra.local.harness import ApiUser, RunningStack

names = itertools.count()


@pytest.fixture
def lab(stack: RunningStack) -> dict:
    """A project of its owner's, with an annotator and a viewer, each a fresh user."""
    n = next(names)
    users = {
        role: ApiUser(stack.api_url, f"{role}-{n}") for role in ("owner", "annotator", "viewer")
    }
    project = users["owner"].request("POST", "/projects", json={"name": f"Lab {n}"}).json()
    for role in ("annotator", "viewer"):
        added = add(users["owner"], project["id"], f"{role}-{n}", role)
        assert added.status_code == 201, added.text
        assert added.json()["role"] == role and added.json()["added_by"] == f"owner-{n}"
    return {"project": project["id"], "n": n, **users}


def add(owner: ApiUser, project_id: str, username: str, role: str):
    body = {"username": username, "role": role}
    return owner.request("POST", f"/projects/{project_id}/members", json=body)


def roles(user: ApiUser, project_id: str) -> dict[str, str]:
    answer = user.request("GET", f"/projects/{project_id}/members")
    assert answer.status_code == 200, answer.text
    return {member["username"]: member["role"] for member in answer.json()["members"]}


def upload_into(user: ApiUser, project_id: str, filename: str) -> str:
    body = {"filename": filename, "size": 10, "content_type": "", "project_id": project_id}
    answer = user.request("POST", "/recordings", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["recording"]["id"]


def test_members_see_every_recording_of_the_project_and_who_uploaded_it(lab):
    p, n = lab["project"], lab["n"]
    mine = upload_into(lab["owner"], p, "owner.wav")
    theirs = upload_into(lab["annotator"], p, "annotator.wav")
    listed = lab["viewer"].request("GET", "/recordings", params={"project": p}).json()
    assert [(r["id"], r["uploaded_by"]) for r in listed["recordings"]] == [
        (theirs, f"annotator-{n}"),
        (mine, f"owner-{n}"),
    ]
    assert listed["recordings"][0]["assignees"] == []
    # Without ?project=, one's own uploads only.
    own = lab["annotator"].request("GET", "/recordings").json()["recordings"]
    assert [r["id"] for r in own] == [theirs]
    projects = lab["viewer"].request("GET", "/projects").json()["projects"]
    assert [(x["id"], x["role"]) for x in projects] == [(p, "viewer")]


def test_a_viewer_cannot_upload_or_edit(lab):
    p = lab["project"]
    recording = upload_into(lab["owner"], p, "song.wav")
    body = {"filename": "v.wav", "size": 10, "content_type": "", "project_id": p}
    refused = lab["viewer"].request("POST", "/recordings", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "your role in this project is viewer: uploading into it needs annotator or owner"
    )
    edit = {"annotations": [], "version": 0}
    answer = lab["viewer"].request("PUT", f"/recordings/{recording}/annotations", json=edit)
    assert answer.status_code == 403
    assert lab["annotator"].request("PUT", f"/recordings/{recording}/annotations", json=edit).ok


def test_a_removed_member_is_refused_from_the_next_request(lab):
    p, n = lab["project"], lab["n"]
    recording = upload_into(lab["owner"], p, "song.wav")
    assert lab["annotator"].request("GET", f"/recordings/{recording}").status_code == 200
    removed = lab["owner"].request("DELETE", f"/projects/{p}/members/annotator-{n}")
    assert removed.status_code == 204
    assert lab["annotator"].request("GET", f"/recordings/{recording}").status_code == 404
    assert lab["annotator"].request("GET", f"/projects/{p}").status_code == 404
    assert lab["annotator"].request("GET", "/projects").json()["projects"] == []
    assert f"annotator-{n}" not in roles(lab["owner"], p)


def test_a_role_change_takes_effect_at_once(lab):
    p, n = lab["project"], lab["n"]
    recording = upload_into(lab["owner"], p, "song.wav")
    changed = lab["owner"].request(
        "PATCH", f"/projects/{p}/members/viewer-{n}", json={"role": "annotator"}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "annotator"
    edit = {"annotations": [], "version": 0}
    assert lab["viewer"].request("PUT", f"/recordings/{recording}/annotations", json=edit).ok


def test_ownership_is_handed_over_and_the_previous_owner_stays_an_annotator(lab):
    p, n = lab["project"], lab["n"]
    handed = lab["owner"].request(
        "PATCH", f"/projects/{p}/members/annotator-{n}", json={"role": "owner"}
    )
    assert handed.status_code == 200, handed.text
    assert roles(lab["viewer"], p) == {
        f"annotator-{n}": "owner",
        f"owner-{n}": "annotator",
        f"viewer-{n}": "viewer",
    }
    assert lab["annotator"].request("GET", f"/projects/{p}").json()["role"] == "owner"
    refused = lab["owner"].request("PATCH", f"/projects/{p}", json={"name": "mine again"})
    assert refused.status_code == 403
    # The previous owner may now leave; the new one may not before handing over.
    assert lab["owner"].request("DELETE", f"/projects/{p}/members/owner-{n}").status_code == 204
    stays = lab["annotator"].request("DELETE", f"/projects/{p}/members/annotator-{n}")
    assert stays.status_code == 409
    assert "hand ownership over" in stays.json()["error"]


def test_a_member_leaves_and_no_one_else_but_the_owner_removes(lab):
    p, n = lab["project"], lab["n"]
    refused = lab["annotator"].request("DELETE", f"/projects/{p}/members/viewer-{n}")
    assert refused.status_code == 403
    assert lab["viewer"].request("DELETE", f"/projects/{p}/members/viewer-{n}").status_code == 204
    assert lab["viewer"].request("GET", f"/projects/{p}/members").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "complaint"),
    [
        ({"username": "Not Valid", "role": "viewer"}, 400, "username must be 1-64 characters"),
        ({"username": "someone", "role": "admin"}, 400, "role must be one of owner, annotator"),
        ({"username": "someone"}, 400, "missing field(s): role"),
    ],
)
def test_a_bad_member_is_refused(lab, body, status, complaint):
    answer = lab["owner"].request("POST", f"/projects/{lab['project']}/members", json=body)
    assert answer.status_code == status
    assert complaint in answer.json()["error"]


def test_adding_a_member_twice_is_a_conflict(lab):
    again = add(lab["owner"], lab["project"], f"viewer-{lab['n']}", "annotator")
    assert again.status_code == 409
    assert "a member already" in again.json()["error"]


def test_the_owner_moves_a_members_upload_out_and_it_becomes_theirs(lab):
    p, n = lab["project"], lab["n"]
    theirs = upload_into(lab["annotator"], p, "annotator.wav")
    refused = lab["annotator"].request("PATCH", f"/recordings/{theirs}", json={"project_id": None})
    assert refused.status_code == 403
    moved = lab["owner"].request("PATCH", f"/recordings/{theirs}", json={"project_id": None})
    assert moved.status_code == 200, moved.text
    assert moved.json()["uploaded_by"] == f"owner-{n}" and moved.json()["project_id"] is None
    assert lab["annotator"].request("GET", f"/recordings/{theirs}").status_code == 404
    # Back in: its (new) uploader, an annotator or owner of the target.
    back = lab["owner"].request("PATCH", f"/recordings/{theirs}", json={"project_id": p})
    assert back.status_code == 200
    assert lab["viewer"].request("GET", f"/recordings/{theirs}").status_code == 200
