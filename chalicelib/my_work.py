"""My work: a member's assigned recordings, newest assignment first, across their projects.

One page is a consistent Query of the caller's partition of work items (filtered by state and
project in DynamoDB; chalicelib/assignments.py writes them with the assignments, and each
carries what the page shows of its assignment), then one BatchGet each of the recordings,
their statuses, the projects and the caller's member rows, and of the assignment rows of
the blind items (a blind assignee's own boxes are counted there): no scan and no index,
whatever the size of the projects. Assignments in a project the caller is no longer a member
of are left out, as are recordings deleted or moved out of the assignment's project since.
"""

from __future__ import annotations

from chalicelib import access, database, status
from chalicelib.access import Need
from chalicelib.assignments import STATES, as_view
from chalicelib.errors import BadRequestError
from chalicelib.models import (
    AssignmentModel,
    MemberModel,
    ProjectModel,
    RecordingModel,
    SpectrogramModel,
    WorkItemModel,
)
from chalicelib.paging import MAX_PAGE, Partition, page_size

# What a work item shows of its recording: a page reads no more of the rows.
SHOWN = ("id", "filename", "duration_s", "project_id", "annotation_count")


# A member's work items, newest assignment first; a cursor (``<assigned_at>_<recording
# id>``) is an item's place, and any such value a place in the caller's own list.
WORK = Partition(WorkItemModel, hash_attribute="assignee")


def _cursor_after(item: dict) -> str:
    return f"{item['assigned_at']}_{item['recording_id']}"


def _memberships(user: str, project_ids: set[str]) -> dict[str, ProjectModel]:
    """The projects among ``project_ids`` the user is still a member of (read consistently)."""
    with database.translated("read the projects"):
        projects = {p.id: p for p in ProjectModel.batch_get(project_ids, consistent_read=True)}
        members = {
            m.project_id
            for m in MemberModel.batch_get(
                [(project_id, user) for project_id in projects],
                consistent_read=True,
                attributes_to_get=["project_id", "username"],
            )
        }
    return {
        project_id: project
        for project_id, project in projects.items()
        if project_id in members or project.owner == user
    }


def _own_box_counts(work: list[WorkItemModel]) -> dict[str, int]:
    """How many boxes each blind item's assignee drew in their own layer, by recording
    (read consistently); nothing is read for a page without blind items."""
    blind = [(item.recording_id, item.assignee) for item in work if item.blind]
    if not blind:
        return {}
    with database.translated("read your assignments"):
        return {
            a.recording_id: int(a.layer_count or 0)
            for a in AssignmentModel.batch_get(
                blind, consistent_read=True, attributes_to_get=["recording_id", "layer_count"]
            )
        }


def _recordings(ids: list[str]) -> dict[str, RecordingModel]:
    """What a work item shows of each recording, read consistently as the work items are (a
    row missing here would drop the item)."""
    with database.translated("read the recordings"):
        return {
            r.id: r
            for r in RecordingModel.batch_get(
                ids, attributes_to_get=list(SHOWN), consistent_read=True
            )
        }


def _statuses(ids: list[str]) -> dict[str, str]:
    with database.translated("read the recordings"):
        return {
            s.recording_id: s.status
            for s in SpectrogramModel.batch_get(
                ids, attributes_to_get=["recording_id", "status"], consistent_read=True
            )
        }


def _items(user: str, work: list[WorkItemModel]) -> list[dict]:
    """The work items as My work shows them, those no longer the caller's left out.

    The reads each item joins depend on the work items only: they run at once, so a page
    waits for the slowest, not for their sum.
    """
    if not work:
        return []
    ids = [item.recording_id for item in work]
    own, projects, recordings, statuses = database.at_once(
        lambda: _own_box_counts(work),
        lambda: _memberships(user, {item.project_id for item in work}),
        lambda: _recordings(ids),
        lambda: _statuses(ids),
    )
    items = []
    for item in work:
        recording = recordings.get(item.recording_id)
        state = statuses.get(item.recording_id)
        if (
            item.project_id not in projects
            or recording is None
            or recording.project_id != item.project_id
            or state in (None, status.DELETING)
        ):
            continue
        # A blind assignee works on their own boxes, which they see until both are done.
        count = own.get(item.recording_id, 0) if item.blind else recording.annotation_count
        items.append(
            {
                **as_view(item),
                "filename": recording.filename,
                "duration_s": recording.duration_s,
                "status": state,
                "project_name": projects[item.project_id].name,
                "annotation_count": int(count or 0),
            }
        )
    return items


def page(
    user: str,
    *,
    state: str | None = None,
    project: str | None = None,
    limit: str | None = None,
    cursor: str | None = None,
) -> dict:
    """``GET /my-work``: a page of the caller's assignments, ``{"assignments", "next"}``.

    The work items are read (the page's size, then MAX_PAGE at a time) until ``limit`` items
    are shown or it ends, so a filtered page is as full as an unfiltered one; ``next`` is the
    place after the last item shown.
    """
    size = page_size(limit)
    if state is not None and state not in STATES:
        raise BadRequestError(f"state must be one of {', '.join(STATES)}, not {state!r}")
    if project is not None:
        access.project(user, project, Need.SEE, action="reading its work")
    start = WORK.start(cursor, user)
    condition = None
    if state is not None:
        condition = WorkItemModel.state == state
    if project is not None:
        in_project = WorkItemModel.project_id == project
        condition = in_project if condition is None else condition & in_project
    read_limit = size
    shown: list[dict] = []
    while True:
        with database.translated("list your assignments"):
            read = WORK.read(user, limit=read_limit, start=start, filter_condition=condition)
            work = list(read)
        found = _items(user, work)
        room = size - len(shown)
        shown += found[:room]
        start, read_limit = read.last_evaluated_key, MAX_PAGE
        if len(shown) == size or start is None:
            break
    more = start is not None or len(found) > room
    return {"assignments": shown, "next": _cursor_after(shown[-1]) if more else None}
