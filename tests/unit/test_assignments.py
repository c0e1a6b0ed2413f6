"""Assignments against a real moto server: who may assign whom, the recording's assignees and
the tallies moving with every write, idempotent re-assigning, blind pairs, state changes."""

from __future__ import annotations

import itertools

import pytest

from chalicelib import assignments, chunks, layers
from chalicelib.assignments import Assignments, Counts, NewAssignments
from chalicelib.errors import BadRequestError, ConflictError, ForbiddenError, NotFoundError
from chalicelib.models import (
    AnnotationChunkModel,
    AssignmentModel,
    MemberModel,
    RecordingModel,
    TallyModel,
)
from chalicelib.projects import Projects

OWNER, ANNOTATOR, SECOND, VIEWER = "olga", "ann", "ben", "vic"


@pytest.fixture
def ticks():
    return itertools.count(1_800_000_000)


@pytest.fixture
def lab(recordings, ticks) -> Assignments:
    return Assignments(clock=lambda: next(ticks))


def add_member(project_id: str, username: str, role: str) -> None:
    MemberModel(
        project_id, username, role=role, added_at="2027-01-01T00:00:00.000000Z", added_by=OWNER
    ).save()


@pytest.fixture
def project(recordings) -> tuple[str, list[str]]:
    """Olga's project with an annotator, a second annotator, a viewer and five recordings
    of 60 s each."""
    project_id = Projects(recordings=recordings, clock=lambda: 1_800_000_000).create(
        OWNER, {"name": "marsh"}
    )["id"]
    for username, role in ((ANNOTATOR, "annotator"), (SECOND, "annotator"), (VIEWER, "viewer")):
        add_member(project_id, username, role)
    ids = []
    for n in range(5):
        body = {"filename": f"r{n}.wav", "size": 1, "content_type": "", "project_id": project_id}
        recording_id = recordings.create(OWNER, body)["recording"]["id"]
        RecordingModel(recording_id).update(actions=[RecordingModel.duration_s.set(60.0)])
        ids.append(recording_id)
    return project_id, ids


def tally(project_id: str, username: str) -> dict:
    try:
        item = TallyModel.get(project_id, f"member#{username}", consistent_read=True)
    except TallyModel.DoesNotExist:
        return {}
    names = ("assigned", "in_progress", "recordings_done", "audio_s_done")
    return {name: getattr(item, name) for name in names if getattr(item, name)}


def assignees_of(recording_id: str) -> set[str]:
    return set(RecordingModel.get(recording_id, consistent_read=True).assignees or ())


def test_the_owner_assigns_many_recordings_and_the_tallies_count_them(lab, project):
    project_id, ids = project
    answer = lab.assign(OWNER, project_id, {"recording_ids": ids, "assignees": [ANNOTATOR]})
    assert [a["recording_id"] for a in answer["assignments"]] == ids
    assert {a["state"] for a in answer["assignments"]} == {"to_do"}
    assert {a["assigned_by"] for a in answer["assignments"]} == {OWNER}
    assert all(assignees_of(r) == {ANNOTATOR} for r in ids)
    assert tally(project_id, ANNOTATOR) == {"assigned": 5}


def test_assigning_again_is_idempotent(lab, project):
    project_id, ids = project
    first = lab.assign(OWNER, project_id, {"recording_ids": ids[:2], "assignees": [ANNOTATOR]})
    again = lab.assign(OWNER, project_id, {"recording_ids": ids[:3], "assignees": [ANNOTATOR]})
    assert again["assignments"][:2] == first["assignments"]
    assert tally(project_id, ANNOTATOR) == {"assigned": 3}


def test_a_large_request_is_written_in_several_transactions(lab, project, monkeypatch):
    monkeypatch.setattr(assignments, "MAX_TRANSACTION_ITEMS", 8)
    project_id, ids = project
    lab.assign(OWNER, project_id, {"recording_ids": ids, "assignees": [ANNOTATOR, SECOND]})
    assert all(assignees_of(r) == {ANNOTATOR, SECOND} for r in ids)
    assert tally(project_id, ANNOTATOR) == tally(project_id, SECOND) == {"assigned": 5}


