"""Every box signed: who created it, who changed it last and when, stamped by the server on
every write path (real moto tables), and carried by the files."""

from __future__ import annotations

import csv
import io
import itertools
import json

import pytest

from chalicelib import annotation_files, annotation_sets, chunks, clients, reviews
from chalicelib.clock import iso
from chalicelib.errors import BadRequestError
from chalicelib.formats import read, write
from chalicelib.models import RecordingModel
from chalicelib.recordings import Recordings, owned_recording
from tests.annotation_files import box as file_box

FIRST, LATER = 1_800_000_000.0, 1_800_000_600.0


@pytest.fixture
def recording(cloud_settings) -> RecordingModel:
    """A fresh 10 s, 44.1 kHz recording of ana's."""
    ticks = itertools.count(1_800_000_000)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )
    created = recordings.create("ana", {"filename": "dawn.wav", "size": 1, "content_type": ""})
    row = owned_recording("ana", created["recording"]["id"])
    row.update(actions=[RecordingModel.duration_s.set(10.0), RecordingModel.sample_rate.set(44100)])
    return row


def fresh(recording: RecordingModel) -> RecordingModel:
    return owned_recording("ana", recording.id)


def box(box_id: str, **fields) -> dict:
    return {"id": box_id, "start_s": 1.0, "end_s": 2.0, **fields}


def signature(b: dict) -> tuple:
    return b["created_by"], b["updated_by"], b["updated_at"]


def put(recording, boxes, *, version, user, at) -> dict:
    body = {"annotations": boxes, "version": version}
    return annotation_sets.replace(fresh(recording), body, user=user, clock=lambda: at)


def by_id(recording) -> dict[str, dict]:
    return {b["id"]: b for b in annotation_sets.get(fresh(recording))["annotations"]}


def test_a_new_box_is_created_and_updated_by_the_writer_now(recording):
    written = put(recording, [box("a")], version=0, user="ana", at=FIRST)
    assert signature(written["annotations"][0]) == ("ana", "ana", iso(FIRST))
    assert signature(by_id(recording)["a"]) == ("ana", "ana", iso(FIRST))


def test_a_changed_box_keeps_its_creator_and_an_unchanged_one_its_whole_signature(recording):
    put(recording, [box("a"), box("b")], version=0, user="ana", at=FIRST)
    read = by_id(recording)
    # bo saves the whole set back, having moved "b" only.
    put(recording, [read["a"], {**read["b"], "end_s": 3.0}], version=1, user="bo", at=LATER)
    stored = by_id(recording)
    assert signature(stored["a"]) == ("ana", "ana", iso(FIRST))
    assert signature(stored["b"]) == ("ana", "bo", iso(LATER))


def test_what_a_client_sends_as_signature_is_ignored(recording):
    forged = box("a", created_by="mallory", updated_by="mallory", updated_at="1999-01-01T00:00:00Z")
    written = put(recording, [forged], version=0, user="ana", at=FIRST)
    assert signature(written["annotations"][0]) == ("ana", "ana", iso(FIRST))
    # Sending the box back with another forged signature and nothing else changed: unchanged.
    again = {**by_id(recording)["a"], "created_by": "mallory", "updated_at": "2000-01-01T00:00Z"}
    put(recording, [again], version=1, user="bo", at=LATER)
    assert signature(by_id(recording)["a"]) == ("ana", "ana", iso(FIRST))


def test_a_patch_signs_what_it_upserts_and_leaves_the_rest(recording):
    put(recording, [box("a"), box("b")], version=0, user="ana", at=FIRST)
    body = {"version": 1, "upsert": [box("b", label="wren"), box("c")]}
    patched = annotation_sets.patch(fresh(recording), body, user="bo", clock=lambda: LATER)
    assert [signature(b) for b in patched["upserted"]] == [
        ("ana", "bo", iso(LATER)),
        ("bo", "bo", iso(LATER)),
    ]
    assert signature(by_id(recording)["a"]) == ("ana", "ana", iso(FIRST))


