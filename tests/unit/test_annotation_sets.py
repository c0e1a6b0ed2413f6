"""Annotation sets: validation, versions, chunked storage, against a real moto server."""

from __future__ import annotations

import functools
import itertools
import json
import math

import pytest

from chalicelib import annotation_sets, annotations, chunks, clients, validation
from chalicelib.annotations import Bounds, check_box
from chalicelib.errors import BadRequestError, ConflictError, TooLargeError
from chalicelib.models import AnnotationChunkModel, RecordingModel
from chalicelib.recordings import Recordings, owned_recording
from tests.worst_inputs import EXTRA_MEMORY, filled, many_entries, peak_of

BOUNDS = Bounds(duration_s=10.0, nyquist_hz=22050.0, channels=2)
# 2027-01-15T08:00:00Z
NOW = 1_800_000_000.0
# The routes' writes, by the recording's owner.
replace = functools.partial(annotation_sets.replace, user="ana", clock=lambda: NOW)
patch = functools.partial(annotation_sets.patch, user="ana", clock=lambda: NOW)


@pytest.fixture
def recording(cloud_settings) -> RecordingModel:
    """A fresh 10 s, 44.1 kHz stereo recording of 'ana'."""
    ticks = itertools.count(1_800_000_000)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )
    body = {"filename": "dawn.wav", "size": 1, "content_type": ""}
    created = recordings.create("ana", body)["recording"]
    row = owned_recording("ana", created["id"])
    row.update(
        actions=[
            RecordingModel.duration_s.set(10.0),
            RecordingModel.sample_rate.set(44100),
            RecordingModel.channels.set(2),
        ]
    )
    return row


def box(**fields) -> dict:
    return {"start_s": 1.0, "end_s": 2.0, **fields}


def chunks_of(recording_id: str) -> list[str]:
    return [chunk.chunk for chunk in AnnotationChunkModel.query(recording_id)]


def test_a_box_is_stored_with_every_field_and_a_new_id():
    checked = check_box(box(low_hz=500, high_hz=4000, label="song"), where="a", bounds=BOUNDS)
    assert checked.pop("id")
    assert checked == {
        "start_s": 1.0,
        "end_s": 2.0,
        "low_hz": 500.0,
        "high_hz": 4000.0,
        "label": "song",
        "confidence": None,
        "notes": None,
        "measurements": {},
        "attributes": {},
        "channel": 1,
        "source": None,
        "review": None,
        "created_by": None,
        "updated_by": None,
        "updated_at": None,
    }


def test_a_reviewed_proposal_keeps_its_source_and_a_whole_review():
    raw = box(source="detector:wrens", review={"state": "accepted", "at": "2026-12-07T12:00:00Z"})
    checked = check_box(raw, where="a", bounds=BOUNDS)
    assert (checked["source"], checked["review"]) == (
        "detector:wrens",
        {"state": "accepted", "by": None, "at": "2026-12-07T12:00:00Z", "label_before": None},
    )
    # An empty source says as little as none: a person's box.
    assert check_box(box(source=""), where="a", bounds=BOUNDS)["source"] is None


