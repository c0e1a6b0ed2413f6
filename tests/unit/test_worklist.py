"""Work items against a real moto server: each assignee's item is written, changed and deleted
with its assignment (assign, state change, removal, the recording moved out or purged), My
work reads them, and the backfill gives older assignments theirs."""

from __future__ import annotations

import itertools

import pytest

from chalicelib import assignments, my_work
from chalicelib.assignments import Assignments
from chalicelib.models import AssignmentModel, MemberModel, WorkItemModel
from chalicelib.projects import Projects

OWNER = "otto"
# Work items are the assignee's across projects: each test's annotators are new.
NAMES = (f"wren{n}" for n in itertools.count())


@pytest.fixture
def ticks():
    return itertools.count(1_820_000_000)


@pytest.fixture
def lab(ticks) -> Assignments:
    return Assignments(clock=lambda: next(ticks))


@pytest.fixture
def fen(recordings) -> dict:
    """A project with two new annotators and three recordings."""
    project_id = Projects(recordings=recordings, clock=lambda: 1_820_000_000).create(
        OWNER, {"name": "fen"}
    )["id"]
    annotators = [next(NAMES), next(NAMES)]
    for username in annotators:
        MemberModel(
            project_id,
            username,
            role="annotator",
            added_at="2027-09-01T00:00:00.000000Z",
            added_by=OWNER,
        ).save()
    body = {"size": 1, "content_type": "", "project_id": project_id}
    ids = [
        recordings.create(OWNER, {**body, "filename": f"fen-{n}.wav"})["recording"]["id"]
        for n in range(3)
    ]
    return {"project_id": project_id, "annotators": annotators, "ids": ids}


def work_of(username: str) -> list[WorkItemModel]:
    """The assignee's work items, newest first, as My work reads them."""
    return list(WorkItemModel.query(username, scan_index_forward=False, consistent_read=True))


def assign_one_at_a_time(lab: Assignments, fen: dict, username: str) -> None:
    """Each of the project's recordings to ``username``: the last is the newest."""
    for recording_id in fen["ids"]:
        body = {"recording_ids": [recording_id], "assignees": [username]}
        lab.assign(OWNER, fen["project_id"], body)


def test_assigning_writes_each_assignees_work_item_placed_by_when(lab, fen):
    first, second = fen["annotators"]
    ids = fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids[:1], "assignees": [first]})
    answer = lab.assign(
        OWNER, fen["project_id"], {"recording_ids": ids[1:], "assignees": [first, second]}
    )
    items = work_of(first)
    # Assigned together, the later two share their time: their ids order them.
    assert [item.recording_id for item in items] == [*sorted(ids[1:], reverse=True), ids[0]]
    later = {a["recording_id"]: a for a in answer["assignments"] if a["assignee"] == first}
    newest = items[0].recording_id
    assert items[0].place == f"{later[newest]['assigned_at']}_{newest}"
    assert {(i.project_id, i.state, i.blind) for i in items} == {
        (fen["project_id"], "to_do", False)
    }
    assert {item.recording_id for item in work_of(second)} == set(ids[1:])


def test_a_blind_assignment_is_blind_in_both_work_lists(lab, fen):
    first, second = fen["annotators"]
    body = {"recording_ids": fen["ids"][:1], "assignees": [first, second], "blind": True}
    lab.assign(OWNER, fen["project_id"], body)
    assert [i.blind for i in work_of(first) + work_of(second)] == [True, True]


def test_a_state_change_moves_the_work_item_and_my_works_filter(lab, fen):
    (first, _), ids = fen["annotators"], fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids, "assignees": [first]})
    lab.change_state(first, ids[1], first, {"state": "in_progress"})
    assert {i.recording_id: i.state for i in work_of(first)} == {
        ids[0]: "to_do",
        ids[1]: "in_progress",
        ids[2]: "to_do",
    }
    shown = my_work.page(first, state="in_progress")["assignments"]
    assert [a["recording_id"] for a in shown] == [ids[1]]


def test_removing_an_assignment_removes_its_work_item(lab, fen):
    (first, second), ids = fen["annotators"], fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids[:2], "assignees": [first, second]})
    lab.remove(OWNER, ids[0], first)
    assert [i.recording_id for i in work_of(first)] == [ids[1]]
    assert len(work_of(second)) == 2


def test_a_recording_moved_out_of_its_project_leaves_every_work_list(recordings, lab, fen):
    (first, second), ids = fen["annotators"], fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids[:2], "assignees": [first, second]})
    recordings.change(OWNER, ids[0], {"project_id": None})
    assert [i.recording_id for i in work_of(first)] == [ids[1]]
    assert [i.recording_id for i in work_of(second)] == [ids[1]]


def test_a_purged_recording_leaves_every_work_list(recordings, lab, fen):
    (first, second), ids = fen["annotators"], fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids[:2], "assignees": [first, second]})
    recordings.delete(OWNER, ids[1])
    assert [i.recording_id for i in work_of(first)] == [ids[0]]
    assert [i.recording_id for i in work_of(second)] == [ids[0]]


def test_my_work_pages_the_work_items_newest_first_with_a_cursor(lab, fen):
    (first, _), ids = fen["annotators"], fen["ids"]
    assign_one_at_a_time(lab, fen, first)
    page = my_work.page(first, limit="2")
    assert [a["recording_id"] for a in page["assignments"]] == [ids[2], ids[1]]
    assert page["next"] == work_of(first)[1].place
    rest = my_work.page(first, limit="2", cursor=page["next"])
    assert ([a["recording_id"] for a in rest["assignments"]], rest["next"]) == ([ids[0]], None)


def test_an_assignment_without_its_work_item_shows_once_backfilled(lab, fen):
    (first, _), ids = fen["annotators"], fen["ids"]
    assign_one_at_a_time(lab, fen, first)
    assignments.work_item(AssignmentModel.get(ids[0], first)).delete()
    assert [a["recording_id"] for a in my_work.page(first)["assignments"]] == [ids[2], ids[1]]
    assert assignments.backfill_work() >= 1
    shown = [a["recording_id"] for a in my_work.page(first)["assignments"]]
    assert shown == [ids[2], ids[1], ids[0]]
    assert assignments.backfill_work() == 0


def test_a_state_change_writes_a_missing_work_item_whole(lab, fen):
    (first, _), ids = fen["annotators"], fen["ids"]
    lab.assign(OWNER, fen["project_id"], {"recording_ids": ids[:1], "assignees": [first]})
    assignments.work_item(AssignmentModel.get(ids[0], first)).delete()
    lab.change_state(first, ids[0], first, {"state": "done"})
    (item,) = work_of(first)
    assert (item.recording_id, item.project_id, item.state) == (
        ids[0],
        fen["project_id"],
        "done",
    )
