"""Raven Pro / Raven Lite selection tables (TAB-separated, first line a header).

Columns are found by name, in any order and case. Besides the box's own columns:

- the label is the first present of Annotation, Species, Label, Common Name, Species Code;
- the confidence is Confidence, else Score; a column named Notes fills ``notes``, one
  named Source (Sonagram writes it) the box's ``source``, Annotator (Sonagram writes it
  too) who created it, and Review, Reviewer, Reviewed At and Label Before its ``review``;
- a column whose name ends in a unit in parentheses (``Delta Time (s)``,
  ``Avg Power Density (dB FS/Hz)``) and whose cell is a number is a measurement;
- any other non-empty cell is kept as a string attribute under its column's name
  (contours such as ``1;2;3``, ``Begin Path``, ``File Offset (s)``, ``Call Type``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.formats.box import (
    FormatError,
    ImportedBox,
    RecordingBoxes,
    add,
    new_box,
    review_cells,
    review_of,
)
from chalicelib.formats.text import (
    base_name,
    channel,
    column,
    first_record,
    header,
    hertz,
    not_too_wide,
    number,
    one_line,
    parse_number,
    plain,
    records,
    row,
    seconds,
    shortest,
    spreadsheet_safe,
)
from chalicelib.measurement_names import NAMES as COMPUTED

BEGIN, END = "Begin Time (s)", "End Time (s)"
LOW, HIGH = "Low Freq (Hz)", "High Freq (Hz)"
FILE_OFFSET = "File Offset (s)"
SOURCE = "Source"
# Who created the box (``created_by``).
ANNOTATOR = "Annotator"
# A box's review (box.REVIEW_FIELDS): its state (accepted, rejected or empty), who, when, and
# the label it had before a person relabelled it.
REVIEW_COLUMNS = ("Review", "Reviewer", "Reviewed At", "Label Before")
# The audio file of each row in a table over several recordings (as BirdNET and Raven name it).
BEGIN_FILE = "Begin File"
LABELS = ("Annotation", "Species", "Label", "Common Name", "Species Code")
CONFIDENCES = ("Confidence", "Score")
# What BirdNET's tables add to a box: its Low/High Freq are the analysis band, not the call's.
FREQUENCY_BAND = "frequency_band"
_FIXED = ("Selection", "View", "Channel", BEGIN, END, LOW, HIGH, "Annotation")
# Read as the box itself: never written as a measurement or an attribute, or reading the
# table back would take them for the box (a stale File Offset would move it).
_BOX_COLUMNS = frozenset(
    name.casefold()
    for name in (
        *_FIXED,
        "Low Frequency (Hz)",
        "High Frequency (Hz)",
        FILE_OFFSET,
        "Notes",
        SOURCE,
        ANNOTATOR,
    )
    + CONFIDENCES
    + REVIEW_COLUMNS
)
_UNIT = re.compile(r"\([^()]*\)$")
# Measurement columns: the computed ones in their order, then any other by name.
_COMPUTED_ORDER = {name: index for index, name in enumerate(COMPUTED)}


def recognises(text: str) -> bool:
    """Whether a file's first line is a selection table's header."""
    return column(not_too_wide(first_record(text), "\t").split("\t"), BEGIN) is not None


@dataclass(frozen=True)
class _Columns:
    """Where each part of a box stands in a table's rows (None: the table has no such column)."""

    begin: int
    end: int
    low: int | None
    high: int | None
    selection: int | None
    view: int | None
    channel: int | None
    file_offset: int | None
    label: int | None
    confidence: int | None
    notes: int | None
    source: int | None
    annotator: int | None
    # The review's columns, in REVIEW_COLUMNS order.
    review: tuple[int | None, ...]
    # Every other named column: (index, name, whether a number there is a measurement).
    others: tuple[tuple[int, str, bool], ...]

    @classmethod
    def of(cls, names: list[str]) -> _Columns:
        begin, end = column(names, BEGIN), column(names, END)
        for index, name in ((begin, BEGIN), (end, END)):
            if index is None:
                raise FormatError(f"not a Raven selection table: no '{name}' column")
        roles = {
            "low": column(names, LOW, "Low Frequency (Hz)"),
            "high": column(names, HIGH, "High Frequency (Hz)"),
            "selection": column(names, "Selection"),
            "view": column(names, "View"),
            "channel": column(names, "Channel"),
            "file_offset": column(names, FILE_OFFSET),
            "label": column(names, *LABELS),
            "confidence": column(names, *CONFIDENCES),
            "notes": column(names, "Notes"),
            "source": column(names, SOURCE),
            "annotator": column(names, ANNOTATOR),
        }
        review = tuple(column(names, name) for name in REVIEW_COLUMNS)
        # The File Offset moves the box and is also kept, as Begin Path and Begin File are.
        taken = {begin, end, *roles.values(), *review} - {roles["file_offset"], None}
        others = tuple(
            (index, name, index != roles["file_offset"] and bool(_UNIT.search(name)))
            for index, name in enumerate(names)
            if name and index not in taken
        )
        return cls(begin=begin, end=end, review=review, others=others, **roles)

    def box(self, cells: list[str]) -> dict:
        begin, end = seconds(cells[self.begin], BEGIN), seconds(cells[self.end], END)
        if self.file_offset is not None and cells[self.file_offset].strip():
            # A table over several files counts Begin Time across all of them; the time
            # inside this row's file starts at its File Offset.
            start = seconds(cells[self.file_offset], FILE_OFFSET)
            begin, end = start, start + (end - begin)
        measurements: dict[str, float] = {}
        attributes: dict[str, str] = {}
        for index, name, measurable in self.others:
            cell = plain(cells[index])
            value = parse_number(cell) if measurable else None
            if value is not None:
                measurements[name] = value
            elif cell:
                attributes[name] = cell
        confidence = _cell(cells, self.confidence)
        return new_box(
            begin,
            end,
            low_hz=hertz(_cell(cells, self.low), LOW),
            high_hz=hertz(_cell(cells, self.high), HIGH),
            label=_cell(cells, self.label),
            confidence=number(confidence, "Confidence") if confidence else None,
            notes=_cell(cells, self.notes) or None,
            measurements=measurements,
            attributes=attributes,
            channel=channel(_cell(cells, self.channel), "Channel"),
            source=_cell(cells, self.source) or None,
            review=review_of(*(_cell(cells, index) for index in self.review)),
            created_by=_cell(cells, self.annotator) or None,
        )


