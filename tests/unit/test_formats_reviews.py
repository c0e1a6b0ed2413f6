"""Decisions in files: every table format writes a box's review and reads it back, and a
project's export names each box's recording in one file."""

import csv
import io
import json

import pytest

from chalicelib.deployment_imports import AudioName
from chalicelib.formats import (
    PROJECT_EXPORT_FORMATS,
    FormatError,
    RecordingBoxes,
    read,
    write,
    write_project,
)
from tests.annotation_files import box, fixture

ACCEPTED = {
    "state": "accepted",
    "by": "ana",
    "at": "2026-12-07T12:00:00.000001Z",
    "label_before": "wren",
}
REJECTED = {"state": "rejected", "by": "bo", "at": "2026-12-07T12:01:00Z", "label_before": None}
# A detector's box a person relabelled and accepted, one rejected, one nobody reviewed.
RELABELLED = box(1.0, 2.0, label="robin", confidence=0.8, source="birdnet", review=ACCEPTED)
WRONG = box(3.0, 4.0, label="wren", confidence=0.3, source="birdnet", review=REJECTED)
UNREVIEWED = box(5.0, 6.0, label="wren", confidence=0.5, source="birdnet")


def export(boxes, format):
    return write(boxes, format, recording="dawn.wav", duration_s=60.0, nyquist_hz=24000.0)


def raven_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode()), delimiter="\t"))


def test_a_raven_table_has_review_columns_when_any_box_was_reviewed():
    rows = raven_rows(export([RELABELLED, WRONG, UNREVIEWED], "raven").data)
    assert list(rows[0])[-4:] == ["Review", "Reviewer", "Reviewed At", "Label Before"]
    assert [(row["Review"], row["Reviewer"], row["Label Before"]) for row in rows] == [
        ("accepted", "ana", "wren"),
        ("rejected", "bo", ""),
        ("", "", ""),
    ]
    assert rows[0]["Reviewed At"] == "2026-12-07T12:00:00.000001Z"
    header = export([UNREVIEWED], "raven").data.decode().split("\r\n")[0]
    assert "Review" not in header


@pytest.mark.parametrize("format", ["raven", "csv", "json"])
def test_reviews_come_back_from_every_format_that_writes_them(format):
    boxes = [RELABELLED, WRONG, UNREVIEWED]
    back = [imported.box for imported in read(export(boxes, format).data)[1]]
    assert [(one["label"], one["review"]) for one in back] == [
        ("robin", ACCEPTED),
        ("wren", REJECTED),
        ("wren", None),
    ]


def test_a_raven_review_written_by_hand_in_capitals_reads_as_the_state():
    table = (
        "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tAnnotation\tReview\tReviewer\r\n"
        "1\tSpectrogram 1\t1\t1.0\t2.0\twren\tAccepted\tana\r\n"
        "2\tSpectrogram 1\t1\t3.0\t4.0\twren\t\tana\r\n"
    )
    (_, first), (_, second) = [(i.line, i.box) for i in read(table.encode(), "raven")[1]]
    assert first["review"] == {"state": "accepted", "by": "ana", "at": None, "label_before": None}
    # No state, no review: a reviewer alone is not a decision (nor an attribute).
    assert (second["review"], second["attributes"]) == (None, {})


@pytest.mark.parametrize(
    "name",
    [
        "raven_views.Table.1.selections.txt",
        "third_party/opensoundscape_MSD-0003_20180427_2minstart00.Table.1.selections.txt",
        "birdnet_v2.4.BirdNET.selection.table.txt",
    ],
)
def test_a_table_from_raven_or_birdnet_without_review_columns_has_no_reviews(name):
    assert {imported.box["review"] for imported in read(fixture(name))[1]} == {None}


def test_a_csv_exported_before_the_review_column_was_named_review_still_reads():
    table = (
        "start_time,end_time,annotation,review_state,reviewer,reviewed_at,label_before\r\n"
        "1,2,robin,accepted,ana,2026-12-07T12:00:00.000001Z,wren\r\n"
    )
    (imported,) = read(table.encode(), "csv")[1]
    assert imported.box["review"] == ACCEPTED


