"""My work and the dashboard against a real moto server: newest assignment first, paging,
filters, projects left behind; the dashboard's per-member and per-label figures."""

from __future__ import annotations

import itertools

import pytest

from chalicelib import chunks, dashboard, layers, my_work
from chalicelib.assignments import Assignments
from chalicelib.errors import BadRequestError, NotFoundError
from chalicelib.models import AssignmentModel, MemberModel, RecordingModel, TallyModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings
from tests.blind_layers import box

OWNER, VIEWER = "oona", "vesna"
# My work spans projects: each test's annotator is someone new to the session's tables.
ANNOTATORS = (f"arlo{n}" for n in itertools.count())


@pytest.fixture
def ticks():
    return itertools.count(1_810_000_000)


@pytest.fixture
def lab(ticks) -> Assignments:
    return Assignments(clock=lambda: next(ticks))


def new_project(
    recordings: Recordings, name: str, count: int, annotator: str
) -> tuple[str, list[str]]:
    project_id = Projects(recordings=recordings, clock=lambda: 1_810_000_000).create(
        OWNER, {"name": name}
    )["id"]
    for username, role in ((annotator, "annotator"), (VIEWER, "viewer")):
        MemberModel(
            project_id, username, role=role, added_at="2027-05-01T00:00:00.000000Z", added_by=OWNER
        ).save()
    ids = []
    for n in range(count):
        body = {
            "filename": f"{name}-{n}.wav",
            "size": 1,
            "content_type": "",
            "project_id": project_id,
        }
        ids.append(recordings.create(OWNER, body)["recording"]["id"])
    return project_id, ids


@pytest.fixture
def work(recordings, lab) -> dict:
    """An annotator assigned 7 recordings of "fen" (one at a time: newest last) and 3 of "heath"."""
    annotator = next(ANNOTATORS)
    fen, fen_ids = new_project(recordings, "fen", 7, annotator)
    heath, heath_ids = new_project(recordings, "heath", 3, annotator)
    for recording_id in fen_ids:
        lab.assign(OWNER, fen, {"recording_ids": [recording_id], "assignees": [annotator]})
    lab.assign(OWNER, heath, {"recording_ids": heath_ids, "assignees": [annotator]})
    return {"fen": (fen, fen_ids), "heath": (heath, heath_ids), "annotator": annotator}


def every_page(user: str, **query) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        page = my_work.page(user, cursor=cursor, **query)
        pages.append(page["assignments"])
        cursor = page["next"]
        if cursor is None:
            return pages


def test_my_work_lists_newest_assignment_first_with_the_recordings(work):
    annotator = work["annotator"]
    items = my_work.page(annotator)["assignments"]
    fen, fen_ids = work["fen"]
    heath, heath_ids = work["heath"]
    assert [i["recording_id"] for i in items[3:]] == fen_ids[::-1]
    assert {i["recording_id"] for i in items[:3]} == set(heath_ids)
    first = items[-1]
    assert first["filename"] == "fen-0.wav" and first["project_name"] == "fen"
    assert first["status"] == "PENDING" and first["annotation_count"] == 0
    assert first["state"] == "to_do" and first["assignee"] == annotator
    assert my_work.page(OWNER) == {"assignments": [], "next": None}


def test_an_item_shows_its_assignment_as_the_recording_does(work, lab):
    annotator = work["annotator"]
    fen, fen_ids = work["fen"]
    lab.change_state(annotator, fen_ids[2], annotator, {"state": "in_progress"})
    shown = {i["recording_id"]: i for i in my_work.page(annotator)["assignments"]}
    for recording_id in fen_ids:
        (row,) = lab.of_recording(OWNER, recording_id)["assignments"]
        assert {key: shown[recording_id][key] for key in row} == row
    moved = shown[fen_ids[2]]
    assert moved["state"] == "in_progress" and moved["updated_at"] > moved["assigned_at"]


def test_a_blind_item_counts_its_assignees_own_boxes(work, lab, recordings):
    annotator = work["annotator"]
    fen, _ = work["fen"]
    body = {"filename": "fen-blind.wav", "size": 1, "content_type": "", "project_id": fen}
    recording_id = recordings.create(OWNER, body)["recording"]["id"]
    lab.assign(
        OWNER,
        fen,
        {"recording_ids": [recording_id], "assignees": [annotator, OWNER], "blind": True},
    )
    own = [box(f"b{n}", n, n + 0.5, "wren") for n in range(3)]
    layers.switch(
        AssignmentModel.get(recording_id, annotator), chunks.encode(own), count=3, version=0
    )
    (newest, *_) = my_work.page(annotator)["assignments"]
    assert (newest["recording_id"], newest["blind"], newest["annotation_count"]) == (
        recording_id,
        True,
        3,
    )
    assert my_work.page(OWNER)["assignments"][0]["annotation_count"] == 0


