"""Annotation files in and out: Raven, BirdNET, Audacity, our CSV and our JSON.

Pure standard library (the HTTP functions import it). Reading turns a file's bytes into
boxes -- the API's annotation shape without ``id``, in seconds and hertz -- or refuses the
whole file at its first bad line, so that the caller imports all of it or nothing. Bounds
against the recording (duration, Nyquist frequency) are the caller's to check.

>>> fmt, boxes = read(b"1.5\\t2.25\\tfrog\\n")
>>> fmt, boxes[0].line, boxes[0].box["start_s"], boxes[0].box["label"]
('audacity', 1, 1.5, 'frog')

docs/formats.md says what each importer accepts and each exporter writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.formats import audacity, birdnet, json_document, raven, table_csv
from chalicelib.formats.box import FormatError, ImportedBox, RecordingBoxes
from chalicelib.formats.text import base_name, decode

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "PROJECT_EXPORT_FORMATS",
    "Export",
    "FormatError",
    "ImportedBox",
    "RecordingBoxes",
    "detect",
    "read",
    "write",
    "write_project",
]

# Each readable format's module, in the order detect() tries them (BirdNET's table is a
# Raven table too).
_READERS = {
    "json": json_document,
    "birdnet": birdnet,
    "raven": raven,
    "audacity": audacity,
    "csv": table_csv,
}
FORMATS: tuple[str, ...] = ("raven", "birdnet", "audacity", "csv", "json")
EXPORT_FORMATS: tuple[str, ...] = ("raven", "audacity", "csv", "json")
# The formats that can say which recording each box is of (Audacity's cannot).
PROJECT_EXPORT_FORMATS: tuple[str, ...] = ("raven", "csv", "json")
# Each export's media type and the end of its file name after the recording's stem.
_EXPORTS = {
    "raven": ("text/plain; charset=utf-8", ".Table.1.selections.txt"),
    "audacity": ("text/plain; charset=utf-8", ".labels.txt"),
    "csv": ("text/csv; charset=utf-8", ".annotations.csv"),
    "json": ("application/json", ".annotations.json"),
}
# A project's export is named after the project; its name's end is Raven's without a table
# number (the table is no recording's).
_PROJECT_ENDINGS = {
    **{name: ending for name, (_, ending) in _EXPORTS.items()},
    "raven": ".selections.txt",
}
_UNRECOGNISED = (
    "not an annotation file Sonagram reads; looked for a Raven selection table (a 'Begin "
    "Time (s)' column), BirdNET's table or CSV ('Start (s),End (s),...'), an Audacity label "
    "track (lines 'start<TAB>end<TAB>label'), a CSV with start_time and end_time columns, "
    "and JSON"
)


@dataclass(frozen=True)
class Export:
    """A file to download: its bytes, media type and name."""

    data: bytes
    content_type: str
    filename: str


def detect(data: bytes) -> str:
    """Which of ``FORMATS`` a file is in, from its first line (JSON: its first character).

    Raises
    ------
    FormatError
        When the file is not text, or is none of them; the message names what was looked for.
    """
    return _detect(decode(data))


def _detect(text: str) -> str:
    for name, module in _READERS.items():
        if module.recognises(text):
            return name
    raise FormatError(_UNRECOGNISED)


def read(
    data: bytes, format: str | None = None, *, max_boxes: int | None = None
) -> tuple[str, list[ImportedBox]]:
    """The boxes of an annotation file, in file order, and the format read.

    Parameters
    ----------
    data : bytes
        The file: UTF-8 (with or without BOM), UTF-16 or Windows-1252; CRLF, LF or CR.
    format : str or None
        One of ``FORMATS``; None detects it (``detect``).
    max_boxes : int or None
        The most boxes to read. A file holding more is refused before any box is made
        when it has more lines, cells (or JSON arrays and objects) than that many boxes
        take, else at the box after the last: never after making them all.

    Returns
    -------
    (format, boxes) : tuple[str, list[ImportedBox]]
        Each box with the 1-based line of the file it came from (JSON: its index). A box's
        ``source`` is the file's (a Source column, a JSON field), else the format's name
        ("raven", "birdnet", "audacity", "csv"); JSON's null stays null.

    Raises
    ------
    FormatError
        At the first line that is not a box (``.line`` says which), or for the whole file.
    """
    text = decode(data)
    if format is None:
        format = _detect(text)
    elif format not in FORMATS:
        raise FormatError(f"unknown format '{format}': one of {', '.join(FORMATS)}")
    boxes = _READERS[format].read(text, max_boxes)
    if format != "json":  # our JSON keeps what it says, a person's box (null) included
        for imported in boxes:
            imported.box["source"] = imported.box["source"] or format
    return format, boxes


def write(
    boxes: list[dict],
    format: str,
    *,
    recording: str,
    duration_s: float | None,
    nyquist_hz: float | None,
) -> Export:
    """The boxes of one recording as a file in ``format`` (one of ``EXPORT_FORMATS``).

    Parameters
    ----------
    boxes : list of dict
        Annotations (an ``id`` or other extra keys are left out).
    recording : str
        The user's audio file name; the export is named after its stem, without folders.
    duration_s : float or None
        The recording's length, s (JSON records it).
    nyquist_hz : float or None
        Half the sample rate, Hz: Raven's High Freq for a box without frequencies.
    """
    if format not in EXPORT_FORMATS:
        raise FormatError(f"unknown export format '{format}': one of {', '.join(EXPORT_FORMATS)}")
    name = base_name(recording)
    content_type, ending = _EXPORTS[format]
    filename = f"{name.rpartition('.')[0] or name or 'recording'}{ending}"
    recordings = [RecordingBoxes(boxes, recording, duration_s, nyquist_hz)]
    if format == "raven":
        text = raven.write(recordings)
    elif format == "audacity":
        text = audacity.write(boxes)
    elif format == "csv":
        text = table_csv.write(recordings, annotation_file=filename)
    else:
        text = json_document.write(recordings)
    return Export(text.encode("utf-8"), content_type, filename)


def write_project(recordings: list[RecordingBoxes], format: str, *, project: str) -> Export:
    """The boxes of several recordings as one file in ``format`` (one of
    ``PROJECT_EXPORT_FORMATS``), each box saying which recording it is of.

    Parameters
    ----------
    recordings : list of RecordingBoxes
        Each recording's boxes, written in this order; a recording's ``recording_id`` and
        ``filename`` name its boxes (Raven: a Begin File column; CSV: ``audio_file`` and
        ``recording_id``; JSON: ``recording_id`` and ``filename`` in each box).
    project : str
        The project's name: the file is named after it (``/`` and ``\\`` made ``-``).
    """
    if format not in PROJECT_EXPORT_FORMATS:
        raise FormatError(
            f"unknown format '{format}' for a project's export: one of "
            f"{', '.join(PROJECT_EXPORT_FORMATS)}"
        )
    stem = project.replace("/", "-").replace("\\", "-") or "project"
    filename = f"{stem}{_PROJECT_ENDINGS[format]}"
    if format == "raven":
        text = raven.write(recordings, begin_file=True)
    elif format == "csv":
        text = table_csv.write(recordings, annotation_file=filename, recording_ids=True)
    else:
        text = json_document.write(recordings, project=project)
    return Export(text.encode("utf-8"), _EXPORTS[format][0], filename)
