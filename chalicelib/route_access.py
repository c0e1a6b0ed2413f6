"""Who may call each route: the table the role x route matrix test checks over real HTTP
(tests/integration/test_access_matrix.py), docs/lab.md shows (tests/unit/test_access_rules.py
checks it is this table) and the API document's 403 answers come from.

Each route's row names the least role of the recording's or project's members it needs
(chalicelib/access.py decides; a recording in no project is its uploader's, who is its
owner). Someone who is no member is answered 404, as for an id that does not exist; a
member whose role is not enough, 403.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.access import LEAST_ROLE, Need


class Caller(StrEnum):
    """Who may call a route that no recording's or project's role decides."""

    ANYONE = "anyone"
    SIGNED_IN = "anyone signed in"
    # The recording's uploader, while their role still lets them add to it.
    UPLOADER = "its uploader (annotator or owner)"
    # A batch whose every item is decided on its own: refused items fail in the answer.
    EACH_ITEM = "per item"
    # An assignment's own assignee (annotator or owner), or the project's owner for them.
    ASSIGNEE = "the assignee (annotator or owner), or the owner"


# Route -> the need its role must meet (or who may call it), with what it means when that
# is not obvious from the need.
ROUTES: dict[str, tuple[Need | Caller, str]] = {
    "GET /health": (Caller.ANYONE, ""),
    "GET /openapi.json": (Caller.ANYONE, ""),
    "POST /auth/login": (Caller.ANYONE, "local stage only"),
    "POST /recordings": (
        Need.ANNOTATE,
        "into a project (`project_id`); anyone signed in uploads a private recording",
    ),
    "GET /recordings": (
        Need.SEE,
        "`?project=`: every recording of the project; without, the caller's own uploads",
    ),
    "POST /recordings/delete": (Caller.EACH_ITEM, "each id as DELETE /recordings/{id}"),
    "GET /recordings/{recording_id}": (Need.SEE, ""),
    "PATCH /recordings/{recording_id}": (
        Need.MANAGE,
        "moving it; into a project also needs annotator there (a private recording: its "
        "uploader); out of any makes it the mover's",
    ),
    "DELETE /recordings/{recording_id}": (Need.MANAGE, ""),
    "GET /recordings/{recording_id}/upload": (Caller.UPLOADER, ""),
    "POST /recordings/{recording_id}/upload/parts": (Caller.UPLOADER, ""),
    "POST /recordings/{recording_id}/upload/complete": (Caller.UPLOADER, ""),
    "GET /recordings/{recording_id}/spectrogram/status": (Need.SEE, ""),
    "GET /recordings/{recording_id}/spectrogram": (Need.SEE, ""),
    "POST /recordings/{recording_id}/spectrogram/regenerate": (Need.ANNOTATE, ""),
    "GET /recordings/{recording_id}/audio": (Need.SEE, ""),
    "GET /recordings/{recording_id}/annotations": (Need.SEE, ""),
    "PUT /recordings/{recording_id}/annotations": (Need.ANNOTATE, ""),
    "PATCH /recordings/{recording_id}/annotations": (Need.ANNOTATE, ""),
    "GET /recordings/{recording_id}/measurements": (Need.SEE, ""),
    "GET /recordings/{recording_id}/annotations/export": (Need.SEE, ""),
    "POST /recordings/{recording_id}/annotations/import": (Need.ANNOTATE, ""),
    "POST /recordings/{recording_id}/detect": (Need.ANNOTATE, ""),
    "GET /recordings/{recording_id}/review": (Need.SEE, ""),
    "POST /reviews": (Caller.EACH_ITEM, "each decision needs annotator on its recording"),
    "POST /projects": (Caller.SIGNED_IN, "the creator becomes its owner"),
    "GET /projects": (Caller.SIGNED_IN, "the projects the caller is a member of"),
    "GET /projects/{project_id}": (Need.SEE, ""),
    "PATCH /projects/{project_id}": (Need.MANAGE, ""),
    "DELETE /projects/{project_id}": (Need.MANAGE, ""),
    "GET /projects/{project_id}/members": (Need.SEE, ""),
    "POST /projects/{project_id}/members": (Need.MANAGE, "role owner hands ownership over"),
    "PATCH /projects/{project_id}/members/{username}": (
        Need.MANAGE,
        "role owner hands ownership over",
    ),
    "DELETE /projects/{project_id}/members/{username}": (
        Need.MANAGE,
        "any member removes themself (leaves), but the owner, who hands over first",
    ),
    "GET /projects/{project_id}/annotations/export": (Need.SEE, ""),
    "POST /projects/{project_id}/annotations/import": (Need.ANNOTATE, ""),
    "POST /projects/{project_id}/detect": (Need.ANNOTATE, ""),
    "GET /projects/{project_id}/review": (Need.SEE, ""),
    "POST /projects/{project_id}/reviews/accept": (Need.ANNOTATE, ""),
    "POST /projects/{project_id}/reviews/accept/undo": (Need.ANNOTATE, ""),
    "GET /projects/{project_id}/precision": (Need.SEE, ""),
    "POST /projects/{project_id}/assignments": (
        Need.MANAGE,
        "assignees must be annotators or the owner",
    ),
    "GET /recordings/{recording_id}/assignments": (Need.SEE, ""),
    "PATCH /recordings/{recording_id}/assignments/{username}": (Caller.ASSIGNEE, ""),
    "DELETE /recordings/{recording_id}/assignments/{username}": (Need.MANAGE, ""),
    "GET /my-work": (Caller.SIGNED_IN, "the caller's assignments in projects they are still in"),
    "GET /projects/{project_id}/dashboard": (Need.SEE, ""),
    "GET /recordings/{recording_id}/agreement": (Need.SEE, ""),
    "GET /projects/{project_id}/agreement": (Need.SEE, ""),
    "POST /recordings/{recording_id}/consensus": (Need.ANNOTATE, ""),
}


def may_refuse_role(route: str) -> bool:
    """Whether a member may be answered 403 on this route (their role not enough)."""
    need, _ = ROUTES[route]
    return need in (Need.ANNOTATE, Need.MANAGE, Caller.UPLOADER, Caller.ASSIGNEE)


def table() -> str:
    """docs/lab.md's table: each route, the least role it needs, and what that means."""
    rows = ["| Route | Least role | Notes |", "|---|---|---|"]
    for route, (need, notes) in ROUTES.items():
        who = LEAST_ROLE[need].value if isinstance(need, Need) else need.value
        rows.append(f"| `{route}` | {who} | {notes} |")
    return "\n".join(rows) + "\n"