def test_computed_measurements_are_dropped_before_counting_the_entries():
    own = {f"m{i}": 1.0 for i in range(annotations.MAX_ENTRIES)}
    computed = {"Peak Freq (Hz)": 1.0, "SNR (dB)": 2.0}
    checked = check_box(box(measurements={**own, **computed}), where="a", bounds=BOUNDS)
    assert checked["measurements"] == own


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1, 2], "annotation 4: an annotation must be a JSON object"),
        (box(colour="red"), "annotation 4: unknown field(s) 'colour'"),
        ({"start_s": 1.0}, "annotation 4: missing end_s"),
        (box(start_s="1"), "annotation 4: start_s must be a number, not '1'"),
        (box(start_s=True), "annotation 4: start_s must be a number, not True"),
        (box(end_s=math.inf), "annotation 4: end_s must be a finite number, not inf"),
        (box(low_hz=math.nan), "annotation 4: low_hz must be a finite number, not nan"),
        (box(start_s=-0.5), "annotation 4: start_s -0.5 is before the recording starts"),
        (box(end_s=0.5), "annotation 4: end_s 0.5 must not be before start_s 1.0 (a point"),
        (box(end_s=10.1), "annotation 4: end_s 10.1 is past the recording's end (10.000000 s)"),
        (box(low_hz=-1), "annotation 4: low_hz -1.0 must not be negative"),
        (box(high_hz=22051), "annotation 4: high_hz 22051.0 is above the recording's highest"),
        (box(low_hz=900, high_hz=800), "annotation 4: high_hz 800.0 must be above low_hz 900.0"),
        (box(low_hz=900, high_hz=900), "annotation 4: high_hz 900.0 must be above low_hz 900.0"),
        (
            box(end_s=1.0, low_hz=900, high_hz=800),
            "annotation 4: high_hz 800.0 must be above low_hz 900.0 (or equal to it for a point)",
        ),
        (box(label="x" * 201), "annotation 4: label is 201 characters, over 200"),
        (box(label="a\tb"), "annotation 4: label 'a\\tb' holds control characters"),
        (box(label="\ud800"), "annotation 4: label is not valid Unicode text"),
        (box(notes=3), "annotation 4: notes must be a string, not 3"),
        (
            box(measurements={"Peak SNR (dB)": "3k"}),
            "annotation 4: measurements['Peak SNR (dB)'] must be a number",
        ),
        (box(measurements=[1]), "annotation 4: measurements must be an object"),
        (box(attributes={"site": 4}), "annotation 4: attributes['site'] must be a string"),
        (box(attributes={"": "x"}), "annotation 4: attributes has an empty name"),
        (
            box(attributes={str(i): "" for i in range(51)}),
            "annotation 4: attributes has 51 entries, over 50",
        ),
        (box(channel=3), "annotation 4: channel 3 does not exist; the recording has 2"),
        (box(channel=0), "annotation 4: channel must be an integer from 1, not 0"),
        (box(id="no spaces"), "annotation 4: id must be 1-64 letters, digits, '_' or '-'"),
        (box(id="b1", end_s=0.5), "annotation 4 (id 'b1'): end_s 0.5 must not be before"),
        (box(source=7), "annotation 4: source must be a string, not 7"),
        (box(source="s" * 101), "annotation 4: source is 101 characters, over 100"),
        (box(source="a\nb"), "annotation 4: source 'a\\nb' holds control characters"),
        (box(review="accepted"), "annotation 4: review must be an object or null"),
        (box(review={}), "annotation 4: review.state must be one of accepted, rejected, not None"),
        (box(review={"state": "maybe"}), "annotation 4: review.state must be one of accepted"),
        (box(review={"state": "accepted", "why": "x"}), "annotation 4: unknown review field(s)"),
        (box(review={"state": "accepted", "by": 3}), "annotation 4: review.by must be a string"),
        (
            box(review={"state": "rejected", "at": "yesterday"}),
            "annotation 4: review.at must be an ISO 8601 time such as 2026-12-07T12:00:00Z",
        ),
        (
            box(review={"state": "accepted", "label_before": "x" * 201}),
            "annotation 4: review.label_before is 201 characters, over 200",
        ),
    ],
)
def test_a_bad_box_is_refused_naming_the_box_and_the_field(raw, message):
    with pytest.raises(BadRequestError) as refused:
        check_box(raw, where="annotation 4", bounds=BOUNDS)
    assert refused.value.message.startswith(message), refused.value.message


@pytest.mark.parametrize(
    "band",
    [{}, {"low_hz": 300.0, "high_hz": 900.0}, {"low_hz": 2500.0, "high_hz": 2500.0}],
)
def test_a_point_is_a_box_that_ends_where_it_starts(band):
    """A click, an Audacity point label, a Raven point selection (at one frequency)."""
    checked = check_box(box(end_s=1.0, **band), where="a", bounds=BOUNDS)
    assert (checked["start_s"], checked["end_s"]) == (1.0, 1.0)
    assert (checked["low_hz"], checked["high_hz"]) == (band.get("low_hz"), band.get("high_hz"))


def test_bounds_not_yet_known_are_not_checked():
    unknown = Bounds(duration_s=None, nyquist_hz=None, channels=None)
    checked = check_box(box(end_s=9999.0, high_hz=96000.0, channel=8), where="a", bounds=unknown)
    assert (checked["end_s"], checked["high_hz"], checked["channel"]) == (9999.0, 96000.0, 8)


