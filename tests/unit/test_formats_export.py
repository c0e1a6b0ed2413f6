"""Writing annotations as Raven, Audacity, CSV and JSON files, and reading them back."""

import json

import pytest

from chalicelib.formats import EXPORT_FORMATS, Export, FormatError, read, write
from chalicelib.measurement_names import NAMES
from tests.annotation_files import box, read_by

FROG = box(
    1.5,
    2.25,
    low_hz=500.0,
    high_hz=1234.567,
    label="frog, green",
    confidence=0.9,
    notes="by the pond",
    measurements={"Peak Freq (Hz)": 812.5, "Delta Time (s)": 0.75},
    attributes={"Call Type": "advertisement", "frequency_band": "analysis"},
    channel=2,
)
# No frequencies; a label with a TAB, a quote and a line break.
CLICK = box(3.0, 3.000001, label='click\t"sharp"\nloud')
# A detector's proposal a person accepted, relabelling it.
REVIEWED = {
    "source": "detector:frogs",
    "review": {
        "state": "accepted",
        "by": "ana",
        "at": "2026-12-07T12:00:00+00:00",
        "label_before": "frogs",
    },
}


def export(boxes, format, *, recording="field/2026/dawn chorus.wav", nyquist_hz=22050.0):
    return write(boxes, format, recording=recording, duration_s=60.0, nyquist_hz=nyquist_hz)


def test_a_raven_table_has_the_box_columns_then_confidence_measurements_attributes_notes():
    assert export([FROG, CLICK], "raven") == Export(
        (
            b"Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"
            b"\tAnnotation\tConfidence\tDelta Time (s)\tPeak Freq (Hz)\tCall Type\tNotes\r\n"
            b"1\tSpectrogram 1\t2\t1.500000\t2.250000\t500.0\t1234.567\tfrog, green\t0.9\t0.75"
            b"\t812.5\tadvertisement\tby the pond\r\n"
            b'2\tSpectrogram 1\t1\t3.000000\t3.000001\t0.0\t22050.0\tclick "sharp" loud'
            b"\t\t\t\t\t\r\n"
        ),
        "text/plain; charset=utf-8",
        "dawn chorus.Table.1.selections.txt",
    )


def test_raven_measurement_columns_are_the_computed_ones_in_order_then_the_others():
    measured = box(
        0.5,
        1.0,
        measurements={"Avg Power Density (dB FS/Hz)": -60.0, **{name: 1.0 for name in NAMES}},
    )
    header = export([measured, FROG], "raven").data.decode().split("\r\n")[0].split("\t")
    assert header[9:] == [*NAMES, "Avg Power Density (dB FS/Hz)", "Call Type", "Notes"]


def test_a_raven_table_of_boxes_without_extras_has_only_the_box_columns():
    data = export([box(0.5, 1.0, low_hz=None, high_hz=8000.0)], "raven", nyquist_hz=None).data
    assert data.decode() == (
        "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"
        "\tAnnotation\r\n1\tSpectrogram 1\t1\t0.500000\t1.000000\t0.0\t8000.0\t\r\n"
    )


def test_raven_columns_the_reader_would_take_for_the_box_are_not_written():
    shadowing = box(
        0.5,
        1.0,
        measurements={"Begin Time (s)": 9.0, "Score": 0.2, "Rate (Hz)": 3.0},
        attributes={"annotation": "x", "File Offset (s)": "7", "rate (hz)": "fast"},
    )
    header = export([shadowing], "raven").data.decode().split("\r\n")[0].split("\t")
    assert header[8:] == ["Rate (Hz)"]


def test_a_box_without_frequencies_comes_back_from_raven_as_the_full_band():
    boxes = [box(0.5, 1.0, label="frog"), box(2.0, 3.0, label="toad")]
    back = [imported.box for imported in read(export(boxes, "raven").data)[1]]
    assert back == [
        read_by("raven")(0.5, 1.0, low_hz=0.0, high_hz=22050.0, label="frog"),
        read_by("raven")(2.0, 3.0, low_hz=0.0, high_hz=22050.0, label="toad"),
    ]
    without_nyquist = read(export(boxes, "raven", nyquist_hz=None).data)[1]
    assert [imported.box for imported in without_nyquist] == [
        {**box, "source": "raven"} for box in boxes
    ]


def test_raven_round_trip():
    boxes = [
        {**FROG, "attributes": {"Call Type": "advertisement"}, "source": "detector:frogs"},
        box(4.0, 4.5, low_hz=100.0, high_hz=900.0, label="toad", channel=1, source="birdnet"),
    ]
    assert [imported.box for imported in read(export(boxes, "raven").data)[1]] == boxes


def test_a_raven_table_names_the_source_of_each_box_when_any_has_one():
    boxes = [{**FROG, "source": "detector:frogs"}, CLICK]
    table = export(boxes, "raven").data.decode().split("\r\n")
    assert [line.split("\t")[-1] for line in table[:3]] == ["Source", "detector:frogs", ""]
    # A box whose Source cell is empty came from this table, as any imported box does.
    assert [imported.box["source"] for imported in read(export(boxes, "raven").data)[1]] == [
        "detector:frogs",
        "raven",
    ]


def test_raven_measurement_columns_put_the_computed_ones_first_in_their_order():
    measured = box(
        0.5,
        1.0,
        measurements={"SNR (dB)": 3.0, "Avg Power (dB)": -40.0, "Peak Freq (Hz)": 900.0},
    )
    header = export([measured], "raven").data.decode().split("\r\n")[0].split("\t")
    assert header[8:] == ["Peak Freq (Hz)", "SNR (dB)", "Avg Power (dB)"]


