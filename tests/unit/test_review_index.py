"""The project's review index and the read-modify-write of decisions, against a real moto
server."""

from __future__ import annotations

import time

import pytest

from chalicelib import annotation_sets, members, review_index
from chalicelib.config import Settings
from chalicelib.models import AnnotationChunkModel, ProjectModel
from chalicelib.projects import Projects
from chalicelib.recordings import owned_recording

# Members are added as on the local stage: any username is an account.
LOCAL = {"settings": Settings(), "clock": lambda: 1_800_000_000}


@pytest.fixture
def projects(recordings) -> Projects:
    return Projects(recordings=recordings, clock=lambda: 1_800_000_000)


@pytest.fixture
def project(recordings, projects) -> tuple[str, list[str]]:
    """A project of 'ana' with three recordings of two boxes each."""
    project_id = projects.create("ana", {"name": "marsh"})["id"]
    ids = []
    for n in range(3):
        body = {"filename": f"r{n}.wav", "size": 1, "content_type": "", "project_id": project_id}
        recording_id = recordings.create("ana", body)["recording"]["id"]
        boxes = [
            {"id": f"b{n}{k}", "start_s": k, "end_s": k + 1, "label": "Wren", "confidence": 0.5}
            for k in range(2)
        ]
        annotation_sets.replace(
            owned_recording("ana", recording_id),
            {"annotations": boxes, "version": 0},
            user="ana",
            clock=time.time,
        )
        ids.append(recording_id)
    review_index.forget()
    return project_id, ids


def labels(scope: review_index.Scope) -> dict[str, str]:
    return {box.annotation_id: box.label for box in scope.boxes}


def relabel(recording_id: str, box_id: str, label: str) -> None:
    def change(boxes):
        for box in boxes:
            if box["id"] == box_id:
                box["label"] = label
        return boxes, None

    annotation_sets.rewrite(
        owned_recording("ana", recording_id), change, attempts=1, user="ana", clock=time.time
    )


def test_the_index_is_stored_and_read_again_only_where_a_set_changed(project, monkeypatch):
    project_id, ids = project
    first = review_index.project_scope(ProjectModel.get(project_id))
    assert len(first.boxes) == 6 and set(first.recordings) == set(ids)
    stored = ProjectModel.get(project_id).review_index_set
    assert stored is not None
    relabel(ids[1], "b10", "Robin")
    review_index.forget()  # a cold function: the stored index, then the changed set
    assert labels(review_index.project_scope(ProjectModel.get(project_id)))["b10"] == "Robin"
    # One recording differs from the stored copy: not worth writing it again yet.
    assert ProjectModel.get(project_id).review_index_set == stored
    monkeypatch.setattr(review_index, "SAVE_AFTER", 2)
    relabel(ids[2], "b20", "Robin")
    assert labels(review_index.project_scope(ProjectModel.get(project_id)))["b20"] == "Robin"
    assert ProjectModel.get(project_id).review_index_set != stored


def test_the_index_holds_the_boxes_of_every_members_uploads(recordings, project):
    project_id, ids = project
    members.add("ana", project_id, {"username": "bea", "role": "annotator"}, **LOCAL)
    body = {"filename": "bea.wav", "size": 1, "content_type": "", "project_id": project_id}
    theirs = recordings.create("bea", body)["recording"]["id"]
    box = {"id": "bea1", "start_s": 0, "end_s": 1, "label": "Wren"}
    annotation_sets.replace(
        owned_recording("bea", theirs),
        {"annotations": [box], "version": 0},
        user="bea",
        clock=time.time,
    )
    scope = review_index.project_scope(ProjectModel.get(project_id))
    assert set(scope.recordings) == {*ids, theirs}
    assert "bea1" in labels(scope)


def test_a_rewrite_redoes_its_change_after_another_writer_stored_first(project):
    _, ids = project
    recording = owned_recording("ana", ids[0])
    calls = []

    def change(boxes):
        calls.append([box["label"] for box in boxes])
        if len(calls) == 1:  # another writer stores between our read and our write
            relabel(ids[0], "b01", "Robin")
        boxes[0]["label"] = "Dunnock"
        return boxes, len(calls)

    attempts, version = annotation_sets.rewrite(
        recording, change, attempts=5, user="ana", clock=time.time
    )
    assert attempts == 2 and version == 3
    assert calls == [["Wren", "Wren"], ["Wren", "Robin"]]
    _, stored = annotation_sets.load(owned_recording("ana", ids[0]))
    assert [box["label"] for box in stored] == ["Dunnock", "Robin"]


def test_deleting_the_project_deletes_its_index(projects, project):
    project_id, _ = project
    review_index.project_scope(ProjectModel.get(project_id))
    assert list(AnnotationChunkModel.query(project_id))
    assert projects.delete("ana", project_id) == 0
    assert list(AnnotationChunkModel.query(project_id)) == []