def test_an_end_written_to_the_microsecond_may_round_past_the_end():
    assert check_box(box(end_s=10.0000005), where="a", bounds=BOUNDS)["end_s"] == 10.0000005


def test_a_replaced_set_reads_back_with_the_next_version(recording):
    assert annotation_sets.get(recording) == {"annotations": [], "version": 0, "blind": False}
    written = replace(recording, {"annotations": [box(label="a")], "version": 0})
    assert written["version"] == 1
    read = annotation_sets.get(owned_recording("ana", recording.id))
    assert read == written
    assert owned_recording("ana", recording.id).annotation_count == 1


def test_a_stale_version_writes_nothing(recording):
    replace(recording, {"annotations": [box(label="first")], "version": 0})
    stale = owned_recording("ana", recording.id)
    replace(stale, {"annotations": [box(label="second")], "version": 1})
    before = chunks_of(recording.id)
    with pytest.raises(ConflictError, match="changed since version 1"):
        replace(stale, {"annotations": [box(label="lost")], "version": 1})
    assert chunks_of(recording.id) == before
    assert [b["label"] for b in annotation_sets.get(stale)["annotations"]] == ["second"]


def test_a_write_removes_the_set_it_replaced(recording):
    replace(recording, {"annotations": [box()], "version": 0})
    first = chunks_of(recording.id)
    replace(owned_recording("ana", recording.id), {"annotations": [box()], "version": 1})
    second = chunks_of(recording.id)
    assert len(first) == len(second) == 1 and first != second


def test_a_patch_upserts_and_deletes_by_id(recording):
    written = replace(
        recording,
        {"annotations": [box(id="a", label="a"), box(id="b", label="b")], "version": 0},
    )
    patched = patch(
        owned_recording("ana", recording.id),
        {
            "version": written["version"],
            "upsert": [box(id="b", label="B"), box(id="c")],
            "delete": ["a"],
        },
    )
    assert patched["version"] == 2 and patched["annotation_count"] == 2
    assert patched["deleted"] == ["a"] and [b["id"] for b in patched["upserted"]] == ["b", "c"]
    read = annotation_sets.get(owned_recording("ana", recording.id))["annotations"]
    assert [(b["id"], b["label"]) for b in read] == [("b", "B"), ("c", "")]


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ({"upsert": []}, BadRequestError, 'send {"version": n'),
        ({"version": 0, "delete": ["ghost"]}, ConflictError, "no annotation 'ghost' to delete"),
        ({"version": 0, "delete": "a"}, BadRequestError, "delete must be a list of annotation ids"),
        ({"version": 0, "upsert": [box(id="a")], "delete": ["a"]}, BadRequestError, "both"),
        ({"version": 0, "upsert": [box(id="a"), box(id="a")]}, BadRequestError, "appears twice"),
        ({"version": 0, "colour": 1}, BadRequestError, "unknown field(s): colour"),
        ({"version": -1}, BadRequestError, "version must be the integer you read"),
        ({"version": 5, "upsert": [box()]}, ConflictError, "changed since version 5"),
    ],
)
def test_a_bad_patch_changes_nothing(recording, body, error, message):
    with pytest.raises(error) as refused:
        patch(recording, body)
    assert message in refused.value.message
    assert annotation_sets.get(owned_recording("ana", recording.id))["version"] == 0


def test_ten_thousand_boxes_span_several_chunks_and_read_back_whole(recording):
    boxes = [
        box(start_s=i * 0.0009, end_s=i * 0.0009 + 0.5, label=f"call {i}", notes=f"seen {i * 7919}")
        for i in range(annotations.MAX_ANNOTATIONS)
    ]
    replace(recording, {"annotations": boxes, "version": 0})
    assert len(chunks_of(recording.id)) > 1
    read = annotation_sets.get(owned_recording("ana", recording.id))["annotations"]
    assert [b["label"] for b in read] == [b["label"] for b in boxes]


def test_one_box_over_the_limit_is_refused(recording):
    boxes = [box() for _ in range(annotations.MAX_ANNOTATIONS + 1)]
    with pytest.raises(BadRequestError, match="at most 10000 annotations; this makes 10001"):
        replace(recording, {"annotations": boxes, "version": 0})


