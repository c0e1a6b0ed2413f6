"""Reading BirdNET-Analyzer's selection tables and CSV."""

import pytest

from chalicelib.formats import FormatError, ImportedBox, read
from tests.annotation_files import fixture, read_by

box = read_by("birdnet")

ANALYSIS = {"frequency_band": "analysis"}


def test_a_v2_4_table_is_labelled_by_common_name_with_the_analysis_band_flagged():
    # Line 3 is BirdNET's "nocall" placeholder.
    assert read(fixture("birdnet_v2.4.BirdNET.selection.table.txt")) == (
        "birdnet",
        [
            ImportedBox(
                2,
                box(
                    0.0,
                    3.0,
                    low_hz=0.0,
                    high_hz=15000.0,
                    label="Eurasian Wren",
                    confidence=0.8123,
                    attributes={
                        "Species Code": "winwre4",
                        "Begin Path": "/data/dawn.wav",
                        "File Offset (s)": "0",
                        **ANALYSIS,
                    },
                ),
            ),
            ImportedBox(
                4,
                box(
                    6.0,
                    9.0,
                    low_hz=0.0,
                    high_hz=15000.0,
                    label="Common Chaffinch",
                    confidence=0.4567,
                    attributes={
                        "Species Code": "comcha",
                        "Begin Path": "/data/dawn.wav",
                        "File Offset (s)": "6.0",
                        **ANALYSIS,
                    },
                ),
            ),
        ],
    )


def test_a_newer_table_with_reordered_columns_keeps_the_scientific_name():
    _, boxes = read(fixture("birdnet_newer.BirdNET.selection.table.txt"))
    assert [(imported.line, imported.box) for imported in boxes] == [
        (
            2,
            box(
                0.0,
                3.0,
                low_hz=150.0,
                high_hz=12000.0,
                label="Eurasian Wren",
                confidence=0.8123,
                attributes={
                    "Scientific Name": "Troglodytes troglodytes",
                    "Species Code": "winwre4",
                    "Begin Path": "/data/dawn.wav",
                    "File Offset (s)": "0.0",
                    **ANALYSIS,
                },
            ),
        ),
        (
            4,
            box(
                6.0,
                9.0,
                low_hz=150.0,
                high_hz=12000.0,
                label="Common Chaffinch",
                confidence=0.4567,
                attributes={
                    "Scientific Name": "Fringilla coelebs",
                    "Species Code": "comcha",
                    "Begin Path": "/data/dawn.wav",
                    "File Offset (s)": "6.0",
                    **ANALYSIS,
                },
            ),
        ),
    ]


def test_the_csv_keeps_a_file_path_with_a_comma_whole_and_skips_nocall_rows():
    path = "/data/site 1, north/dawn.wav"
    assert read(fixture("birdnet.BirdNET.results.csv")) == (
        "birdnet",
        [
            ImportedBox(
                2,
                box(
                    0.0,
                    3.0,
                    label="Eurasian Wren",
                    confidence=0.8123,
                    attributes={"Scientific name": "Troglodytes troglodytes", "File": path},
                ),
            ),
            ImportedBox(
                4,
                box(
                    6.0,
                    9.0,
                    label="Common Chaffinch",
                    confidence=0.4567,
                    attributes={"Scientific name": "Fringilla coelebs", "File": path},
                ),
            ),
        ],
    )


def test_a_row_named_nocall_by_only_one_name_is_a_detection():
    data = (
        b"Start (s),End (s),Scientific name,Common name,Confidence\n"
        b"0,3,Nocallus nocallus,nocall,0.5\n"
    )
    _, [imported] = read(data)
    assert imported.box["label"] == "nocall"


def test_a_table_row_without_frequencies_is_not_flagged_as_a_band():
    data = (
        b"Begin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name"
        b"\tSpecies Code\tConfidence\n0\t3\t\t\tEurasian Wren\twinwre4\t0.5\n"
    )
    assert read(data) == (
        "birdnet",
        [
            ImportedBox(
                2,
                box(
                    0.0,
                    3.0,
                    label="Eurasian Wren",
                    confidence=0.5,
                    attributes={"Species Code": "winwre4"},
                ),
            )
        ],
    )


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (
            fixture("birdnet_v2.4.BirdNET.selection.table.txt").replace(b"0.4567", b"high"),
            "line 4: Confidence 'high' is not a number",
        ),
        (
            fixture("birdnet.BirdNET.results.csv").replace(b"6.0,9.0", b"6.0,"),
            "line 4: End (s) is empty",
        ),
        (
            fixture("birdnet.BirdNET.results.csv").replace(b"0.4567,", b"0.4567"),
            "line 4: Confidence '0.4567/data/site 1' is not a number",
        ),
    ],
)
def test_a_bad_row_refuses_the_file_naming_its_line(data, complaint):
    with pytest.raises(FormatError) as refused:
        read(data)
    assert str(refused.value) == complaint


def test_a_file_that_is_neither_table_nor_csv_is_not_a_birdnet_file():
    with pytest.raises(FormatError) as refused:
        read(fixture("raven_views.Table.1.selections.txt"), "birdnet")
    assert str(refused.value) == (
        "not a BirdNET file: no selection table header with 'Begin Time (s)', 'Species Code' "
        "and 'Confidence', nor a CSV header 'Start (s),End (s),...'"
    )
