"""Detector proposals written into a recording's set (real moto tables): a run replaces only
its presets' unreviewed proposals, and an editor saving meanwhile is never overwritten."""

from __future__ import annotations

import time

import pytest
from faults import before_first

from chalicelib import annotation_sets, clients, proposals
from chalicelib.annotations import MAX_ANNOTATIONS
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import BadRequestError, StorageError
from chalicelib.formats.box import new_box
from chalicelib.models import RecordingModel
from chalicelib.recordings import Recordings

WHISTLES = DetectorPreset.from_json({"name": "whistles"})
CLICKS = DetectorPreset.from_json({"name": "clicks"})
ACCEPTED = {"state": "accepted", "by": "erin", "at": "2026-12-07T10:00:00Z", "label_before": ""}


@pytest.fixture
def recording(cloud_settings) -> RecordingModel:
    """A rendered 60 s, 48 kHz mono recording of erin's."""
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )
    created = recordings.create("erin", {"filename": "dawn.wav", "size": 10, "content_type": ""})
    row = RecordingModel.get(created["recording"]["id"])
    row.update(
        actions=[
            RecordingModel.duration_s.set(60.0),
            RecordingModel.sample_rate.set(48000),
            RecordingModel.channels.set(1),
        ]
    )
    return row


def box(box_id: str, start_s: float, *, source=None, review=None, snr: float | None = None):
    measurements = {} if snr is None else {proposals.SCORE: snr}
    made = new_box(start_s, start_s + 0.5, low_hz=1000.0, high_hz=3000.0, label=box_id)
    return {
        "id": box_id,
        **made,
        "measurements": measurements,
        "source": source,
        "review": review,
    }


def proposal(start_s: float, snr: float = 12.0) -> dict:
    """A box as Detections.boxes() makes it: no id, the score among its measurements."""
    made = new_box(start_s, start_s + 0.3, low_hz=2000.0, high_hz=4000.0, label="whistles")
    made["measurements"] = {proposals.SCORE: snr}
    return {**made, "source": None, "review": None}


def stored(recording: RecordingModel) -> list[dict]:
    return annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))[1]


def by_id(boxes: list[dict]) -> dict[str, dict]:
    return {b["id"]: b for b in boxes}


@pytest.fixture
def mixed_set(recording) -> list[dict]:
    """A person's box, an import, whistles' proposals reviewed and not, a clicks proposal."""
    boxes = [
        box("person", 1.0),
        box("birdnet", 2.0, source="birdnet"),
        box("accepted", 3.0, source=WHISTLES.source, review=ACCEPTED),
        box("rejected", 4.0, source=WHISTLES.source, review={**ACCEPTED, "state": "rejected"}),
        box("old-whistle", 5.0, source=WHISTLES.source),
        box("old-whistle-2", 6.0, source=WHISTLES.source),
        box("click", 7.0, source=CLICKS.source),
    ]
    _, signed = annotation_sets.store(
        recording, boxes, version=0, before=[], user="erin", clock=time.time
    )
    return signed


def test_a_run_replaces_only_its_presets_unreviewed_proposals(recording, mixed_set):
    written = proposals.write(
        recording.id,
        [proposals.Proposed(WHISTLES, [proposal(10.0), proposal(20.0)])],
        clock=time.time,
    )
    after = by_id(stored(recording))
    untouched = {"person", "birdnet", "accepted", "rejected", "click"}
    assert untouched < set(after)
    for box_id in untouched:
        assert after[box_id] == by_id(mixed_set)[box_id]
    assert "old-whistle" not in after and "old-whistle-2" not in after
    new = [b for i, b in after.items() if i not in untouched]
    assert sorted(b["start_s"] for b in new) == [10.0, 20.0]
    assert all(b["source"] == "detector:whistles" and b["review"] is None for b in new)
    # A machine's boxes: created and updated by nobody, when the run wrote them.
    assert all(b["created_by"] is None and b["updated_by"] is None for b in new)
    assert all(b["updated_at"] > by_id(mixed_set)["person"]["updated_at"] for b in new)
    assert all(len(b["id"]) > 8 for b in new)
    assert (written.stored, written.dropped, written.version) == (
        {"whistles": 2},
        {"whistles": 0},
        2,
    )