PUT, PATCH = '{"version":0,"annotations":[', '{"version":0,"upsert":['
TINY_BOX = '{"start_s":0,"end_s":1},'
TOO_MANY_BRACKETS = "JSON arrays and objects; a request takes at most 40003"
# (the change, the body, what the refusal says)
WORST_BODIES = {
    "PUT: boxes": (replace, filled(PUT, TINY_BOX, "{}]}"), TOO_MANY_BRACKETS),
    "PUT: empty objects": (replace, filled(PUT, "{},", "{}]}"), TOO_MANY_BRACKETS),
    "PUT: nested lists": (
        replace,
        filled(PUT, "[" * 500 + "]" * 500 + ",", "[]]}"),
        TOO_MANY_BRACKETS,
    ),
    "PUT: numbers": (
        replace,
        filled(PUT, "0,", "0]}"),
        "a recording holds at most 10000 annotations; this makes 2097137",
    ),
    "PUT: one box of many measurements": (
        replace,
        many_entries(PUT + '{"start_s":0,"end_s":1,"measurements":', "0", "}]}"),
        "annotations[0]: measurements has 426413 entries, over 50",
    ),
    "PATCH: upserted boxes": (patch, filled(PATCH, TINY_BOX, "{}]}"), "40003"),
    "PATCH: deleted ids": (
        patch,
        filled('{"version":0,"delete":[', '"ab",', '"ab"]}'),
        "delete lists 838856 ids; a recording holds at most 10000 annotations",
    ),
    "PATCH: deleted ids of one letter beyond Latin-1": (
        patch,
        filled('{"version":0,"delete":[', '"\u0100",', '"a"]}'),
        "delete lists 838856 ids",
    ),
}


@pytest.mark.parametrize(
    ("change", "body", "complaint"), WORST_BODIES.values(), ids=WORST_BODIES.keys()
)
def test_the_worst_bodies_are_refused_early_and_small(recording, change, body, complaint):
    def changing():
        # What app.py does with a request.
        parsed = validation.json_body(body, max_containers=annotations.MAX_BODY_CONTAINERS)
        change(recording, parsed)

    peak, refused = peak_of(changing)
    assert peak < EXTRA_MEMORY, f"{peak / 1e6:.0f} MB"
    assert isinstance(refused, BadRequestError), refused
    assert complaint in refused.message
    assert chunks_of(recording.id) == []


def test_the_largest_body_is_within_the_bodys_limits():
    boxes = [
        box(id=f"b{i}", measurements={"Peak Freq (Hz)": 1.0}, attributes={"call": "[{"})
        for i in range(annotations.MAX_ANNOTATIONS)
    ]
    body = {"version": 3, "upsert": boxes, "delete": []}
    raw = json.dumps(body).encode()
    assert validation.json_body(raw, max_containers=annotations.MAX_BODY_CONTAINERS) == body


def test_a_set_too_large_to_answer_is_refused(recording):
    notes = "n" * annotations.MAX_NOTES
    boxes = [box(notes=notes) for _ in range(annotations.MAX_SET_BYTES // annotations.MAX_NOTES)]
    with pytest.raises(TooLargeError, match="over the 5 MB"):
        replace(recording, {"annotations": boxes, "version": 0})
    assert chunks_of(recording.id) == []


def test_a_reader_pointed_at_a_replaced_set_reads_the_new_one(recording):
    replace(recording, {"annotations": [box(label="old")], "version": 0})
    outdated = owned_recording("ana", recording.id)
    replace(
        owned_recording("ana", recording.id),
        {"annotations": [box(label="new")], "version": 1},
    )
    # ``outdated`` still names the first set, whose chunks are gone.
    read = annotation_sets.get(outdated)
    assert (read["version"], [b["label"] for b in read["annotations"]]) == (2, ["new"])


def test_deleting_a_recording_deletes_every_chunk(recording):
    replace(recording, {"annotations": [box()], "version": 0})
    AnnotationChunkModel(recording.id, "orphan#00000", data=b"x").save()  # a crashed writer's
    chunks.delete_all(recording.id)
    assert chunks_of(recording.id) == []