# Two recordings of a project, the second sampled at 16 kHz and stored under a folder.
DAWN = RecordingBoxes([RELABELLED, WRONG], "dawn.wav", 60.0, 24000.0, "rec-1")
DUSK = RecordingBoxes([box(0.5, 0.75, label="owl")], "site 2/dusk.flac", 30.0, 8000.0, "rec-2")


def test_a_project_raven_table_names_each_box_file_and_numbers_selections_throughout():
    exported = write_project([DAWN, DUSK], "raven", project="Wrens/2026")
    assert (exported.filename, exported.content_type) == (
        "Wrens-2026.selections.txt",
        "text/plain; charset=utf-8",
    )
    rows = raven_rows(exported.data)
    assert list(rows[0])[:4] == ["Selection", "View", "Channel", "Begin File"]
    assert [(r["Selection"], r["Begin File"], r["Begin Time (s)"]) for r in rows] == [
        ("1", "dawn.wav", "1.000000"),
        ("2", "dawn.wav", "3.000000"),
        ("3", "dusk.flac", "0.500000"),
    ]
    # Each recording's own Nyquist frequency bounds its boxes without frequencies.
    assert rows[2]["High Freq (Hz)"] == "8000.0"


def test_a_project_raven_table_matches_its_recordings_when_dropped_on_the_project_again():
    imported = read(write_project([DAWN, DUSK], "raven", project="p").data)[1]
    names = [AudioName.of_row(item.box, "p.selections.txt").name for item in imported]
    assert names == ["dawn.wav", "dawn.wav", "dusk.flac"]


def test_a_begin_file_attribute_is_not_written_twice_in_a_project_table():
    stale = box(1.0, 2.0, label="x", attributes={"Begin File": "old name.wav", "Call": "song"})
    table = write_project([RecordingBoxes([stale], "new.wav")], "raven", project="p").data
    (row,) = raven_rows(table)
    assert (row["Begin File"], row["Call"]) == ("new.wav", "song")
    assert table.decode().split("\r\n")[0].count("Begin File") == 1


def test_a_project_csv_names_each_box_audio_file_and_recording_id():
    exported = write_project([DAWN, DUSK], "csv", project="Wrens")
    assert (exported.filename, exported.content_type) == (
        "Wrens.annotations.csv",
        "text/csv; charset=utf-8",
    )
    rows = list(csv.DictReader(io.StringIO(exported.data.decode())))
    assert [(r["audio_file"], r["recording_id"], r["review"]) for r in rows] == [
        ("dawn.wav", "rec-1", "accepted"),
        ("dawn.wav", "rec-1", "rejected"),
        ("dusk.flac", "rec-2", ""),
    ]
    # Read into one recording, the recording ids are not the boxes' attributes.
    assert {item.box["attributes"].get("recording_id") for item in read(exported.data)[1]} == {None}


def test_a_project_json_leads_each_box_with_its_recording_and_is_not_read_into_one():
    exported = write_project([DAWN, DUSK], "json", project="Wrens")
    document = json.loads(exported.data)
    assert (exported.filename, set(document)) == (
        "Wrens.annotations.json",
        {"project", "annotations"},
    )
    assert document["project"] == "Wrens"
    assert [(a["recording_id"], a["filename"], a["label"]) for a in document["annotations"]] == [
        ("rec-1", "dawn.wav", "robin"),
        ("rec-1", "dawn.wav", "wren"),
        ("rec-2", "site 2/dusk.flac", "owl"),
    ]
    assert document["annotations"][0]["review"] == ACCEPTED
    with pytest.raises(FormatError, match="a project's export, of several recordings"):
        read(exported.data)


def test_an_empty_project_exports_a_file_with_only_its_header():
    assert [write_project([], format, project="p").data for format in PROJECT_EXPORT_FORMATS] == [
        b"Selection\tView\tChannel\tBegin File\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)"
        b"\tHigh Freq (Hz)\tAnnotation\r\n",
        b"audio_file,annotation_file,annotation,start_time,end_time,low_f,high_f,confidence"
        b",channel,source,review,reviewer,reviewed_at,label_before,created_by,updated_by"
        b",updated_at,recording_id\r\n",
        b'{"project": "p", "annotations": []}\n',
    ]


def test_a_project_export_has_no_audacity_track():
    with pytest.raises(FormatError, match="one of raven, csv, json"):
        write_project([DAWN], "audacity", project="p")