RAVEN = (
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tAnnotation\tAnnotator\r\n"
    "1\tSpectrogram 1\t1\t1.0\t2.0\twren\tjane\r\n"
    "2\tSpectrogram 1\t1\t3.0\t4.0\trobin\t\r\n"
)


def import_raven(recording, text: str, *, at: float = FIRST) -> dict:
    return annotation_files.import_file(
        fresh(recording), text.encode(), format="raven", mode="append", user="ana", clock=lambda: at
    )


def test_an_import_keeps_the_files_annotator_and_signs_the_rest_with_the_importer(recording):
    imported = import_raven(recording, RAVEN)["annotations"]
    assert [(b["label"], *signature(b)) for b in imported] == [
        ("wren", "jane", "ana", iso(FIRST)),
        ("robin", "ana", "ana", iso(FIRST)),
    ]


def test_an_annotator_too_long_for_a_name_is_refused(recording):
    long = RAVEN.replace("\tjane", "\t" + "j" * 101)
    with pytest.raises(BadRequestError, match="line 2: created_by is 101 characters, over 100"):
        import_raven(recording, long)


def test_a_review_decision_keeps_review_by_and_signs_the_box_updated(recording):
    wren = import_raven(recording, RAVEN)["annotations"][0]
    decision = {"recording_id": recording.id, "annotation_id": wren["id"], "state": "accepted"}
    reviews.decide("ana", {"decisions": [decision]}, clock=lambda: LATER)
    decided = by_id(recording)[wren["id"]]
    assert decided["review"]["by"] == "ana"
    assert signature(decided) == ("jane", "ana", iso(LATER))


def test_boxes_stored_before_signatures_read_back_with_an_empty_one(recording):
    data = chunks.encode([{**box("a", label="old"), "low_hz": None, "high_hz": None}])
    row = fresh(recording)
    chunks.switch(
        row,
        annotation_sets.ANNOTATIONS,
        data,
        actions=[RecordingModel.annotation_version.set(1)],
        condition=RecordingModel.annotation_version == 0,
    )
    (read,) = annotation_sets.get(fresh(recording))["annotations"]
    assert signature(read) == (None, None, None)


SIGNED = file_box(
    1.0,
    2.0,
    label="wren",
    source="raven",
    created_by="jane",
    updated_by="bo",
    updated_at="2027-01-15T08:10:00.000000Z",
)


def export(format: str) -> str:
    written = write([SIGNED], format, recording="dawn.wav", duration_s=10.0, nyquist_hz=22050.0)
    return written.data.decode()


def test_raven_writes_the_creator_as_annotator_and_reads_it_back():
    table = export("raven")
    header, row = (line.split("\t") for line in table.splitlines())
    assert dict(zip(header, row, strict=True))["Annotator"] == "jane"
    assert read(table.encode(), "raven")[1][0].box["created_by"] == "jane"


def test_our_csv_writes_the_whole_signature_and_reads_back_only_the_creator():
    table = export("csv")
    (row,) = csv.DictReader(io.StringIO(table))
    assert (row["created_by"], row["updated_by"], row["updated_at"]) == (
        "jane",
        "bo",
        "2027-01-15T08:10:00.000000Z",
    )
    (imported,) = read(table.encode(), "csv")[1]
    assert imported.box["created_by"] == "jane"
    assert imported.box["attributes"] == {}  # updated_by and updated_at are not kept


def test_our_json_writes_the_whole_signature_and_reads_back_only_the_creator():
    document = json.loads(export("json"))
    assert signature(document["annotations"][0]) == ("jane", "bo", "2027-01-15T08:10:00.000000Z")
    (imported,) = read(export("json").encode(), "json")[1]
    assert imported.box["created_by"] == "jane" and "updated_by" not in imported.box
