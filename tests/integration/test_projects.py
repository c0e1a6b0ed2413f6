"""Projects over real HTTP: create, list, read, change, delete (with their recordings), and a
recording's project_id. Every answer is also checked against /openapi.json by the clients."""

from __future__ import annotations

import pytest

from chalicelib.recordings import audio_key
from infra.local.harness import ApiClient, ApiUser, RunningStack
from tests.integration.test_pipeline import wav_bytes

NEVER_ISSUED = "2a3c92b3-401c-4ba7-9454-082cb01c9f7c"
DEFAULT_PRESETS = {"f_max_hz": None, "n_fft": None, "hop_length": None}


def new_project(user: ApiUser, name: str = "Marsh transect", **more) -> dict:
    answer = user.request("POST", "/projects", json={"name": name, **more})
    assert answer.status_code == 201, answer.text
    return answer.json()


def new_recording(user: ApiUser, project_id: str | None = None) -> dict:
    body = {"filename": "call.wav", "size": 10, "content_type": ""}
    if project_id is not None:
        body["project_id"] = project_id
    answer = user.request("POST", "/recordings", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["recording"]


def test_a_new_project_is_shown_as_created(alice: ApiUser):
    presets = {"f_max_hz": 12000.5, "n_fft": 4096, "hop_length": 1024}
    project = new_project(alice, "Ryggen 🐸 2026", presets=presets)
    assert project["name"] == "Ryggen 🐸 2026"
    assert project["presets"] == presets
    assert project["recording_count"] == 0
    assert alice.request("GET", f"/projects/{project['id']}").json() == project
    bare = new_project(alice, "no presets")
    assert bare["presets"] == DEFAULT_PRESETS


def test_projects_page_newest_first(stack: RunningStack):
    ines = ApiUser(stack.api_url, "ines")
    ids = [new_project(ines, f"site {n}")["id"] for n in range(3)]
    first = ines.request("GET", "/projects", params={"limit": 2}).json()
    assert [p["id"] for p in first["projects"]] == ids[::-1][:2]
    second = ines.request("GET", "/projects", params={"limit": 2, "cursor": first["next"]}).json()
    assert [p["id"] for p in second["projects"]] == ids[:1]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"limit": 0}, "limit must be an integer from 1 to 100"),
        ({"limit": "ten"}, "limit must be an integer from 1 to 100"),
        ({"cursor": "not a cursor"}, "cursor 'not a cursor' is not valid"),
    ],
)
def test_a_bad_page_of_projects_is_refused(alice: ApiUser, query: dict, complaint: str):
    answer = alice.request("GET", "/projects", params=query)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]


def test_a_cursor_pages_only_the_callers_own_projects(alice: ApiUser, bob: ApiUser):
    for n in range(2):
        new_project(alice, f"private {n}")
    cursor = alice.request("GET", "/projects", params={"limit": 1}).json()["next"]
    answer = bob.request("GET", "/projects", params={"cursor": cursor, "limit": 100})
    assert answer.status_code == 200
    assert not {p["name"] for p in answer.json()["projects"]} & {"private 0", "private 1"}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({}, "missing field(s): name"),
        ({"name": ""}, "name must be a string of 1 to 100 characters"),
        ({"name": "a" * 101}, "name must be a string of 1 to 100 characters"),
        ({"name": "tab\there"}, "holds control characters"),
        ({"name": "a", "owner": "bob"}, "unknown field(s): owner"),
        ({"name": "a", "presets": {"f_max_hz": 0}}, "presets.f_max_hz must be"),
        ({"name": "a", "presets": {"n_fft": 1000}}, "presets.n_fft must be a power of two"),
        ({"name": "a", "presets": {"n_fft": 512, "hop_length": 600}}, "presets.hop_length"),
        ({"name": "a", "presets": {"window": "hann"}}, "presets: unknown field(s): window"),
        ({"name": "a", "presets": []}, "presets: send a JSON object"),
        ([], "send a JSON object with name"),
    ],
)
def test_a_bad_new_project_is_refused_naming_the_field(alice: ApiUser, body, complaint: str):
    before = alice.request("GET", "/projects", params={"limit": 100}).json()["projects"]
    answer = alice.request("POST", "/projects", json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]
    assert alice.request("GET", "/projects", params={"limit": 100}).json()["projects"] == before


