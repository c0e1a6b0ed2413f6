"""What every importer shares: decoding, line ends, blank lines, numbers, and detection."""

import doctest

import pytest

from chalicelib import formats
from chalicelib.formats import FORMATS, FormatError, ImportedBox, detect, read
from chalicelib.formats.text import parse_number
from tests.annotation_files import fixture, read_by

# Every table read here is Raven's.
box = read_by("raven")

TABLE = (
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"
    "\tAnnotation\r\n1\tSpectrogram 1\t1\t0.1\t0.9\t2000\t8000\tGrünfrosch – Ruf\r\n"
)
GREEN_FROG = (
    "raven",
    [ImportedBox(2, box(0.1, 0.9, low_hz=2000.0, high_hz=8000.0, label="Grünfrosch – Ruf"))],
)


def test_a_utf8_byte_order_mark_is_dropped_before_the_header():
    assert read(fixture("raven_bom.Table.1.selections.txt")) == (
        "raven",
        [ImportedBox(2, box(0.25, 0.75, low_hz=4000.0, high_hz=9000.0, label="Zaunkönig"))],
    )


def test_utf16_with_a_byte_order_mark_is_read_as_windows_tools_write_it():
    assert read(fixture("raven_utf16.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(
                2,
                box(0.1, 0.9, low_hz=2000.0, high_hz=8000.0, label="Rougegorge familier – chant"),
            ),
            ImportedBox(3, box(1.5, 2.0, low_hz=3000.0, high_hz=9000.0, label="Troglodyte mignon")),
        ],
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_a_byte_order_mark_in_either_byte_order(encoding):
    assert read(TABLE.encode(encoding)) == GREEN_FROG


def test_text_that_is_not_utf8_is_read_as_windows_1252():
    assert read(fixture("raven_cp1252.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(
                2, box(0.1, 0.9, low_hz=2000.0, high_hz=8000.0, label="Pouillot véloce – chant")
            )
        ],
    )


def test_lines_may_end_in_cr_alone():
    assert read(fixture("raven_cr.Table.1.selections.txt")) == (
        "raven",
        [
            ImportedBox(2, box(0.25, 0.75, low_hz=4000.0, high_hz=9000.0, label="wren")),
            ImportedBox(3, box(1.0, 1.5, low_hz=3000.0, high_hz=7000.0, label="robin")),
        ],
    )


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_blank_lines_are_skipped_and_still_counted(line_end):
    text = TABLE.replace("\r\n", line_end).replace(f"{line_end}1\t", f"{line_end} \t{line_end}1\t")
    assert read(f"{line_end}{text}{line_end}{line_end}".encode()) == (
        "raven",
        [ImportedBox(4, GREEN_FROG[1][0].box)],
    )


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_a_file_with_nothing_in_it_is_refused(data):
    with pytest.raises(FormatError) as refused:
        detect(data)
    assert str(refused.value) == "the file is empty: the file is not a text file of annotations"
    assert refused.value.line is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00", "it holds NUL bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "it holds NUL bytes"),
        (b"ID3\x04\x01\x02\x03 frog", "it holds control characters"),
        (b"frog\x81\x8d", "it is neither UTF-8 nor Windows-1252"),
        (b"\xff\xfe\x00\xd8", "it is not valid UTF-16"),
    ],
)
def test_a_binary_file_is_refused_as_not_text(data, reason):
    with pytest.raises(FormatError) as refused:
        read(data)
    assert str(refused.value).startswith("the file is not a text file of annotations: " + reason)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1.5", 1.5),
        (" 2 ", 2.0),
        ("-0.25", -0.25),
        ("+3", 3.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1,5", 1.5),
        ("1,5e3", 1500.0),
        ("1.2.3", None),
        ("1,234.5", None),
        ("1,2,3", None),
        ("1_000", None),
        ("nan", None),
        ("inf", None),
        ("1e999", None),
        ("0x10", None),
        ("١٢", None),
        ("", None),
    ],
)
def test_numbers_are_finite_with_a_point_or_else_one_comma_as_decimal_mark(cell, value):
    assert parse_number(cell) == value


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("raven_views.Table.1.selections.txt", "raven"),
        ("raven_utf16.Table.1.selections.txt", "raven"),
        ("birdnet_v2.4.BirdNET.selection.table.txt", "birdnet"),
        ("birdnet_newer.BirdNET.selection.table.txt", "birdnet"),
        ("birdnet.BirdNET.results.csv", "birdnet"),
        ("audacity_standard.txt", "audacity"),
        ("audacity_points.txt", "audacity"),
        ("ours.annotations.csv", "csv"),
        ("generic_aliases.csv", "csv"),
        ("generic_aliases.tsv", "csv"),
        ("annotations.json", "json"),
        ("bare_list.json", "json"),
    ],
)
def test_each_format_is_told_by_its_first_line(name, format):
    assert detect(fixture(name)) == format
    assert read(fixture(name))[0] == format


def test_a_text_file_in_no_known_format_names_what_was_looked_for():
    with pytest.raises(FormatError) as refused:
        detect(b"species,when\nfrog,dawn\n")
    assert str(refused.value) == (
        "not an annotation file Sonagram reads; looked for a Raven selection table (a 'Begin "
        "Time (s)' column), BirdNET's table or CSV ('Start (s),End (s),...'), an Audacity label "
        "track (lines 'start<TAB>end<TAB>label'), a CSV with start_time and end_time columns, "
        "and JSON"
    )


def test_a_format_named_by_the_caller_is_read_as_that_format():
    # A BirdNET table read as a plain Raven table: no placeholder skipped, no band flag.
    _, boxes = read(fixture("birdnet_v2.4.BirdNET.selection.table.txt"), "raven")
    assert [imported.box["label"] for imported in boxes] == [
        "Eurasian Wren",
        "nocall",
        "Common Chaffinch",
    ]
    assert "frequency_band" not in boxes[0].box["attributes"]


def test_an_unknown_format_name_is_refused_with_the_known_ones():
    with pytest.raises(FormatError) as refused:
        read(TABLE.encode(), "selections")
    assert str(refused.value) == (
        "unknown format 'selections': one of raven, birdnet, audacity, csv, json"
    )
    assert FORMATS == ("raven", "birdnet", "audacity", "csv", "json")


def test_the_packages_example_runs():
    results = doctest.testmod(formats)
    assert results.attempted == 2 and results.failed == 0
