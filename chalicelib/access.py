"""Who may do what: the one place every route asks (docs/lab.md has the whole matrix).

A recording in no project is its uploader's alone, as before projects were shared. A
recording in a project, and the project itself, are open to the project's members as their
role allows:

- a viewer sees, listens and exports;
- an annotator also uploads into the project, draws, edits and reviews;
- the owner also manages: members and roles, settings, assignments, moves and deletions.

Someone who is not a member is answered as if the project or recording did not exist (404);
a member whose role does not allow an action gets 403, which says what role it needs. Every
answer is read consistently, so a removed member is refused from the next request on.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from chalicelib import database
from chalicelib.errors import ForbiddenError, NotFoundError
from chalicelib.models import MemberModel, ProjectModel, RecordingModel
from chalicelib.paging import ISSUED_ID


class Role(StrEnum):
    OWNER = "owner"
    ANNOTATOR = "annotator"
    VIEWER = "viewer"


class Need(IntEnum):
    """What an action needs, each level including the ones below it."""

    SEE = 1
    ANNOTATE = 2
    MANAGE = 3


ALLOWS = {Role.VIEWER: Need.SEE, Role.ANNOTATOR: Need.ANNOTATE, Role.OWNER: Need.MANAGE}
# The least role that allows each need, for the 403's message.
LEAST_ROLE = {need: role for role, need in ALLOWS.items()}
ROLES = tuple(Role)


def role_in(user: str, project: ProjectModel) -> Role | None:
    """The user's role in the project (read consistently); None if they are no member."""
    if project.owner == user:
        return Role.OWNER
    try:
        with database.translated("read the project's members"):
            member = MemberModel.get(project.id, user, consistent_read=True)
    except NotFoundError:
        return None
    return Role(member.role)


def _check(role: Role, need: Need, what: str) -> None:
    if ALLOWS[role] < need:
        raise ForbiddenError(
            f"your role in this project is {role}: {what} needs {LEAST_ROLE[need]}"
            + (" or owner" if LEAST_ROLE[need] is not Role.OWNER else "")
        )


def _read[Row: (ProjectModel, RecordingModel)](model: type[Row], key: str, what: str) -> Row:
    # DynamoDB refuses some keys (empty, over 2048 bytes): ask only for ids we issue.
    if ISSUED_ID.fullmatch(key):
        try:
            with database.translated(f"read the {what}"):
                return model.get(key, consistent_read=True)
        except NotFoundError:
            pass
    raise NotFoundError(f"no {what} {key!r}")


def project(
    user: str, project_id: str, need: Need, *, action: str = "this"
) -> tuple[ProjectModel, Role]:
    """The project and the user's role in it, if the role allows ``need``.

    NotFoundError when the user is no member (or there is no such project); ForbiddenError,
    naming ``action``, when the role is not enough.
    """
    row = _read(ProjectModel, project_id, "project")
    role = role_in(user, row)
    if role is None:
        raise NotFoundError(f"no project {project_id!r}")
    _check(role, need, action)
    return row, role


def project_role(user: str, project_id: str) -> Role | None:
    """The user's role in the project of this id; None if they are no member (or there is
    no such project)."""
    try:
        row = _read(ProjectModel, project_id, "project")
    except NotFoundError:
        return None
    return role_in(user, row)


def recording_role(user: str, recording: RecordingModel) -> Role | None:
    """The user's role for a recording: its project's role, or owner of their own recording
    outside any project; None when they may not see it."""
    if recording.project_id is None:
        return Role.OWNER if recording.owner == user else None
    return project_role(user, recording.project_id)


def recording(
    user: str, recording_id: str, need: Need, *, action: str = "this"
) -> tuple[RecordingModel, Role]:
    """The recording and the user's role for it, if the role allows ``need``.

    NotFoundError when the user may not see it (or there is no such recording);
    ForbiddenError, naming ``action``, when the role is not enough.
    """
    row = _read(RecordingModel, recording_id, "recording")
    role = recording_role(user, row)
    if role is None:
        raise NotFoundError(f"no recording {recording_id!r}")
    _check(role, need, action)
    return row, role