def test_groups_keep_within_one_transaction_and_keep_a_recording_together():
    new = [AssignmentModel(f"r{n // 2}", f"u{n % 2}") for n in range(200)]
    groups = list(assignments._groups(new, per_recording=2))
    assert sum(len(g) for g in groups) == 200
    for group in groups:
        recordings = {a.recording_id for a in group}
        # assignments and their work items + recording rows + tally items + the project's check
        assert 2 * len(group) + len(recordings) + 2 + 1 <= assignments.MAX_TRANSACTION_ITEMS
        assert all(sum(a.recording_id == r for a in group) == 2 for r in recordings)


@pytest.mark.parametrize(
    ("assignee", "message"),
    [(VIEWER, "is a viewer"), ("nobody", "not a member"), ("Bad Name", "usernames")],
)
def test_only_annotators_and_the_owner_can_be_assigned(lab, project, assignee, message):
    project_id, ids = project
    with pytest.raises(BadRequestError, match=message):
        lab.assign(OWNER, project_id, {"recording_ids": ids, "assignees": [assignee]})
    assert tally(project_id, assignee) == {}


def test_the_owner_can_assign_themself(lab, project):
    project_id, ids = project
    lab.assign(OWNER, project_id, {"recording_ids": ids[:1], "assignees": [OWNER]})
    assert assignees_of(ids[0]) == {OWNER}


def test_an_annotator_may_not_assign_and_a_stranger_finds_no_project(lab, project):
    project_id, ids = project
    body = {"recording_ids": ids, "assignees": [ANNOTATOR]}
    with pytest.raises(ForbiddenError, match="your role in this project is annotator"):
        lab.assign(ANNOTATOR, project_id, body)
    with pytest.raises(NotFoundError):
        lab.assign("stranger", project_id, body)


def test_a_recording_of_another_project_is_not_found(lab, project, recordings):
    project_id, ids = project
    private = recordings.create(OWNER, {"filename": "p.wav", "size": 1, "content_type": ""})
    body = {"recording_ids": [ids[0], private["recording"]["id"]], "assignees": [ANNOTATOR]}
    with pytest.raises(NotFoundError, match="in this project"):
        lab.assign(OWNER, project_id, body)
    assert assignees_of(ids[0]) == set()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"recording_ids": [], "assignees": ["a"]}, "recording_ids must be"),
        ({"recording_ids": ["x"] * 101, "assignees": ["a"]}, "recording_ids must be"),
        ({"recording_ids": ["x", "x"], "assignees": ["a"]}, "more than once"),
        ({"recording_ids": ["x"], "assignees": ["a", "b", "c"]}, "assignees must be"),
        ({"recording_ids": ["x"], "assignees": ["a"], "blind": True}, "exactly 2"),
        ({"recording_ids": ["x"], "assignees": ["a", "b"], "blind": 1}, "true or false"),
        ({"recording_ids": ["x"], "assignees": ["a"], "due": 1}, "unknown field"),
    ],
)
def test_a_bad_request_names_its_fault(body, message):
    with pytest.raises(BadRequestError, match=message):
        NewAssignments.from_request(body)


def test_a_blind_pair_is_one_pair(lab, project):
    project_id, ids = project
    blind = {"recording_ids": ids[:1], "assignees": [ANNOTATOR, SECOND], "blind": True}
    assert all(a["blind"] for a in lab.assign(OWNER, project_id, blind)["assignments"])
    with pytest.raises(ConflictError, match="already blind"):
        lab.assign(
            OWNER,
            project_id,
            {"recording_ids": ids[:1], "assignees": [ANNOTATOR, OWNER], "blind": True},
        )
    with pytest.raises(ConflictError, match="already assigned"):
        lab.assign(OWNER, project_id, {"recording_ids": ids[:1], "assignees": [ANNOTATOR]})
    # Someone else may still work on the main set beside the pair.
    lab.assign(OWNER, project_id, {"recording_ids": ids[:1], "assignees": [OWNER]})
    assert assignees_of(ids[0]) == {ANNOTATOR, SECOND, OWNER}


