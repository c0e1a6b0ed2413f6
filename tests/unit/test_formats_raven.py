"""Reading Raven Pro / Raven Lite selection tables."""

import pytest

from chalicelib.formats import FormatError, ImportedBox, read
from tests.annotation_files import fixture, read_by

box = read_by("raven")

HEADER = "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"


def table(*rows: str, header: str = HEADER) -> bytes:
    return "".join(f"{line}\r\n" for line in (header, *rows)).encode()


def test_a_selection_shown_in_several_views_is_one_box_from_its_spectrogram_row():
    # Selection 1 and selection 2 (channel 1) come from their Spectrogram rows (lines 3 and
    # 5, with the spectrogram's measurements); selection 2 on channel 2 is a box of its own;
    # selection 3 is shown only in the waveform and kept from there.
    assert read(fixture("raven_views.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(
                3,
                box(
                    1.25,
                    2.5,
                    low_hz=1200.0,
                    high_hz=4800.5,
                    label="WOTH",
                    notes="first of the dawn",
                    measurements={
                        "Delta Time (s)": 1.25,
                        "Peak Freq (Hz)": 3187.5,
                        "Avg Power Density (dB FS/Hz)": -61.2,
                        "Dur 90% (s)": 1.1,
                    },
                    attributes={"Peak Freq Contour (Hz)": "3100;3187.5;3200", "Call Type": "song"},
                ),
            ),
            ImportedBox(
                5,
                box(
                    3.0,
                    3.75,
                    low_hz=2500.0,
                    high_hz=6000.0,
                    label="EATO",
                    measurements={
                        "Delta Time (s)": 0.75,
                        "Peak Freq (Hz)": 4000.0,
                        "Avg Power Density (dB FS/Hz)": -58.0,
                        "Dur 90% (s)": 0.6,
                    },
                ),
            ),
            ImportedBox(
                6,
                box(
                    3.1,
                    3.8,
                    low_hz=2600.0,
                    high_hz=6100.0,
                    label="EATO",
                    measurements={
                        "Delta Time (s)": 0.7,
                        "Peak Freq (Hz)": 4100.0,
                        "Avg Power Density (dB FS/Hz)": -59.5,
                        "Dur 90% (s)": 0.6,
                    },
                    attributes={"Call Type": "call"},
                    channel=2,
                ),
            ),
            ImportedBox(
                7,
                box(
                    5.0,
                    5.5,
                    low_hz=0.0,
                    high_hz=22050.0,
                    label="WOTH",
                    measurements={"Delta Time (s)": 0.5, "Max Amp (U)": 900.0},
                ),
            ),
        ],
    )


def test_a_selection_number_seen_again_in_the_same_view_is_another_box():
    # Two tables joined by hand, both numbering from 1: line 4 starts a second selection 1,
    # whose Spectrogram row (line 5) replaces its Waveform row.
    data = table(
        "1\tWaveform 1\t1\t1\t2\t100\t200",
        "1\tSpectrogram 1\t1\t1\t2\t100\t200",
        "1\tWaveform 1\t1\t5\t6\t300\t400",
        "1\tSpectrogram 1\t1\t5\t6\t300\t400",
    )
    assert [(imported.line, imported.box["start_s"]) for imported in read(data)[1]] == [
        (3, 1.0),
        (5, 5.0),
    ]


def test_without_a_view_column_every_row_is_a_box():
    data = table("1\t1\t2", "1\t3\t4", header="Selection\tBegin Time (s)\tEnd Time (s)")
    assert read(data) == ("raven", [ImportedBox(2, box(1.0, 2.0)), ImportedBox(3, box(3.0, 4.0))])


def test_short_rows_are_padded_and_a_header_may_end_in_a_tab():
    assert read(fixture("raven_ragged.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(2, box(0.5, 1.5, low_hz=500.0, high_hz=1500.0, label="frog")),
            ImportedBox(4, box(2.0, 3.0)),
            ImportedBox(6, box(4.0, 5.0, label="toad", notes="near the pond")),
        ],
    )


def test_a_table_over_several_files_places_each_box_at_its_file_offset():
    path = "D:\\field\\site1\\"
    assert read(fixture("raven_multifile.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(
                2,
                box(
                    10.0,
                    11.5,
                    low_hz=1000.0,
                    high_hz=3000.0,
                    label="owl",
                    attributes={
                        "Begin Path": f"{path}A_0600.wav",
                        "Begin File": "A_0600.wav",
                        "File Offset (s)": "10.000000",
                    },
                ),
            ),
            ImportedBox(
                3,
                box(
                    5.25,
                    6.0,
                    low_hz=800.0,
                    high_hz=2400.0,
                    label="owl",
                    attributes={
                        "Begin Path": f"{path}A_0601.wav",
                        "Begin File": "A_0601.wav",
                        "File Offset (s)": "5.250000",
                    },
                ),
            ),
        ],
    )