def _cell(cells: list[str], index: int | None) -> str:
    """The ``plain`` cell at ``index``; "" when the table has no such column."""
    return plain(cells[index]) if index is not None else ""


def read(
    text: str,
    max_boxes: int | None = None,
    *,
    skip: Callable[[dict], bool] = lambda box: False,
) -> list[ImportedBox]:
    """The boxes of a selection table, one per selection, in the table's order (at most
    ``max_boxes``; rows whose box is one to ``skip`` are left out).

    Raven writes a selection once per view that shows it (``Waveform 1``,
    ``Spectrogram 1``) with the same bounds: rows with the same Selection and Channel in
    other views are one box, taken from the Spectrogram row when there is one. A row in a
    view that selection already has (tables joined by hand) starts a new box.
    """
    rows = records(text, max_boxes)
    header_line, header_text = next(rows)
    names = header(not_too_wide(header_text, "\t", header_line).split("\t"), header_line)
    columns = _Columns.of(names)
    boxes: list[ImportedBox] = []
    # (Selection, Channel) -> the index of its box and the views its rows were in.
    selections: dict[tuple[str, int], tuple[int, set[str]]] = {}
    for line, content in rows:
        try:
            cells = row(names, not_too_wide(content, "\t").split("\t"))
            imported = ImportedBox(line, columns.box(cells))
        except FormatError as error:
            raise error.at(line) from None
        if skip(imported.box):
            continue
        selection, view = _cell(cells, columns.selection), _cell(cells, columns.view)
        key = (selection, imported.box["channel"])
        if not (selection and view) or key not in selections or view in selections[key][1]:
            selections[key] = (len(boxes), {view})
            add(boxes, imported, max_boxes)
            continue
        index, views = selections[key]
        if view.startswith("Spectrogram") and not any(v.startswith("Spectrogram") for v in views):
            boxes[index] = imported
        views.add(view)
    return boxes