def test_state_changes_move_the_tallies(lab, project):
    project_id, ids = project
    lab.assign(OWNER, project_id, {"recording_ids": ids[:2], "assignees": [ANNOTATOR]})
    started = lab.change_state(ANNOTATOR, ids[0], ANNOTATOR, {"state": "in_progress"})
    assert started["state"] == "in_progress" and started["updated_at"] > started["assigned_at"]
    assert tally(project_id, ANNOTATOR) == {"assigned": 2, "in_progress": 1}
    lab.change_state(ANNOTATOR, ids[0], ANNOTATOR, {"state": "done"})
    lab.change_state(ANNOTATOR, ids[1], ANNOTATOR, {"state": "done"})
    assert tally(project_id, ANNOTATOR) == {
        "assigned": 2,
        "recordings_done": 2,
        "audio_s_done": 120,
    }
    lab.change_state(ANNOTATOR, ids[1], ANNOTATOR, {"state": "done"})  # unchanged: no count
    lab.change_state(OWNER, ids[1], ANNOTATOR, {"state": "to_do"})  # the owner reopens
    assert tally(project_id, ANNOTATOR) == {
        "assigned": 2,
        "recordings_done": 1,
        "audio_s_done": 60,
    }
    read = lab.of_recording(VIEWER, ids[1])["assignments"]
    assert [(a["assignee"], a["state"]) for a in read] == [(ANNOTATOR, "to_do")]


def test_only_the_assignee_or_the_owner_sets_a_state(lab, project):
    project_id, ids = project
    lab.assign(OWNER, project_id, {"recording_ids": ids[:1], "assignees": [ANNOTATOR]})
    with pytest.raises(ForbiddenError, match="annotator: setting an assignment's state"):
        lab.change_state(SECOND, ids[0], ANNOTATOR, {"state": "done"})
    with pytest.raises(ForbiddenError, match="viewer"):
        lab.change_state(VIEWER, ids[0], VIEWER, {"state": "done"})
    with pytest.raises(NotFoundError, match="not assigned"):
        lab.change_state(SECOND, ids[0], SECOND, {"state": "done"})
    with pytest.raises(BadRequestError, match="state must be one of"):
        lab.change_state(ANNOTATOR, ids[0], ANNOTATOR, {"state": "finished"})


def test_removing_an_assignment_takes_back_its_counts_and_its_own_boxes(lab, project):
    project_id, ids = project
    body = {"recording_ids": ids[:1], "assignees": [ANNOTATOR, SECOND], "blind": True}
    lab.assign(OWNER, project_id, body)
    lab.change_state(ANNOTATOR, ids[0], ANNOTATOR, {"state": "done"})
    layer = AssignmentModel.get(ids[0], ANNOTATOR)
    chunks.switch(
        layer,
        layers.LAYER,
        chunks.encode([{"id": "a"}]),
        actions=[],
        condition=AssignmentModel.blind == True,  # noqa: E712
    )
    assert list(AnnotationChunkModel.query(ids[0]))
    with pytest.raises(ForbiddenError):
        lab.remove(ANNOTATOR, ids[0], ANNOTATOR)
    lab.remove(OWNER, ids[0], ANNOTATOR)
    assert tally(project_id, ANNOTATOR) == {}
    assert assignees_of(ids[0]) == {SECOND}
    assert list(AnnotationChunkModel.query(ids[0])) == []
    with pytest.raises(NotFoundError):
        lab.remove(OWNER, ids[0], ANNOTATOR)


def test_counts_of_a_state():
    assert Counts.of("done", 30.5) == Counts(1, 0, 1, 30.5)
    assert Counts.of("in_progress", None) + -Counts.of("to_do", 10) == Counts(0, 1, 0, 0)
    assert Counts.of("done", None).audio_s_done == 0


def test_a_recording_leaving_its_project_or_deleted_takes_its_assignments_along(
    lab, project, recordings
):
    project_id, ids = project
    lab.assign(OWNER, project_id, {"recording_ids": ids[:2], "assignees": [ANNOTATOR, SECOND]})
    lab.change_state(ANNOTATOR, ids[0], ANNOTATOR, {"state": "done"})
    recordings.change(OWNER, ids[0], {"project_id": None})
    assert assignees_of(ids[0]) == set()
    assert list(AssignmentModel.query(ids[0])) == []
    assert tally(project_id, ANNOTATOR) == tally(project_id, SECOND) == {"assigned": 1}
    recordings.delete(OWNER, ids[1])
    recordings.deletions.purge(ids[1])  # again, as the sweeper might: counted once
    assert list(AssignmentModel.query(ids[1])) == []
    assert tally(project_id, ANNOTATOR) == tally(project_id, SECOND) == {}
