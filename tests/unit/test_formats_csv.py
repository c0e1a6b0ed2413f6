"""Reading our CSV (OpenSoundscape's columns) and generic CSV/TSV tables."""

import pytest

from chalicelib.formats import FormatError, ImportedBox, read
from tests.annotation_files import fixture, read_by

box = read_by("csv")

HEADER = "audio_file,annotation_file,annotation,start_time,end_time,low_f,high_f,confidence,channel"


def test_our_csv_with_quoted_commas_quotes_and_line_breaks_in_labels():
    # The third record spans lines 4 and 5; the extra "observer" column is an attribute.
    assert read(fixture("ours.annotations.csv")) == (
        "csv",
        [
            ImportedBox(
                2,
                box(
                    1.5,
                    2.25,
                    low_hz=500.0,
                    high_hz=1500.0,
                    label="frog, green",
                    confidence=0.9,
                    attributes={"observer": "Ana"},
                ),
            ),
            ImportedBox(3, box(3.0, 4.0, label='the "big" one', channel=2)),
            ImportedBox(
                4,
                box(
                    5.0,
                    6.5,
                    low_hz=100.5,
                    high_hz=200.0,
                    label="two\nlines",
                    attributes={"observer": "Ben"},
                ),
            ),
        ],
    )


@pytest.mark.parametrize("name", ["generic_aliases.csv", "generic_aliases.tsv"])
def test_generic_tables_are_read_by_their_columns_other_names(name):
    expected = {
        "generic_aliases.csv": box(
            0.5, 1.5, low_hz=300.0, high_hz=2000.0, label="frog", attributes={"site": "pond"}
        ),
        "generic_aliases.tsv": box(0.5, 1.5, label="frog"),
    }[name]
    assert read(fixture(name)) == ("csv", [ImportedBox(2, expected)])


def test_a_csv_with_only_its_header_has_no_boxes():
    assert read(f"{HEADER}\r\n".encode()) == ("csv", [])


@pytest.mark.parametrize(
    ("rows", "complaint"),
    [
        (["a.wav,a.csv,frog,x,2,,,,"], "line 2: start_time 'x' is not a number"),
        (
            ['a.wav,a.csv,"two\nlines",1,2,,,,', "a.wav,a.csv,frog,1,2,9,,,x"],
            "line 4: channel 'x' is not a channel number (1, 2, ...)",
        ),
        (["a.wav,a.csv,frog,1,2,,,high,"], "line 2: confidence 'high' is not a number"),
        (["a.wav,a.csv,frog,1,2,-3,,,"], "line 2: low_f -3 is negative"),
        (["a.wav,a.csv,frog,1,2,,,,,,more"], "line 2: the row has 11 cells but the header names 9"),
        (['a.wav,a.csv,"frog"s,1,2,,,,'], "line 2: not valid CSV: ',' expected after '\"'"),
    ],
)
def test_a_bad_record_refuses_the_file_naming_the_line_it_starts_on(rows, complaint):
    with pytest.raises(FormatError) as refused:
        read("\n".join([HEADER, *rows]).encode())
    assert str(refused.value) == complaint


def test_a_csv_without_a_start_column_is_not_an_annotation_csv():
    with pytest.raises(FormatError) as refused:
        read(b"label,end_time\nfrog,2\n", "csv")
    assert str(refused.value) == (
        "not an annotation CSV: no start_time column (nor start, Start (s), Begin Time (s))"
    )
