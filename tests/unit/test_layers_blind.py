"""Blind double annotation: which set a user edits, and each blind assignee's own layer kept
apart from the main set, its readers and the tallies (real moto tables)."""

from __future__ import annotations

import pytest

from chalicelib import annotation_files, annotation_sets, layers, recording_counts
from chalicelib.errors import ConflictError
from chalicelib.models import AssignmentModel, RecordingModel, TallyModel
from chalicelib.recordings import owned_recording
from tests.marsh import clock, new_recording


def assign(recording: RecordingModel, assignee: str, *, blind: bool, state: str = "to_do"):
    """An assignment row as the assignment routes write it."""
    at = "2027-01-15T08:00:00.000000Z"
    AssignmentModel(
        recording.id,
        assignee,
        project_id=recording.project_id,
        state=state,
        blind=blind,
        assigned_at=at,
        assigned_by="ana",
        updated_at=at,
    ).save()


def set_state(recording: RecordingModel, assignee: str, state: str) -> None:
    AssignmentModel(recording.id, assignee).update(actions=[AssignmentModel.state.set(state)])


def editing(user: str, recording: RecordingModel):
    return layers.editing(user, owned_recording("ana", recording.id))


def put(recording, user: str, boxes: list[dict], version: int = 0) -> dict:
    row = owned_recording("ana", recording.id)
    return annotation_sets.replace(
        row,
        {"annotations": boxes, "version": version},
        user=user,
        clock=clock,
        layer=layers.editing(user, row),
    )


def get(recording, user: str) -> dict:
    row = owned_recording("ana", recording.id)
    return annotation_sets.get(row, layer=layers.editing(user, row))


def box(label: str, start_s: float = 1.0) -> dict:
    return {"start_s": start_s, "end_s": start_s + 1.0, "label": label}


def labels(answer: dict) -> list[str]:
    return [b["label"] for b in answer["annotations"]]


def test_a_recording_is_blind_for_its_blind_assignees_until_every_one_is_done(recording):
    assign(recording, "bo", blind=True)
    assign(recording, "cy", blind=True)
    assert editing("bo", recording).assignee == "bo"
    assert editing("cy", recording).assignee == "cy"
    assert editing("ana", recording) is None  # not assigned: the main set
    set_state(recording, "bo", "done")
    assert editing("bo", recording).assignee == "bo"  # cy is not done yet
    set_state(recording, "cy", "done")
    assert editing("bo", recording) is None and editing("cy", recording) is None


def test_an_assignment_that_is_not_blind_edits_the_main_set(recording):
    assign(recording, "bo", blind=False)
    assert editing("bo", recording) is None


def test_a_recording_in_no_project_is_never_blind(recordings):
    private = new_recording(recordings, None)
    assert editing("ana", private) is None


def test_each_blind_assignee_sees_only_their_own_boxes_and_the_main_set_none(recording):
    assign(recording, "bo", blind=True)
    assign(recording, "cy", blind=True)
    put(recording, "bo", [box("wren")])
    put(recording, "cy", [box("robin"), box("owl", 3.0)])
    assert (labels(get(recording, "bo")), get(recording, "bo")["blind"]) == (["wren"], True)
    assert labels(get(recording, "cy")) == ["robin", "owl"]
    ana = get(recording, "ana")
    assert (ana["annotations"], ana["version"], ana["blind"]) == ([], 0, False)
    layer = AssignmentModel.get(recording.id, "cy")
    assert (layer.layer_version, layer.layer_count) == (1, 2)
    # Layers count nowhere (the project counts its one recording), and exports read the
    # main set.
    counted = [item.key for item in TallyModel.query(recording.project_id)]
    assert counted == [recording_counts.KEY]
    exported = annotation_files.export_file(owned_recording("ana", recording.id), "csv")
    assert len(exported.data.decode().splitlines()) == 1


def test_a_layers_version_is_its_own(recording):
    assign(recording, "bo", blind=True)
    assign(recording, "cy", blind=True)
    put(recording, "bo", [box("wren")])
    with pytest.raises(ConflictError, match="changed since version 0"):
        put(recording, "bo", [box("lost")], version=0)
    put(recording, "cy", [box("robin")], version=0)  # cy's layer is still at version 0
    body = {"version": 1, "upsert": [box("wren 2", 5.0)]}
    row = owned_recording("ana", recording.id)
    patched = annotation_sets.patch(
        row, body, user="bo", clock=clock, layer=layers.editing("bo", row)
    )
    assert (patched["version"], patched["annotation_count"]) == (2, 2)
    assert patched["upserted"][0]["created_by"] == "bo"


def test_an_import_by_a_blind_assignee_goes_into_their_layer(recording):
    assign(recording, "bo", blind=True)
    assign(recording, "cy", blind=True)
    row = owned_recording("ana", recording.id)
    imported = annotation_files.import_file(
        row,
        b"1.0\t2.0\twren\n",
        format="audacity",
        mode="append",
        user="bo",
        clock=clock,
        layer=layers.editing("bo", row),
    )
    assert imported["version"] == 1
    assert labels(get(recording, "bo")) == ["wren"]
    assert get(recording, "ana")["annotations"] == []


def test_once_both_are_done_they_see_the_main_set(recording):
    assign(recording, "bo", blind=True)
    assign(recording, "cy", blind=True)
    put(recording, "bo", [box("wren")])
    set_state(recording, "bo", "done")
    set_state(recording, "cy", "done")
    answer = get(recording, "bo")
    assert (answer["annotations"], answer["blind"]) == ([], False)
    _, kept = annotation_sets.load_layer(AssignmentModel.get(recording.id, "bo"))
    assert labels({"annotations": kept}) == ["wren"]  # kept for the agreement and consensus