def write(recordings: list[RecordingBoxes], *, begin_file: bool = False) -> str:
    """A selection table Raven opens: one row per box, recording after recording, CRLF line
    ends.

    Columns: Selection, View, Channel, then Begin File (each recording's file name, without
    folders) when ``begin_file``, the bounds, Annotation; then Confidence when any box has
    one, each measurement any box has (the computed ones in measurement_names order, then
    the others by name), each attribute any box has (by name; a name the reader would take
    for the box itself is left out), Notes when any box has notes, Source when any box has
    one, Annotator when any box has a creator and REVIEW_COLUMNS when any box has a review.
    A box without frequencies spans 0 Hz to its recording's ``nyquist_hz``, as Raven writes
    a waveform selection (empty cells when ``nyquist_hz`` is None).
    """
    boxes = [box for recording in recordings for box in recording.boxes]
    taken = set(_BOX_COLUMNS) | ({BEGIN_FILE.casefold()} if begin_file else set())
    measurements = _new_names(boxes, "measurements", taken)
    attributes = _new_names(boxes, "attributes", taken)
    confidence = any(box.get("confidence") is not None for box in boxes)
    notes = any(box.get("notes") for box in boxes)
    sources = any(box.get("source") for box in boxes)
    annotators = any(box.get("created_by") for box in boxes)
    reviews = any(box.get("review") for box in boxes)
    fixed = [*_FIXED[:3], *([BEGIN_FILE] if begin_file else []), *_FIXED[3:]]
    names = [*fixed, *(["Confidence"] if confidence else []), *measurements, *attributes]
    if notes:
        names.append("Notes")
    if sources:
        names.append(SOURCE)
    if annotators:
        names.append(ANNOTATOR)
    if reviews:
        names += REVIEW_COLUMNS
    table = ["\t".join(spreadsheet_safe(name) for name in names)]
    rows = ((recording, box) for recording in recordings for box in recording.boxes)
    for selection, (recording, box) in enumerate(rows, start=1):
        low, high = _band(box, recording.nyquist_hz)
        cells = [str(selection), "Spectrogram 1", str(box.get("channel", 1))]
        if begin_file:
            cells.append(base_name(recording.filename))
        cells += [f"{box['start_s']:.6f}", f"{box['end_s']:.6f}", low, high, box.get("label") or ""]
        if confidence:
            cells.append(shortest(box.get("confidence")))
        values = _by_written_name(box.get("measurements", {}))
        cells += [shortest(values.get(name)) for name in measurements]
        values = _by_written_name(box.get("attributes", {}))
        cells += [str(values.get(name, "")) for name in attributes]
        if notes:
            cells.append(box.get("notes") or "")
        if sources:
            cells.append(box.get("source") or "")
        if annotators:
            cells.append(box.get("created_by") or "")
        if reviews:
            cells += review_cells(box)
        table.append("\t".join(spreadsheet_safe(one_line(cell)) for cell in cells))
    return "\r\n".join(table) + "\r\n"


def _new_names(boxes: list[dict], field: str, taken: set[str]) -> list[str]:
    """The names under ``field`` of any box, but those ``taken`` (which grows): the
    computed measurements' in their order first, then the rest sorted."""
    names = []
    found = {one_line(name) for box in boxes for name in box.get(field, {})}
    for name in sorted(found, key=lambda name: (_COMPUTED_ORDER.get(name, len(COMPUTED)), name)):
        if name.casefold() not in taken and name != FREQUENCY_BAND:
            taken.add(name.casefold())
            names.append(name)
    return names


def _by_written_name(values: dict) -> dict:
    return {one_line(name): value for name, value in values.items()}


def _band(box: dict, nyquist_hz: float | None) -> tuple[str, str]:
    """The Low and High Freq cells: a missing side is 0 Hz or the Nyquist frequency."""
    low, high = box.get("low_hz"), box.get("high_hz")
    if low is None and (high is not None or nyquist_hz is not None):
        low = 0.0
    return _frequency(low), _frequency(nyquist_hz if high is None else high)


def _frequency(value: float | None) -> str:
    """Hz with 1 to 3 decimals (``1500.0``, ``1234.567``)."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text