def test_a_project_changes_what_the_patch_names(alice: ApiUser):
    project = new_project(alice, "before", presets={"f_max_hz": 5000})
    path = f"/projects/{project['id']}"
    renamed = alice.request("PATCH", path, json={"name": "after"})
    assert renamed.status_code == 200
    assert renamed.json() == {**project, "name": "after"}
    changed = alice.request("PATCH", path, json={"presets": {"n_fft": 8192, "hop_length": 8192}})
    assert changed.json()["presets"] == {"f_max_hz": None, "n_fft": 8192, "hop_length": 8192}
    reset = alice.request("PATCH", path, json={"presets": None})
    assert reset.json() == {**project, "name": "after", "presets": DEFAULT_PRESETS}
    assert alice.request("GET", path).json() == reset.json()


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"name": None}, "name must be a string"),
        (
            {"title": "x"},
            "unknown field(s): title; send only name, presets, detectors and label_keys",
        ),
        ({"presets": {"hop_length": 0}}, "presets.hop_length must be"),
        ("rename", "send a JSON object with any of name, presets, detectors and label_keys"),
        ({"label_keys": ["Wren"] * 10}, "label_keys lists 10 labels"),
        ({"label_keys": ["Wren", None, ""]}, "label_keys[2] must be a string of 1 to 200"),
    ],
)
def test_a_bad_change_is_refused_naming_the_field(alice: ApiUser, body, complaint: str):
    project = new_project(alice, "unchanged")
    answer = alice.request("PATCH", f"/projects/{project['id']}", json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]
    assert alice.request("GET", f"/projects/{project['id']}").json() == project


def test_label_keys_are_set_by_patch_and_shown_with_the_project(alice: ApiUser):
    project = new_project(alice, "Copse")
    assert project["label_keys"] == []
    path = f"/projects/{project['id']}"
    answer = alice.request("PATCH", path, json={"label_keys": [None, "Wren", "Song Thrush"]})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**project, "label_keys": [None, "Wren", "Song Thrush"]}
    assert alice.request("GET", path).json()["label_keys"] == [None, "Wren", "Song Thrush"]
    listed = alice.request("GET", "/projects", params={"limit": 100}).json()["projects"]
    assert next(p for p in listed if p["id"] == project["id"])["label_keys"][1] == "Wren"
    cleared = alice.request("PATCH", path, json={"label_keys": []})
    assert cleared.json() == project


def test_a_recording_joins_a_project_when_created_and_by_patch(alice: ApiUser):
    project = new_project(alice)
    inside = new_recording(alice, project["id"])
    assert inside["project_id"] == project["id"]
    outside = new_recording(alice)
    assert outside["project_id"] is None
    path = f"/recordings/{outside['id']}"
    moved = alice.request("PATCH", path, json={"project_id": project["id"]})
    assert moved.status_code == 200
    assert moved.json() == {**outside, "project_id": project["id"]}
    assert alice.request("GET", f"/projects/{project['id']}").json()["recording_count"] == 2
    out = alice.request("PATCH", path, json={"project_id": None})
    assert out.json()["project_id"] is None
    assert alice.request("GET", path).json()["project_id"] is None
    assert alice.request("GET", f"/projects/{project['id']}").json()["recording_count"] == 1


@pytest.mark.parametrize(
    ("body", "status", "complaint"),
    [
        ({"project_id": 7}, 400, "project_id must be a project's id or null, not 7"),
        ({}, 400, "missing field(s): project_id"),
        ({"project_id": None, "filename": "x.wav"}, 400, "unknown field(s): filename"),
        ({"project_id": "nope"}, 404, "no project 'nope'"),
        ({"project_id": NEVER_ISSUED}, 404, f"no project '{NEVER_ISSUED}'"),
    ],
)
def test_a_bad_move_is_refused(alice: ApiUser, body, status: int, complaint: str):
    recording = new_recording(alice)
    answer = alice.request("PATCH", f"/recordings/{recording['id']}", json=body)
    assert answer.status_code == status
    assert complaint in answer.json()["error"]
    assert alice.request("GET", f"/recordings/{recording['id']}").json() == recording


def test_a_recording_cannot_be_created_in_a_project_that_is_not_yours(alice: ApiUser, bob: ApiUser):
    project = new_project(alice, "alice's")
    before = bob.request("GET", "/recordings").json()["recordings"]
    for project_id in (project["id"], NEVER_ISSUED, "x"):
        answer = bob.request(
            "POST",
            "/recordings",
            json={"filename": "a.wav", "size": 1, "content_type": "", "project_id": project_id},
        )
        assert answer.status_code == 404
        assert answer.json() == {"error": f"no project {project_id!r}"}
    assert bob.request("GET", "/recordings").json()["recordings"] == before


