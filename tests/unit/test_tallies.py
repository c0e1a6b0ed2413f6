"""A project's tallies kept with its recordings' main sets (real moto tables): boxes drawn
and decisions per member, boxes per label, after creating, editing, relabelling,
reviewing, deleting and machine proposals."""

from __future__ import annotations

import pytest

from chalicelib import annotation_sets, proposals, reviews, tallies
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import ConflictError
from chalicelib.formats.box import new_box
from chalicelib.models import RecordingModel, TallyModel
from chalicelib.recordings import owned_recording
from tests.marsh import clock, new_recording


def counts(project_id: str) -> dict[str, dict[str, int]]:
    """The project's tally items, without the counts at zero."""
    found = {}
    for item in TallyModel.query(project_id, consistent_read=True):
        values = {
            name: int(getattr(item, name))
            for name in ("boxes_drawn", "decisions", "boxes")
            if getattr(item, name)
        }
        if values:
            found[item.key] = values
    return found


def box(box_id: str, label: str, start_s: float = 1.0) -> dict:
    return {"id": box_id, "start_s": start_s, "end_s": start_s + 1.0, "label": label}


def put(recording: RecordingModel, boxes: list[dict], *, user: str) -> dict:
    row = owned_recording("ana", recording.id)
    body = {"annotations": boxes, "version": int(row.annotation_version)}
    return annotation_sets.replace(row, body, user=user, clock=clock)


def read(recording: RecordingModel) -> list[dict]:
    return annotation_sets.get(owned_recording("ana", recording.id))["annotations"]


def test_a_tally_counts_creators_deciders_and_labels_but_not_rejected_boxes():
    boxes = [
        {"created_by": "ana", "label": "wren", "review": None},
        {"created_by": "ana", "label": "wren", "review": {"state": "accepted", "by": "bo"}},
        {"created_by": None, "label": "robin", "review": {"state": "rejected", "by": "bo"}},
        {"label": "owl", "review": None},  # stored before boxes were signed
    ]
    assert tallies.of_set(boxes) == {
        "boxes_drawn": {"ana": 2},
        "decisions": {"bo": 2},
        "labels": {"wren": 2, "owl": 1},
    }


def test_changes_leave_out_what_stays_the_same():
    old = {"boxes_drawn": {"ana": 2}, "decisions": {}, "labels": {"wren": 2}}
    new = {"boxes_drawn": {"ana": 2, "bo": 1}, "decisions": {}, "labels": {"wren": 1, "owl": 2}}
    assert tallies.changes(old, new) == {
        "member#bo": {"boxes_drawn": 1},
        "label#wren": {"boxes": -1},
        "label#owl": {"boxes": 2},
    }
    assert tallies.changes(new, None) == {
        "member#ana": {"boxes_drawn": -2},
        "member#bo": {"boxes_drawn": -1},
        "label#wren": {"boxes": -1},
        "label#owl": {"boxes": -2},
    }


def test_drawing_editing_and_deleting_boxes_keeps_the_projects_counts(recording, project_id):
    put(recording, [box("a", "wren"), box("b", "wren")], user="ana")
    assert counts(project_id) == {"member#ana": {"boxes_drawn": 2}, "label#wren": {"boxes": 2}}
    stored = read(recording)
    # bo relabels ana's "b" (she still drew it) and draws one of his own.
    put(recording, [stored[0], {**stored[1], "label": "robin"}, box("c", "owl")], user="bo")
    assert counts(project_id) == {
        "member#ana": {"boxes_drawn": 2},
        "member#bo": {"boxes_drawn": 1},
        "label#wren": {"boxes": 1},
        "label#robin": {"boxes": 1},
        "label#owl": {"boxes": 1},
    }
    put(recording, [], user="ana")
    assert counts(project_id) == {}
    row = owned_recording("ana", recording.id)
    assert tallies.of_recording(row) == {"boxes_drawn": {}, "decisions": {}, "labels": {}}


def test_review_decisions_count_for_who_decided(recording, project_id):
    put(recording, [box("a", "wren"), box("b", "wren")], user="ana")
    decisions = [
        {"recording_id": recording.id, "annotation_id": "a", "state": "accepted"},
        {"recording_id": recording.id, "annotation_id": "b", "state": "rejected"},
    ]
    reviews.decide("ana", {"decisions": decisions}, clock=clock)
    assert counts(project_id) == {
        "member#ana": {"boxes_drawn": 2, "decisions": 2},
        "label#wren": {"boxes": 1},
    }


def test_two_recordings_add_up_and_each_keeps_what_it_added(recordings, project_id):
    first, second = (new_recording(recordings, project_id) for _ in range(2))
    put(first, [box("a", "wren")], user="ana")
    put(second, [box("a", "wren"), box("b", "owl")], user="bo")
    assert counts(project_id) == {
        "member#ana": {"boxes_drawn": 1},
        "member#bo": {"boxes_drawn": 2},
        "label#wren": {"boxes": 2},
        "label#owl": {"boxes": 1},
    }
    # Taking one recording's tally back (as deleting it does) leaves the other's.
    tallies.apply(project_id, tallies.of_recording(owned_recording("ana", second.id)), None)
    assert counts(project_id) == {"member#ana": {"boxes_drawn": 1}, "label#wren": {"boxes": 1}}


def test_a_machines_proposals_count_for_their_label_only(recording, project_id):
    made = new_box(1.0, 1.3, low_hz=2000.0, high_hz=4000.0, label="whistles")
    preset = DetectorPreset.from_json({"name": "whistles"})
    proposals.write(recording.id, [proposals.Proposed(preset, [made])], clock=clock)
    assert counts(project_id) == {"label#whistles": {"boxes": 1}}


def test_a_recording_in_no_project_keeps_its_tally_and_counts_nowhere(recordings, project_id):
    private = new_recording(recordings, None)
    put(private, [box("a", "wren")], user="ana")
    row = owned_recording("ana", private.id)
    assert tallies.of_recording(row)["boxes_drawn"] == {"ana": 1}
    assert counts(project_id) == {}


def test_a_recording_moved_to_another_project_meanwhile_makes_the_write_stale(
    recording, project_id
):
    row = owned_recording("ana", recording.id)
    RecordingModel(recording.id).update(actions=[RecordingModel.project_id.set("elsewhere")])
    with pytest.raises(ConflictError, match="changed since version 0"):
        annotation_sets.replace(
            row, {"annotations": [box("a", "wren")], "version": 0}, user="ana", clock=clock
        )
    assert counts(project_id) == {} and counts("elsewhere") == {}