def test_pages_follow_each_other_without_gaps_or_repeats(work):
    annotator = work["annotator"]
    pages = every_page(annotator, limit="3")
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert [i["recording_id"] for p in pages for i in p] == [
        i["recording_id"] for i in my_work.page(annotator)["assignments"]
    ]


def test_filters_by_state_and_project_keep_pages_full(work, lab):
    annotator = work["annotator"]
    fen, fen_ids = work["fen"]
    for recording_id in fen_ids[:4]:
        lab.change_state(annotator, recording_id, annotator, {"state": "done"})
    done = every_page(annotator, state="done", limit="2")
    assert [i["recording_id"] for p in done for i in p] == fen_ids[:4][::-1]
    assert [len(p) for p in done] == [2, 2]
    heath, heath_ids = work["heath"]
    in_heath = my_work.page(annotator, project=heath, state="to_do")["assignments"]
    assert {i["recording_id"] for i in in_heath} == set(heath_ids)


def test_a_project_left_behind_drops_out_of_my_work(work):
    annotator = work["annotator"]
    heath, _ = work["heath"]
    MemberModel(heath, annotator).delete()
    items = my_work.page(annotator)["assignments"]
    assert {i["project_name"] for i in items} == {"fen"}
    with pytest.raises(NotFoundError):
        my_work.page(annotator, project=heath)


def test_a_recording_moved_out_of_its_project_drops_out(work):
    annotator = work["annotator"]
    fen, fen_ids = work["fen"]
    RecordingModel(fen_ids[0]).update(actions=[RecordingModel.project_id.remove()])
    assert fen_ids[0] not in {i["recording_id"] for i in my_work.page(annotator)["assignments"]}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"state": "finished"}, "state must be one of"),
        ({"limit": "0"}, "limit must be"),
        ({"cursor": "yesterday"}, "cursor"),
    ],
)
def test_a_bad_query_names_its_fault(query, message):
    with pytest.raises(BadRequestError, match=message):
        my_work.page("arlo", **query)


def test_the_dashboard_shows_each_member_and_label(work, lab):
    annotator = work["annotator"]
    fen, fen_ids = work["fen"]
    RecordingModel(fen_ids[0]).update(actions=[RecordingModel.duration_s.set(1800.0)])
    lab.change_state(annotator, fen_ids[0], annotator, {"state": "done"})
    lab.change_state(annotator, fen_ids[1], annotator, {"state": "in_progress"})
    # What the writes of annotation sets add (chalicelib/tallies.py).
    TallyModel(fen, f"member#{annotator}").update(
        actions=[TallyModel.boxes_drawn.add(12), TallyModel.decisions.add(3)]
    )
    TallyModel(fen, "label#Wren").update(actions=[TallyModel.boxes.add(4)])
    TallyModel(fen, "label#Bittern").update(actions=[TallyModel.boxes.add(8)])
    TallyModel(fen, "label#Coot").update(actions=[TallyModel.boxes.add(0)])
    TallyModel(fen, f"agreement#{fen_ids[0]}", agreement="{}").save()
    board = dashboard.of_project(VIEWER, fen)
    assert board["recordings"] == 7
    assert board["labels"] == [{"label": "Bittern", "boxes": 8}, {"label": "Wren", "boxes": 4}]
    owner, member, viewer = board["members"]
    assert (owner["username"], owner["role"], owner["assigned"]) == (OWNER, "owner", 0)
    assert member == {
        "username": annotator,
        "name": None,
        "role": "annotator",
        "assigned": 7,
        "to_do": 5,
        "in_progress": 1,
        "done": 1,
        "boxes_drawn": 12,
        "decisions": 3,
        "audio_hours_done": 0.5,
    }
    assert viewer["role"] == "viewer" and viewer["done"] == viewer["boxes_drawn"] == 0


def test_strangers_see_no_dashboard(work):
    fen, _ = work["fen"]
    with pytest.raises(NotFoundError):
        dashboard.of_project("stranger", fen)
