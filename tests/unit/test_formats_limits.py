"""The worst files an import can be: 4 MiB of the tiniest rows, cells or JSON values, each
refused with a 400 naming why, counted before any box is made, in under 100 MB.

No time is asserted (speed belongs in bench/): what is asserted is the memory, and that
reading makes no more than the limit's boxes plus one.
"""

import json
import time
from collections.abc import Callable

import pytest

from chalicelib import annotation_files, annotations, formats
from chalicelib.errors import BadRequestError, TooLargeError
from chalicelib.formats import FormatError, audacity, birdnet, json_document, raven, table_csv
from chalicelib.formats.box import new_box
from chalicelib.models import RecordingModel
from tests.worst_inputs import EXTRA_MEMORY, filled, many_entries, peak_of

MAX_BYTES = annotation_files.MAX_IMPORT_BYTES


RAVEN = "Begin Time (s)\tEnd Time (s)\n"
BIRDNET_TABLE = "Selection\tBegin Time (s)\tEnd Time (s)\tSpecies Code\tConfidence\n"
BIRDNET_CSV = "Start (s),End (s),Common name\n"
TOO_MANY_LINES = "annotations take at most 50001"
# (format, the file, what the refusal says)
WORST: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "audacity: the issue's 0<LF> lines": ("audacity", lambda: filled("", "0\n"), TOO_MANY_LINES),
    "audacity: labels": ("audacity", lambda: filled("", "0\t1\n"), TOO_MANY_LINES),
    "audacity: one line of TABs": (
        "audacity",
        lambda: filled("0\t1", "\t", "\n"),
        "the file has 4194303 TABs, commas and lines; 10000 annotations take at most 500000",
    ),
    "raven: rows": ("raven", lambda: filled(RAVEN, "0\t1\n"), TOO_MANY_LINES),
    "raven: one selection in many views": (
        "raven",
        lambda: filled("Selection\tView\t" + RAVEN, "1\tv\t0\t1\n"),
        TOO_MANY_LINES,
    ),
    "raven: a header of many columns": (
        "raven",
        lambda: filled(RAVEN[:-1], "\tc", "\n"),
        "the file has 2097141 TABs, commas and lines",
    ),
    "birdnet: table rows": (
        "birdnet",
        lambda: filled(BIRDNET_TABLE, "1\t0\t1\tx\t1\n"),
        TOO_MANY_LINES,
    ),
    "birdnet: CSV rows": ("birdnet", lambda: filled(BIRDNET_CSV, "0,1,x\n"), TOO_MANY_LINES),
    "birdnet: placeholders, then a bad row": (
        "birdnet",
        lambda: filled(BIRDNET_CSV, "0,1,nocall\n", "0,x,y\n"),
        TOO_MANY_LINES,
    ),
    "csv: rows": ("csv", lambda: filled("start,end\n", "0,1\n"), TOO_MANY_LINES),
    "csv: blank lines, then a bad row": (
        "csv",
        lambda: filled("start,end\n", " \n", "x,y\n"),
        TOO_MANY_LINES,
    ),
    "csv: one row of commas": ("csv", lambda: filled("start,end\n0,1", ",", "\n"), "commas"),
    "csv: detected from a header of many columns": (
        None,
        lambda: filled("start,end", ",c", "\n"),
        "not imported: more than 1000 cells in one line",
    ),
    "json: boxes": (
        "json",
        lambda: filled("[", '{"start_s":0,"end_s":1},', "{}]"),
        "the file holds 174764 JSON arrays and objects; 10000 annotations take at most 40002",
    ),
    "json: empty objects": ("json", lambda: filled("[", "{},", "{}]"), "JSON arrays and objects"),
    "json: nested lists": (
        "json",
        lambda: filled("[", "[" * 500 + "]" * 500 + ",", "[]]"),
        "JSON arrays and objects",
    ),
    "json: one box of many attributes": (
        "json",
        lambda: many_entries('[{"start_s":0,"end_s":1,"attributes":', '""', "}]"),
        "annotation 1: attributes has 387651 entries, more than 1000",
    ),
}


def a_recording() -> RecordingModel:
    """A decoded minute of 44.1 kHz mono, not stored: the files are refused before storage."""
    return RecordingModel(
        "rec", owner="ana", filename="dawn.wav", duration_s=60.0, sample_rate=44100, channels=1
    )