def test_numbers_written_with_a_decimal_comma_are_read():
    assert read(fixture("raven_comma_decimals.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(
                2,
                box(
                    1.25,
                    2.5,
                    low_hz=1200.5,
                    high_hz=4800.0,
                    label="Grünfrosch",
                    measurements={"Delta Time (s)": 1.25},
                ),
            )
        ],
    )


@pytest.mark.parametrize(
    ("columns", "label"),
    [
        ("Species\tAnnotation\tLabel", "from Annotation"),
        ("Label\tCommon Name\tSpecies", "from Species"),
        ("Species Code\tCommon Name\tCall Type", "from Common Name"),
        ("Call Type\tSpecies Code\tOther", "from Species Code"),
    ],
)
def test_the_label_is_the_first_present_of_the_label_columns(columns, label):
    names = columns.split("\t")
    cells = "\t".join(f"from {name}" for name in names)
    _, [imported] = read(
        table(f"1\tSpectrogram 1\t1\t1\t2\t\t\t{cells}", header=f"{HEADER}\t{columns}")
    )
    assert imported.box["label"] == label
    assert imported.box["attributes"] == {
        name: f"from {name}" for name in names if f"from {name}" != label
    }


@pytest.mark.parametrize("name", ["Confidence", "Score"])
def test_the_confidence_is_read_from_confidence_or_score(name):
    _, [imported] = read(table("1\tSpectrogram 1\t1\t1\t2\t\t\t0,75", header=f"{HEADER}\t{name}"))
    assert imported.box["confidence"] == 0.75


def test_columns_are_found_by_name_in_any_order_and_case_with_frequency_aliases():
    data = table(
        "2.5\tfrog\t1.5\t300\t2000\t2",
        header="end time (s)\tANNOTATION\tBegin Time (s)\tLow Frequency (Hz)\tHigh Frequency (Hz)"
        "\tChannel",
    )
    assert read(data) == (
        "raven",
        [ImportedBox(2, box(1.5, 2.5, low_hz=300.0, high_hz=2000.0, label="frog", channel=2))],
    )


def test_a_number_in_a_column_without_a_unit_is_an_attribute_and_text_under_a_unit_too():
    _, [imported] = read(
        table("1\tSpectrogram 1\t1\t1\t2\t\t\t17\tn/a", header=f"{HEADER}\tRank\tPeak Freq (Hz)")
    )
    assert imported.box["measurements"] == {}
    assert imported.box["attributes"] == {"Rank": "17", "Peak Freq (Hz)": "n/a"}


def test_a_table_with_only_its_header_has_no_boxes():
    assert read(table()) == ("raven", [])


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("2\tSpectrogram 1\t1\t1.0\t1.2.3\t\t", "line 3: End Time (s) '1.2.3' is not a number"),
        ("2\tSpectrogram 1\t1\t\t2\t\t", "line 3: Begin Time (s) is empty"),
        ("2\tSpectrogram 1\t1\t-1\t2\t\t", "line 3: Begin Time (s) -1 is negative"),
        ("2\tSpectrogram 1\t1\tnan\t2\t\t", "line 3: Begin Time (s) 'nan' is not a number"),
        ("2\tSpectrogram 1\t1\t1\tinf\t\t", "line 3: End Time (s) 'inf' is not a number"),
        ("2\tSpectrogram 1\t1\t3\t2\t\t", "line 3: it ends at 2 s, before it starts at 3 s"),
        ("2\tSpectrogram 1\t1\t1\t2\t-5\t", "line 3: Low Freq (Hz) -5 is negative"),
        (
            "2\tSpectrogram 1\tleft\t1\t2\t\t",
            "line 3: Channel 'left' is not a channel number (1, 2, ...)",
        ),
        (
            "2\tSpectrogram 1\t0\t1\t2\t\t",
            "line 3: Channel '0' is not a channel number (1, 2, ...)",
        ),
        ("2\tSpectrogram 1\t1\t1\t2\t\t\tx", "line 3: the row has 8 cells but the header names 7"),
    ],
)
def test_a_bad_row_refuses_the_file_naming_its_line(row, complaint):
    with pytest.raises(FormatError) as refused:
        read(table("1\tSpectrogram 1\t1\t0\t1\t100\t200", row, "3\tSpectrogram 1\t1\t0\t1\t\t"))
    assert str(refused.value) == complaint
    assert refused.value.line == 3


@pytest.mark.parametrize("missing", ["Begin Time (s)", "End Time (s)"])
def test_a_table_without_begin_or_end_times_is_not_a_selection_table(missing):
    with pytest.raises(FormatError) as refused:
        read(table(header=HEADER.replace(missing, "Duration")), "raven")
    assert str(refused.value) == f"not a Raven selection table: no '{missing}' column"
    assert refused.value.line is None


def test_a_column_named_twice_is_refused():
    with pytest.raises(FormatError) as refused:
        read(table(header=f"{HEADER}\tAnnotation\tannotation"))
    assert str(refused.value) == "line 1: the header names the column 'annotation' twice"