def test_a_run_of_two_presets_replaces_both_and_a_rerun_is_the_same(recording, mixed_set):
    run = [
        proposals.Proposed(WHISTLES, [proposal(10.0)]),
        proposals.Proposed(CLICKS, [proposal(11.0), proposal(12.0)]),
    ]
    proposals.write(recording.id, run, clock=time.time)
    proposals.write(recording.id, run, clock=time.time)  # the task delivered again
    after = stored(recording)
    sources = sorted(b["source"] for b in after if b["review"] is None and b["source"])
    assert sources == ["birdnet", *["detector:clicks"] * 2, "detector:whistles"]
    assert len(after) == 4 + 3


def test_proposals_are_checked_against_the_recording(recording, mixed_set):
    past_nyquist = {**proposal(1.0), "high_hz": 30_000.0}
    with pytest.raises(BadRequestError, match="above the recording's highest frequency"):
        proposals.write(
            recording.id, [proposals.Proposed(WHISTLES, [past_nyquist])], clock=time.time
        )
    assert by_id(stored(recording)) == by_id(mixed_set)


def test_a_proposal_reaching_past_the_end_is_cut_at_the_end(recording):
    late = {**proposal(59.9), "end_s": 60.02}
    proposals.write(recording.id, [proposals.Proposed(WHISTLES, [late])], clock=time.time)
    (only,) = stored(recording)
    assert (only["start_s"], only["end_s"]) == (59.9, 60.0)


def test_an_editor_saving_meanwhile_keeps_their_boxes_and_the_proposals_are_laid_again(
    recording, mixed_set
):
    def editor_saves():
        row, boxes = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
        annotation_sets.store(
            row,
            [*boxes, box("drawn-meanwhile", 30.0)],
            version=1,
            before=boxes,
            user="erin",
            clock=time.time,
        )

    client = RecordingModel._get_connection().connection.client
    with before_first(client, "UpdateItem", editor_saves):
        written = proposals.write(
            recording.id, [proposals.Proposed(WHISTLES, [proposal(10.0)])], clock=time.time
        )
    after = by_id(stored(recording))
    assert "drawn-meanwhile" in after and "person" in after
    assert [b["start_s"] for b in after.values() if b["source"] == WHISTLES.source] == [
        3.0,
        4.0,
        10.0,
    ]
    assert written.version == 3


def test_editors_saving_through_every_try_is_retryable(recording, mixed_set):
    def editor_saves():
        row, boxes = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
        annotation_sets.store(
            row,
            boxes,
            version=int(row.annotation_version),
            before=boxes,
            user="erin",
            clock=time.time,
        )

    client = RecordingModel._get_connection().connection.client
    with before_first(client, "UpdateItem", editor_saves), pytest.raises(StorageError) as raised:
        proposals.write(recording.id, [proposals.Proposed(WHISTLES, [])], tries=1, clock=time.time)
    assert raised.value.retryable


def test_a_full_set_keeps_the_highest_scoring_proposals_and_counts_the_rest(recording):
    people = [box(f"p{i}", 0.001 * i) for i in range(MAX_ANNOTATIONS - 2)]
    annotation_sets.store(recording, people, version=0, before=[], user="erin", clock=time.time)
    run = [proposal(10.0, snr=6.0), proposal(11.0, snr=20.0), proposal(12.0, snr=9.0)]
    written = proposals.write(recording.id, [proposals.Proposed(WHISTLES, run)], clock=time.time)
    after = stored(recording)
    kept = sorted(b["start_s"] for b in after if b["source"] == WHISTLES.source)
    assert (len(after), kept) == (MAX_ANNOTATIONS, [11.0, 12.0])
    assert (written.stored, written.dropped) == ({"whistles": 2}, {"whistles": 1})


def test_an_event_someone_reviewed_is_not_proposed_again(recording, mixed_set):
    # "accepted" spans 3.0-3.5 s and "rejected" 4.0-4.5 s at 1-3 kHz; the detector finds
    # both again (overlapping 2-4 kHz), and one new event besides.
    again = [proposal(3.1), proposal(4.2), proposal(30.0)]
    written = proposals.write(recording.id, [proposals.Proposed(WHISTLES, again)], clock=time.time)
    after = stored(recording)
    whistles = [b for b in after if b["source"] == WHISTLES.source]
    assert sorted((b["start_s"], b["review"] is None) for b in whistles) == [
        (3.0, False),
        (4.0, False),
        (30.0, True),
    ]
    assert (written.stored, written.dropped) == ({"whistles": 1}, {"whistles": 0})
    # Another preset's review does not hide this preset's event.
    clicks = proposals.write(
        recording.id, [proposals.Proposed(CLICKS, [proposal(3.1)])], clock=time.time
    )
    assert clicks.stored == {"clicks": 1}