def test_an_audacity_track_has_a_frequency_line_with_minus_one_for_a_missing_side():
    assert export([FROG, CLICK, box(5.0, 6.0, high_hz=900.0)], "audacity") == Export(
        (
            b"1.500000\t2.250000\tfrog, green\n"
            b"\\\t500.000000\t1234.567000\n"
            b'3.000000\t3.000001\tclick "sharp" loud\n'
            b"5.000000\t6.000000\t\n"
            b"\\\t-1.000000\t900.000000\n"
        ),
        "text/plain; charset=utf-8",
        "dawn chorus.labels.txt",
    )


def test_audacity_round_trip():
    boxes = [
        box(0.5, 1.25, low_hz=500.0, high_hz=1500.0, label="frog"),
        box(2.0, 2.5, label="cricket"),
        box(3.0, 3.0, label="click"),
        box(4.0, 5.0, low_hz=250.5, label="toad"),
    ]
    assert [imported.box for imported in read(export(boxes, "audacity").data)[1]] == [
        {**box, "source": "audacity"} for box in boxes
    ]


def test_our_csv_names_the_audio_and_itself_and_quotes_as_rfc_4180():
    assert export([FROG, CLICK], "csv") == Export(
        (
            b"audio_file,annotation_file,annotation,start_time,end_time,low_f,high_f,confidence"
            b",channel,source,review,reviewer,reviewed_at,label_before"
            b",created_by,updated_by,updated_at,Delta Time (s),Peak Freq (Hz)\r\n"
            b'dawn chorus.wav,dawn chorus.annotations.csv,"frog, green",1.5,2.25,500.0,1234.567'
            b",0.9,2,,,,,,,,,0.75,812.5\r\n"
            b'dawn chorus.wav,dawn chorus.annotations.csv,"click\t""sharp""\nloud",3.0,3.000001'
            b",,,,1,,,,,,,,,,\r\n"
        ),
        "text/csv; charset=utf-8",
        "dawn chorus.annotations.csv",
    )


def test_csv_round_trip():
    boxes = [
        {**FROG, "notes": None, "measurements": {}, "attributes": {}, **REVIEWED},
        {**CLICK, "source": "birdnet"},
    ]
    assert [imported.box for imported in read(export(boxes, "csv").data)[1]] == boxes


def test_a_csv_without_sources_reads_back_as_csv_imports_without_its_computed_columns():
    boxes = [box(0.5, 1.0, measurements={"Peak Freq (Hz)": 900.0})]
    assert [imported.box for imported in read(export(boxes, "csv").data)[1]] == [
        read_by("csv")(0.5, 1.0)
    ]


def test_a_json_document_names_the_recording_and_leaves_ids_out():
    document = json.loads(export([{**FROG, "id": "a1"}, CLICK], "json").data)
    assert document == {
        "recording": "dawn chorus.wav",
        "duration_s": 60.0,
        "annotations": [{**box, "updated_by": None, "updated_at": None} for box in (FROG, CLICK)],
    }
    assert export([], "json").data == (
        b'{"recording": "dawn chorus.wav", "duration_s": 60.0, "annotations": []}\n'
    )


def test_json_round_trip():
    exported = export([{**FROG, **REVIEWED}, CLICK], "json")
    assert (exported.content_type, exported.filename) == (
        "application/json",
        "dawn chorus.annotations.json",
    )
    # Our JSON keeps a person's box (source null) a person's.
    assert [imported.box for imported in read(exported.data)[1]] == [{**FROG, **REVIEWED}, CLICK]


@pytest.mark.parametrize(
    ("recording", "stem"),
    [
        ("dawn.wav", "dawn"),
        ("C:\\Users\\ana\\pond 3.flac", "pond 3"),
        ("site/2026/frog.call.mp3", "frog.call"),
        ('say "hi"\r\n.wav', 'say "hi"\r\n'),
        ("no extension", "no extension"),
        ("", "recording"),
    ],
)
def test_the_file_is_named_after_the_recordings_stem(recording, stem):
    assert [export([], format, recording=recording).filename for format in EXPORT_FORMATS] == [
        f"{stem}.Table.1.selections.txt",
        f"{stem}.labels.txt",
        f"{stem}.annotations.csv",
        f"{stem}.annotations.json",
    ]


@pytest.mark.parametrize("format", ["birdnet", "txt"])
def test_an_unknown_export_format_is_refused(format):
    with pytest.raises(FormatError) as refused:
        export([], format)
    assert str(refused.value) == (
        f"unknown export format '{format}': one of raven, audacity, csv, json"
    )


@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_ten_thousand_boxes_are_written_and_read_back(format):
    # How fast is the bench's business (make bench: annotations rows), not a timed test's.
    boxes = [
        box(
            i * 0.5,
            i * 0.5 + 0.25,
            low_hz=100.0 + i % 50,
            high_hz=5000.0,
            label=f"species {i % 7}",
            confidence=0.5,
        )
        for i in range(10_000)
    ]
    _, back = read(export(boxes, format).data)
    assert len(back) == 10_000
    assert [back[-1].box[key] for key in ("start_s", "end_s", "label")] == [
        4999.5,
        4999.75,
        "species 3",
    ]