def test_deleting_a_project_deletes_its_recordings_audio_images_and_all(
    stack: RunningStack, alice: ApiUser
):
    project = new_project(alice, "doomed")
    rendered = alice.upload("doomed.wav", wav_bytes(1.0))
    assert alice.wait_until_done(rendered["id"])["status"] == "COMPLETED"
    alice.request("PATCH", f"/recordings/{rendered['id']}", json={"project_id": project["id"]})
    pending = new_recording(alice, project["id"])
    kept = new_recording(alice)
    prefix = audio_key("alice", rendered["id"], "")
    assert stack.stored("recordings", prefix) and stack.stored("spectrograms", prefix)
    assert alice.request("DELETE", f"/projects/{project['id']}").status_code == 204
    assert stack.stored("recordings", prefix) == stack.stored("spectrograms", prefix) == []
    for recording in (rendered, pending):
        assert alice.request("GET", f"/recordings/{recording['id']}").status_code == 404
    assert alice.request("GET", f"/projects/{project['id']}").status_code == 404
    assert alice.request("DELETE", f"/projects/{project['id']}").status_code == 404
    assert alice.request("GET", f"/recordings/{kept['id']}").json() == kept


def test_a_project_of_more_recordings_than_a_page_is_deleted_in_one_request(
    stack: RunningStack,
):
    gus = ApiUser(stack.api_url, "gus")
    project = new_project(gus, "a season")
    rendered = gus.upload("season.wav", wav_bytes(0.5))
    assert gus.wait_until_done(rendered["id"])["status"] == "COMPLETED"
    gus.request("PATCH", f"/recordings/{rendered['id']}", json={"project_id": project["id"]})
    for _ in range(150):
        new_recording(gus, project["id"])
    kept = new_recording(gus)
    assert gus.request("GET", f"/projects/{project['id']}").json()["recording_count"] == 151
    assert gus.request("DELETE", f"/projects/{project['id']}").status_code == 204
    assert [r["id"] for r in gus.request("GET", "/recordings").json()["recordings"]] == [kept["id"]]
    prefix = audio_key("gus", rendered["id"], "")
    assert stack.stored("recordings", prefix) == stack.stored("spectrograms", prefix) == []


def test_another_users_project_is_not_found_and_stays_untouched(alice: ApiUser, bob: ApiUser):
    project = new_project(alice, "alice's own")
    recording = new_recording(alice, project["id"])
    path = f"/projects/{project['id']}"
    for method, body in (("GET", None), ("PATCH", {"name": "bob's now"}), ("DELETE", None)):
        answer = bob.request(method, path, json=body)
        assert answer.status_code == 404, method
        assert answer.json() == {"error": f"no project {project['id']!r}"}
    answer = bob.request("GET", "/recordings", params={"project": project["id"]})
    assert answer.status_code == 404
    assert project["id"] not in [
        p["id"] for p in bob.request("GET", "/projects", params={"limit": 100}).json()["projects"]
    ]
    assert alice.request("GET", path).json() == {**project, "recording_count": 1}
    assert alice.request("GET", f"/recordings/{recording['id']}").json() == recording


def test_another_users_recording_cannot_be_moved(alice: ApiUser, bob: ApiUser):
    recording = new_recording(alice)
    hugos = new_project(bob, "bob's")
    answer = bob.request(
        "PATCH", f"/recordings/{recording['id']}", json={"project_id": hugos["id"]}
    )
    assert answer.status_code == 404
    assert answer.json() == {"error": f"no recording {recording['id']!r}"}
    # Nor into another user's project.
    answer = alice.request(
        "PATCH", f"/recordings/{recording['id']}", json={"project_id": hugos["id"]}
    )
    assert answer.status_code == 404
    assert alice.request("GET", f"/recordings/{recording['id']}").json() == recording


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/projects", {"name": "x"}),
        ("GET", "/projects", None),
        ("GET", f"/projects/{NEVER_ISSUED}", None),
        ("PATCH", f"/projects/{NEVER_ISSUED}", {"name": "x"}),
        ("DELETE", f"/projects/{NEVER_ISSUED}", None),
        ("PATCH", f"/recordings/{NEVER_ISSUED}", {"project_id": None}),
        ("POST", "/recordings/delete", {"ids": [NEVER_ISSUED]}),
    ],
)
@pytest.mark.parametrize("token", [None, "Bearer eyJzdWIiOiJhbGljZSJ9.forged"])
def test_every_new_route_needs_a_valid_token(
    stack: RunningStack, method: str, path: str, body, token
):
    headers = {"Authorization": token} if token else {}
    answer = ApiClient(stack.api_url).request(method, path, json=body, headers=headers)
    assert answer.status_code == 401
    assert "sign in" in answer.json()["error"]