@pytest.mark.parametrize(("format", "make", "complaint"), WORST.values(), ids=WORST.keys())
def test_the_worst_files_are_refused_early_and_small(format, make, complaint):
    data = make()
    assert MAX_BYTES - 1000 < len(data) <= MAX_BYTES

    def importing():
        annotation_files.import_file(
            a_recording(), data, format=format, mode="append", user="ana", clock=time.time
        )

    peak, refused = peak_of(importing)
    assert peak < EXTRA_MEMORY, f"{peak / 1e6:.0f} MB"
    assert isinstance(refused, BadRequestError), refused
    assert refused.message.startswith("not imported: ") and complaint in refused.message


def test_a_file_just_inside_every_count_is_refused_for_its_size_in_under_100_mb():
    # 10 000 boxes of 47 attributes each: as many lines and cells as the counts let in.
    names = "\t".join(f"c{i}" for i in range(47))
    data = (
        f"{RAVEN[:-1]}\t{names}\n" + ("0\t1\t" + "\t".join(["xy"] * 47) + "\n") * 10_000
    ).encode()

    def importing():
        annotation_files.import_file(
            a_recording(), data, format="raven", mode="append", user="ana", clock=time.time
        )

    peak, refused = peak_of(importing)
    assert peak < EXTRA_MEMORY, f"{peak / 1e6:.0f} MB"
    assert isinstance(refused, TooLargeError), refused
    assert "over the 5 MB a recording's annotations may take" in refused.message


@pytest.mark.parametrize(
    ("format", "table", "complaint"),
    [
        ("raven", RAVEN[:-1] + "\tc" * 999 + "\n0\t1\n", "line 1: more than 1000 cells"),
        ("raven", RAVEN + "0\t1" + "\t" * 999 + "\n", "line 2: more than 1000 cells"),
        ("birdnet", BIRDNET_CSV[:-1] + ",c" * 998 + "\n0,1\n", "line 1: more than 1000 cells"),
        ("birdnet", BIRDNET_CSV + "0,1,a" + ",b" * 998 + "\n", "line 2: more than 1000 cells"),
        ("csv", "start,end" + ",c" * 999 + "\n0,1\n", "line 1: more than 1000 cells"),
        ("csv", "start,end\n0,1" + "," * 999 + "\n", "line 2: more than 1000 cells"),
    ],
)
def test_a_line_of_more_cells_than_any_box_has_is_refused_before_it_is_split(
    format, table, complaint
):
    with pytest.raises(FormatError) as refused:
        formats.read(table.encode(), format, max_boxes=100)
    assert str(refused.value) == f"{complaint} in one line"


READERS = (audacity, birdnet, json_document, raven, table_csv)
# Files of 20 boxes, and the line of their 11th.
TWENTY = {
    "audacity": ("".join(f"{i}\t{i + 1}\tcall\n" for i in range(20)), 11),
    "raven": (RAVEN + "".join(f"{i}\t{i + 1}\n" for i in range(20)), 12),
    "birdnet": (BIRDNET_CSV + "".join(f"{i},{i + 1},wren\n" for i in range(20)), 12),
    "csv": ("start,end\n" + "".join(f"{i},{i + 1}\n" for i in range(20)), 12),
}


@pytest.fixture
def boxes_made(monkeypatch) -> list[dict]:
    """Every box a reader makes, in order."""
    made: list[dict] = []

    def counted(*args, **kwargs):
        made.append(new_box(*args, **kwargs))
        return made[-1]

    for reader in READERS:
        monkeypatch.setattr(reader, "new_box", counted)
    return made


@pytest.mark.parametrize("format", TWENTY)
def test_reading_stops_at_the_box_after_the_most(boxes_made, format):
    text, line = TWENTY[format]
    with pytest.raises(FormatError) as refused:
        formats.read(text.encode(), max_boxes=10)
    assert str(refused.value) == f"line {line}: the file holds more than 10 annotations"
    assert len(boxes_made) == 11


def test_a_json_list_longer_than_the_most_is_refused_before_its_boxes_are_made(boxes_made):
    data = json.dumps([{"start_s": i, "end_s": i + 1} for i in range(20)]).encode()
    with pytest.raises(FormatError, match="^the file holds more than 10 annotations$"):
        formats.read(data, max_boxes=10)
    assert boxes_made == []


@pytest.mark.parametrize("format", ["raven", "json"])
def test_a_file_of_as_many_boxes_as_a_recording_holds_is_read_whole(format):
    boxes = [{"start_s": i / 1000, "end_s": i / 1000 + 0.5} for i in range(10_000)]
    data = formats.write(boxes, format, recording="a.wav", duration_s=None, nyquist_hz=None).data
    most = annotations.MAX_ANNOTATIONS
    assert len(formats.read(data, format, max_boxes=most)[1]) == most
