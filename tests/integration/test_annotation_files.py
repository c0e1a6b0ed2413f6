"""Annotation files over real HTTP: every export format and back, imports all-or-nothing."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest

from chalicelib.measurement_names import NAMES
from infra.local.harness import ApiUser
from tests.integration.test_pipeline import wav_bytes
from tests.worst_inputs import filled

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotations"
# What the export of each format is served as, and the end of its file name.
EXPORTS = {
    "raven": ("text/plain; charset=utf-8", "chorus.Table.1.selections.txt"),
    "audacity": ("text/plain; charset=utf-8", "chorus.labels.txt"),
    "csv": ("text/csv; charset=utf-8", "chorus.annotations.csv"),
    "json": ("application/json", "chorus.annotations.json"),
}
BOXES = [
    {
        "start_s": 0.25,
        "end_s": 1.5,
        "low_hz": 1200.0,
        "high_hz": 4800.5,
        "label": "trill, high",
        "confidence": 0.75,
    },
    {"start_s": 1.0, "end_s": 2.75, "low_hz": 300.0, "high_hz": 900.0, "label": "croak"},
    # Points: over a band, and at one frequency (a point selection in Raven's spectrogram).
    {"start_s": 2.0, "end_s": 2.0, "low_hz": 1000.0, "high_hz": 6000.0, "label": "click"},
    {"start_s": 2.5, "end_s": 2.5, "low_hz": 2500.0, "high_hz": 2500.0, "label": "tick"},
]
# An Audacity label track as it was refused: a point label on line 3, after a region label
# and its frequency line; then a point label written as Audacity also reads one, time<TAB>text.
POINT_LABELS = (
    b"0.500000\t1.000000\tcall\n\\\t300.000000\t900.000000\n2.000000\t2.000000\tsnap\n2.5\tpop\n"
)
# How each export writes the point "snap" (2 s, no frequencies, imported from an Audacity
# file) of a 22.05 kHz recording: Raven as a waveform point selection, over the whole band;
# Raven and CSV with its 13 measurements between the box and its source, or after it (SNR is
# empty: a point has no louder part than its surroundings).
NUMBER = r"-?[0-9.e+-]+"


def measured(sep: str) -> str:
    return f"({sep}{NUMBER}){{12}}{sep}({NUMBER})?"


WRITTEN_POINT = {
    "raven": r"\t1\t2\.000000\t2\.000000\t0\.0\t11025\.0\tsnap"
    + measured("\t")
    + r"\taudacity\talice\r\n",
    "audacity": re.escape("\n2.000000\t2.000000\tsnap\n"),
    "csv": re.escape(",snap,2.0,2.0,,,,1,audacity,,,,,alice,alice,")
    + r"[0-9T:.-]+Z"
    + measured(",")
    + r"\r\n",
    "json": re.escape(
        '{"start_s": 2.0, "end_s": 2.0, "low_hz": null, "high_hz": null, "label": "snap",'
    ),
}


def wait_until_measured(user: ApiUser, recording_id: str, timeout_s: float = 60) -> None:
    """Until the worker has measured every box of the recording (its measure task)."""
    give_up = time.monotonic() + timeout_s
    while user.request("GET", f"/recordings/{recording_id}/measurements").json()["pending"]:
        assert time.monotonic() < give_up, f"{recording_id}: boxes still unmeasured"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def chorus(alice: ApiUser) -> dict:
    """A decoded 3 s, 22.05 kHz recording of alice's holding BOXES (version 1)."""
    recording = alice.upload("chorus.wav", wav_bytes(3.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    put = alice.request(
        "PUT",
        f"/recordings/{recording['id']}/annotations",
        json={"annotations": BOXES, "version": 0},
    )
    assert put.status_code == 200, put.text
    return recording


@pytest.fixture(scope="module")
def points(alice: ApiUser) -> dict:
    """A decoded 3 s, 22.05 kHz recording of alice's into which POINT_LABELS were imported:
    the recording and the import's answer."""
    recording = alice.upload("points.wav", wav_bytes(3.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    answer = import_file(alice, recording["id"], POINT_LABELS)
    assert answer.status_code == 200, answer.text
    return {"recording": recording, "imported": answer.json()}


def empty(api: ApiUser) -> str:
    """A recording without annotations (never uploaded, so its bounds are not known)."""
    body = {"filename": "empty.wav", "size": 10, "content_type": ""}
    return api.request("POST", "/recordings", json=body).json()["recording"]["id"]


def export(api: ApiUser, recording_id: str, format: str):
    return api.request(
        "GET", f"/recordings/{recording_id}/annotations/export", params={"format": format}
    )


def import_file(api: ApiUser, recording_id: str, data: bytes, **params):
    return api.request(
        "POST",
        f"/recordings/{recording_id}/annotations/import",
        params=params,
        data=data,
        headers={"Content-Type": "application/octet-stream"},
    )


def without_ids(boxes: list[dict]) -> list[dict]:
    return [{k: v for k, v in box.items() if k != "id"} for box in boxes]


@pytest.mark.parametrize("format", EXPORTS)
def test_an_export_is_a_named_download(alice: ApiUser, chorus, format):
    answer = export(alice, chorus["id"], format)
    assert answer.status_code == 200, answer.text
    content_type, filename = EXPORTS[format]
    assert answer.headers["Content-Type"] == content_type
    assert answer.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "croak" in answer.text


def test_the_raven_export_is_a_selection_table(alice: ApiUser, chorus):
    lines = export(alice, chorus["id"], "raven").content.split(b"\r\n")
    # Then the computed measurements, once the worker has measured the boxes.
    assert lines[0].split(b"\t")[:9] == [
        b"Selection",
        b"View",
        b"Channel",
        b"Begin Time (s)",
        b"End Time (s)",
        b"Low Freq (Hz)",
        b"High Freq (Hz)",
        b"Annotation",
        b"Confidence",
    ]
    assert lines[1].split(b"\t")[:5] == [b"1", b"Spectrogram 1", b"1", b"0.250000", b"1.500000"]


@pytest.mark.parametrize("format", EXPORTS)
def test_every_export_imports_back_to_the_same_boxes(alice: ApiUser, chorus, format):
    exported = export(alice, chorus["id"], format).content
    original = alice.request("GET", f"/recordings/{chorus['id']}/annotations").json()
    target = empty(alice)
    answer = import_file(alice, target, exported)  # the format detected from the content
    assert answer.status_code == 200, answer.text
    assert answer.json()["format"] == format and answer.json()["version"] == 1
    back = without_ids(answer.json()["annotations"])
    expected = without_ids(original["annotations"])
    # The import is a new write: every box updated at its time (created_by read back).
    (written_at,) = {box.pop("updated_at") for box in back}
    assert all(written_at > box.pop("updated_at") for box in expected)
    for box in expected:
        # Imported boxes are measured again, not taken from the file.
        box["measurements"] = {
            name: value for name, value in box["measurements"].items() if name not in NAMES
        }
        # A box from a file that names no source is that format's (our JSON keeps null).
        if format != "json":
            box["source"] = format
    if format == "audacity":  # a label track keeps times, frequencies and label only
        for box in expected:
            box["confidence"] = None
    assert back == expected


def test_audacity_point_labels_import_as_points(points):
    imported = points["imported"]
    assert (imported["format"], imported["imported"]) == ("audacity", 3)
    assert [
        (box["start_s"], box["end_s"], box["low_hz"], box["high_hz"], box["label"])
        for box in imported["annotations"]
    ] == [
        (0.5, 1.0, 300.0, 900.0, "call"),
        (2.0, 2.0, None, None, "snap"),
        (2.5, 2.5, None, None, "pop"),
    ]


@pytest.mark.parametrize("format", EXPORTS)
def test_a_point_is_exported_as_a_point_and_imports_back(alice: ApiUser, points, format):
    recording_id = points["recording"]["id"]
    wait_until_measured(alice, recording_id)
    exported = export(alice, recording_id, format)
    assert re.search(WRITTEN_POINT[format], exported.text), exported.text
    answer = import_file(alice, empty(alice), exported.content)
    assert answer.status_code == 200, answer.text
    back = [(box["start_s"], box["end_s"], box["label"]) for box in answer.json()["annotations"]]
    assert back == [(0.5, 1.0, "call"), (2.0, 2.0, "snap"), (2.5, 2.5, "pop")]
    # Raven has no point without frequencies: it comes back over the whole band.
    band = (0.0, 11025.0) if format == "raven" else (None, None)
    assert [(box["low_hz"], box["high_hz"]) for box in answer.json()["annotations"][1:]] == [
        band
    ] * 2


def test_a_raven_point_selection_imports_as_a_point(alice: ApiUser):
    table = (
        b"Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\n"
        b"1\tSpectrogram 1\t1\t1.25\t1.25\t2500.0\t2500.0\n"
        b"2\tWaveform 1\t1\t1.5\t1.5\t0.0\t11025.0\n"
    )
    answer = import_file(alice, empty(alice), table)
    assert answer.status_code == 200, answer.text
    assert [
        (box["start_s"], box["end_s"], box["low_hz"], box["high_hz"])
        for box in answer.json()["annotations"]
    ] == [(1.25, 1.25, 2500.0, 2500.0), (1.5, 1.5, 0.0, 11025.0)]


def test_append_adds_and_replace_swaps(alice: ApiUser):
    target = empty(alice)
    line = b"0.5\t1.0\tfirst\n"
    assert import_file(alice, target, line).json()["version"] == 1
    appended = import_file(alice, target, b"2.0\t3.0\tsecond\n", format="audacity")
    assert [b["label"] for b in appended.json()["annotations"]] == ["first", "second"]
    replaced = import_file(alice, target, b"4.0\t5.0\tthird\n", mode="replace")
    assert [b["label"] for b in replaced.json()["annotations"]] == ["third"]
    read = alice.request("GET", f"/recordings/{target}/annotations").json()
    assert (read["version"], [b["label"] for b in read["annotations"]]) == (3, ["third"])


@pytest.mark.parametrize(
    ("data", "params", "complaint"),
    [
        (b"0.5\t1.0\tok\nsoon\t1.0\tbad\n", {}, "not imported: line 2: "),
        (b"0.5\t1.0\tok\n2.0\t3.5\tpast the end\n", {}, "not imported: line 2: end_s 3.5 is past"),
        (b"2.0\t1.0\tbackwards\n", {}, "not imported: line 1: it ends at 1 s, before it starts"),
        (b"3.5\t3.5\tpoint\n", {}, "not imported: line 1: end_s 3.5 is past the recording's end"),
        (b"0.5\t1.0\tok\n", {"format": "raven"}, "no 'Begin Time (s)' column"),
        (b"0.5\t1.0\tok\n", {"format": "praat"}, "format must be one of raven, birdnet,"),
        (b"0.5\t1.0\tok\n", {"mode": "merge"}, "mode must be one of append, replace"),
        (b"", {}, "the request body is empty"),
        (b"\x00\x01\x02binary", {}, "not a text file"),
    ],
)
def test_a_bad_file_is_400_and_imports_nothing(alice: ApiUser, chorus, data, params, complaint):
    before = alice.request("GET", f"/recordings/{chorus['id']}/annotations").json()
    answer = import_file(alice, chorus["id"], data, **params)
    assert answer.status_code == 400, answer.text
    assert complaint in answer.json()["error"]
    assert alice.request("GET", f"/recordings/{chorus['id']}/annotations").json() == before


def test_a_file_over_the_import_limit_is_413_and_imports_nothing(alice: ApiUser, chorus):
    before = alice.request("GET", f"/recordings/{chorus['id']}/annotations").json()
    answer = import_file(alice, chorus["id"], b"0.5\t1.0\tok\n" * 400_000)  # 4.4 MB
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"] == "the file is 4.4 MB; import files up to 4 MiB"
    assert alice.request("GET", f"/recordings/{chorus['id']}/annotations").json() == before


def test_an_export_format_must_be_named(alice: ApiUser, chorus):
    for params in ({}, {"format": "birdnet"}):
        answer = alice.request(
            "GET", f"/recordings/{chorus['id']}/annotations/export", params=params
        )
        assert answer.status_code == 400
        assert "format must be one of raven, audacity, csv, json" in answer.json()["error"]


def test_a_utf16_raven_table_from_windows_imports(alice: ApiUser):
    data = (FIXTURES / "raven_utf16.Table.1.selections.txt").read_bytes()
    answer = import_file(alice, empty(alice), data)
    assert answer.status_code == 200, answer.text
    assert answer.json()["format"] == "raven" and answer.json()["imported"] > 0


def test_birdnets_own_table_imports_with_the_band_flagged(alice: ApiUser):
    name = "BirdNET-Analyzer_SNAPSHOT.analyze__main.case1.expected.table.txt"
    data = (FIXTURES / "third_party" / name).read_bytes()
    answer = import_file(alice, empty(alice), data)
    assert answer.status_code == 200, answer.text
    boxes = answer.json()["annotations"]
    assert answer.json()["format"] == "birdnet" and boxes
    assert all(box["attributes"]["frequency_band"] == "analysis" for box in boxes)
    assert all(box["confidence"] is not None for box in boxes)


def test_another_users_files_are_404(alice: ApiUser, bob: ApiUser, chorus):
    assert export(bob, chorus["id"], "raven").status_code == 404
    assert import_file(bob, chorus["id"], b"0.5\t1.0\tmine now\n").status_code == 404
    assert alice.request("GET", f"/recordings/{chorus['id']}/annotations").json()["version"] == 1


def test_4_mib_of_tiny_lines_is_400_before_any_box_is_made(alice: ApiUser, chorus):
    before = alice.request("GET", f"/recordings/{chorus['id']}/annotations").json()
    answer = import_file(alice, chorus["id"], filled("", "0\n"))  # 2 097 152 lines
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == (
        "not imported: the file has 2097153 lines; 10000 annotations take at most 50001"
    )
    assert alice.request("GET", f"/recordings/{chorus['id']}/annotations").json() == before


def test_a_formula_label_is_quoted_in_a_table_and_imports_back_as_it_was(alice: ApiUser):
    recording_id = empty(alice)
    label = '=HYPERLINK("https://example.org","calls")'
    box = {"start_s": 0.5, "end_s": 1.0, "label": label}
    body = {"annotations": [box], "version": 0}
    alice.request("PUT", f"/recordings/{recording_id}/annotations", json=body)
    exported = export(alice, recording_id, "csv")
    assert list(csv.reader(io.StringIO(exported.text)))[1][2] == f"'{label}"
    assert export(alice, recording_id, "json").json()["annotations"][0]["label"] == label
    back = import_file(alice, empty(alice), exported.content)
    assert back.status_code == 200, back.text
    assert back.json()["annotations"][0]["label"] == label
