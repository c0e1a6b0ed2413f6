"""The role x route matrix over real HTTP: every route of app.py, called as a project's owner,
an annotator, a viewer, someone who is no member and a member who was removed, is allowed
or refused as chalicelib/route_access.py says (403 for a member without the role, 404 for
anyone else, as for an id that does not exist); and another project's ids are 404.

A route without a row in route_access.ROUTES, or without a request here, fails the test:
add both when adding a route.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from app import app
from chalicelib.access import Need
from chalicelib.route_access import ROUTES, Caller
from infra.local.harness import ApiClient, ApiUser, RunningStack

OWNER, ANNOTATOR, VIEWER, STRANGER, FORMER = "owner", "annotator", "viewer", "stranger", "former"
# Who may call a route of each need, among the five.
ALLOWED = {
    Need.SEE: {OWNER, ANNOTATOR, VIEWER},
    Need.ANNOTATE: {OWNER, ANNOTATOR},
    Need.MANAGE: {OWNER},
    Caller.UPLOADER: {OWNER},  # the owner uploaded the world's recording
    Caller.ASSIGNEE: {OWNER},  # the world's recording is assigned to another annotator
    Caller.ANYONE: {OWNER, ANNOTATOR, VIEWER, STRANGER, FORMER},
    Caller.SIGNED_IN: {OWNER, ANNOTATOR, VIEWER, STRANGER, FORMER},
}
MEMBERS = (OWNER, ANNOTATOR, VIEWER)
# Refused callers first: a route that changes things runs for those allowed last.
CALLERS = (STRANGER, FORMER, VIEWER, ANNOTATOR, OWNER)
SOME_TIME = "2026-12-07T12:00:00.000000Z"
worlds = itertools.count()


@dataclass
class World:
    """A project with its five callers and a recording its owner created in it (never
    uploaded: its spectrogram stays PENDING), assigned to a sixth member, an annotator."""

    users: dict[str, ApiUser]
    project: str
    recording: str


@pytest.fixture(scope="module")
def users(stack: RunningStack) -> dict[str, ApiUser]:
    return {who: ApiUser(stack.api_url, f"matrix-{who}") for who in CALLERS}


def new_world(users: dict[str, ApiUser]) -> World:
    owner = users[OWNER]
    project = owner.request("POST", "/projects", json={"name": f"matrix {next(worlds)}"})
    project_id = project.json()["id"]
    for who, role in ((ANNOTATOR, "annotator"), (VIEWER, "viewer"), (FORMER, "annotator")):
        added = owner.request(
            "POST",
            f"/projects/{project_id}/members",
            json={"username": f"matrix-{who}", "role": role},
        )
        assert added.status_code == 201, added.text
    extra = {"username": "matrix-extra", "role": "annotator"}
    assert owner.request("POST", f"/projects/{project_id}/members", json=extra).ok
    removed = owner.request("DELETE", f"/projects/{project_id}/members/matrix-{FORMER}")
    assert removed.status_code == 204, removed.text
    body = {"filename": "m.wav", "size": 10, "content_type": "", "project_id": project_id}
    recording = owner.request("POST", "/recordings", json=body).json()["recording"]["id"]
    assigned = owner.request(
        "POST",
        f"/projects/{project_id}/assignments",
        json={"recording_ids": [recording], "assignees": ["matrix-extra"]},
    )
    assert assigned.status_code == 200, assigned.text
    return World(users, project_id, recording)


def request_of(route: str, world: World) -> dict:
    """What calling ``route`` in ``world`` sends: a request each role's check is reached
    with (valid where validation comes first)."""
    p, r = world.project, world.recording
    new_recording = {"filename": "n.wav", "size": 10, "content_type": "", "project_id": p}
    requests = {
        "GET /health": {},
        "GET /openapi.json": {},
        "POST /auth/login": {"json": {"username": "matrix-login"}},
        "POST /recordings": {"json": new_recording},
        "GET /recordings": {"params": {"project": p}},
        "POST /recordings/delete": {"json": {"ids": [r]}},
        "GET /recordings/{recording_id}": {},
        "PATCH /recordings/{recording_id}": {"json": {"project_id": None}},
        "DELETE /recordings/{recording_id}": {},
        "GET /recordings/{recording_id}/upload": {},
        "POST /recordings/{recording_id}/upload/parts": {"json": {"numbers": [1]}},
        "POST /recordings/{recording_id}/upload/complete": {
            "json": {"parts": [{"number": 1, "etag": '"e"'}]}
        },
        "GET /recordings/{recording_id}/spectrogram/status": {},
        "GET /recordings/{recording_id}/spectrogram": {},
        "POST /recordings/{recording_id}/spectrogram/regenerate": {},
        "GET /recordings/{recording_id}/audio": {"allow_redirects": False},
        "GET /recordings/{recording_id}/annotations": {},
        "PUT /recordings/{recording_id}/annotations": {"json": {"annotations": [], "version": 0}},
        "PATCH /recordings/{recording_id}/annotations": {
            "json": {"version": 0, "upsert": [], "delete": []}
        },
        "GET /recordings/{recording_id}/measurements": {},
        "GET /recordings/{recording_id}/annotations/export": {"params": {"format": "csv"}},
        "POST /recordings/{recording_id}/annotations/import": {
            "params": {"format": "csv"},
            "data": b"start_s,end_s,label\n0,1,Wren\n",
            "headers": {"Content-Type": "application/octet-stream"},
        },
        "POST /recordings/{recording_id}/detect": {"json": {}},
        "GET /recordings/{recording_id}/review": {},
        "POST /reviews": {
            "json": {"decisions": [{"recording_id": r, "annotation_id": "a", "state": "accepted"}]}
        },
        "POST /projects": {"json": {"name": "matrix own"}},
        "GET /projects": {},
        "GET /projects/{project_id}": {},
        "PATCH /projects/{project_id}": {"json": {"name": "matrix renamed"}},
        "DELETE /projects/{project_id}": {},
        "GET /projects/{project_id}/members": {},
        "POST /projects/{project_id}/members": {
            "json": {"username": "matrix-newcomer", "role": "viewer"}
        },
        "PATCH /projects/{project_id}/members/{username}": {"json": {"role": "viewer"}},
        "DELETE /projects/{project_id}/members/{username}": {},
        "GET /projects/{project_id}/annotations/export": {"params": {"format": "csv"}},
        "POST /projects/{project_id}/annotations/import": {
            "params": {"file": "BirdNET_CombinedTable.csv"},
            "data": b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
            b"0.0,1.0,Troglodytes troglodytes,Eurasian Wren,0.9,m.wav\n",
            "headers": {"Content-Type": "application/octet-stream"},
        },
        "POST /projects/{project_id}/detect": {"json": {}},
        "GET /projects/{project_id}/review": {},
        "POST /projects/{project_id}/reviews/accept": {
            "json": {"label": "Wren", "min_confidence": 0.5}
        },
        "POST /projects/{project_id}/reviews/accept/undo": {"json": {"action": SOME_TIME}},
        "GET /projects/{project_id}/precision": {},
        "POST /projects/{project_id}/assignments": {
            "json": {"recording_ids": [r], "assignees": ["matrix-extra"]}
        },
        "GET /recordings/{recording_id}/assignments": {},
        "PATCH /recordings/{recording_id}/assignments/{username}": {
            "json": {"state": "in_progress"}
        },
        "DELETE /recordings/{recording_id}/assignments/{username}": {},
        "GET /my-work": {},
        "GET /projects/{project_id}/dashboard": {},
        # Not assigned blind: allowed callers are answered 409 (no agreement to read or merge).
        "GET /recordings/{recording_id}/agreement": {},
        "GET /projects/{project_id}/agreement": {},
        "POST /recordings/{recording_id}/consensus": {"json": {"version": 0, "choices": []}},
    }
    return requests[route]


def path_of(route: str, world: World) -> tuple[str, str]:
    method, path = route.split(" ", 1)
    return method, (
        path.replace("{project_id}", world.project)
        .replace("{recording_id}", world.recording)
        # The member a route on one member changes: neither the caller nor the owner.
        .replace("{username}", "matrix-extra")
    )


def served_routes() -> set[str]:
    return {f"{method} {path}" for path, entry in app.routes.items() for method in entry}


def test_every_route_has_a_row_and_a_request():
    served = served_routes()
    assert sorted(served - ROUTES.keys()) == [], "add a row to chalicelib/route_access.ROUTES"
    assert sorted(ROUTES.keys() - served) == [], "a row of a route app.py no longer serves"
    world = World({}, "p", "r")
    for route in ROUTES:
        request_of(route, world)  # KeyError: add the route's request above


def call(world: World, who: str, route: str):
    method, path = path_of(route, world)
    user = world.users[who]
    return user.request(method, path, **request_of(route, world))


@pytest.mark.parametrize(
    "route", [r for r, (need, _) in ROUTES.items() if need is not Caller.EACH_ITEM]
)
def test_each_role_is_allowed_or_refused_as_the_table_says(users, route):
    need, _ = ROUTES[route]
    world = new_world(users)
    for who in CALLERS:
        answer = call(world, who, route)
        if who in ALLOWED[need]:
            assert answer.status_code not in (403, 404), (who, answer.status_code, answer.text)
            assert answer.status_code < 500, (who, answer.text)
        elif who in MEMBERS:
            assert answer.status_code == 403, (who, answer.status_code, answer.text)
            refusal = answer.json()["error"]
            if need is Caller.UPLOADER and who == ANNOTATOR:
                assert refusal == "only its uploader (matrix-owner) uploads its audio"
            else:
                assert refusal.startswith(f"your role in this project is {who}: "), refusal
        else:
            assert answer.status_code == 404, (who, answer.status_code, answer.text)


def test_a_bulk_delete_deletes_only_what_the_caller_may(users):
    world = new_world(users)
    route = "POST /recordings/delete"
    for who in CALLERS:
        answer = call(world, who, route).json()
        if who == OWNER:
            assert answer == {"deleted": [world.recording], "not_found": []}
        else:
            assert answer == {"deleted": [], "not_found": [world.recording]}, who


def test_a_decision_is_refused_in_its_result_to_all_but_annotators_and_the_owner(users):
    world = new_world(users)
    errors = {
        who: call(world, who, "POST /reviews").json()["results"][0]["error"] for who in CALLERS
    }
    assert errors[OWNER] == errors[ANNOTATOR] == "the box was deleted"
    assert "does not allow decisions" in errors[VIEWER]
    assert errors[STRANGER] == errors[FORMER] == "no such recording (or not yours)"


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if "{" in r or r in ("POST /recordings", "GET /recordings")],
)
def test_another_projects_ids_are_not_found(users, stack: RunningStack, route):
    """The owner of one project asks with the ids of another's."""
    theirs = new_world({**users, OWNER: ApiUser(stack.api_url, "matrix-other-owner")})
    theirs.users = {OWNER: users[OWNER]}
    answer = call(theirs, OWNER, route)
    assert answer.status_code == 404, answer.text


def test_a_private_recording_is_its_uploaders_alone(users, stack: RunningStack):
    owner = users[OWNER]
    body = {"filename": "mine.wav", "size": 10, "content_type": ""}
    private = owner.request("POST", "/recordings", json=body).json()["recording"]["id"]
    world = new_world(users)
    assert owner.request("GET", f"/recordings/{private}").status_code == 200
    for who in (ANNOTATOR, VIEWER, STRANGER):
        assert world.users[who].request("GET", f"/recordings/{private}").status_code == 404
    anonymous = ApiClient(stack.api_url)
    assert anonymous.request("GET", f"/recordings/{private}").status_code == 401
