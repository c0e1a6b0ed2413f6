"""Our CSV, whose columns are OpenSoundscape's, and other CSV or TSV tables of boxes.

``audio_file,annotation_file,annotation,start_time,end_time,low_f,high_f,confidence,channel``
then Sonagram's ``source,review,reviewer,reviewed_at,label_before`` and the box's signature
``created_by,updated_by,updated_at`` (a file over several recordings adds ``recording_id``)
and the computed measurements any box has (measurement_names.NAMES, in that order), with
RFC 4180 quoting. Reading also takes other names for each column, in any case
(``_ALIASES``), and TAB-separated tables; computed measurement columns are not read (the
server computes them), nor are updated_by and updated_at (an import is a new write), but
created_by is: who created the box.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

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
    lines,
    not_too_wide,
    number,
    plain,
    row,
    seconds,
    shortest,
    spreadsheet_safe,
)
from chalicelib.measurement_names import NAMES as COMPUTED

# The box's signature, as the API names it (chalicelib.annotations.SIGNATURE).
SIGNATURE = ("created_by", "updated_by", "updated_at")

COLUMNS = (
    "audio_file",
    "annotation_file",
    "annotation",
    "start_time",
    "end_time",
    "low_f",
    "high_f",
    "confidence",
    "channel",
    "source",
    "review",
    "reviewer",
    "reviewed_at",
    "label_before",
    "created_by",
    "updated_by",
    "updated_at",
)
# Written after COLUMNS in a file over several recordings: the box's recording, as the API
# names it (audio_file is that recording's file name).
RECORDING_ID = "recording_id"
# Each part of a box and the names its column goes by, the first present taken.
_ALIASES = {
    "start": ("start_time", "start", "Start (s)", "Begin Time (s)"),
    "end": ("end_time", "end", "End (s)", "End Time (s)"),
    "low": ("low_f", "Fmin"),
    "high": ("high_f", "Fmax"),
    "label": ("annotation", "label", "Common name"),
    "confidence": ("confidence",),
    "channel": ("channel",),
    "source": ("source",),
    # Files exported before this column was named review called it review_state.
    "review": ("review", "review_state"),
    "reviewer": ("reviewer",),
    "reviewed_at": ("reviewed_at",),
    "label_before": ("label_before",),
    "created_by": ("created_by", "Annotator"),
}
# Columns that are not the box's: the files a row names (we import into one recording) and
# the computed measurements (recomputed from the audio).
_NOT_READ = frozenset(
    name.casefold()
    for name in (
        "audio_file",
        "annotation_file",
        RECORDING_ID,
        "updated_by",
        "updated_at",
        *COMPUTED,
    )
)


def _delimiter(first_line: str) -> str:
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _header_cells(first_line: str) -> list[str]:
    delimiter = _delimiter(first_line)
    return next(csv.reader([not_too_wide(first_line, delimiter)], delimiter=delimiter), [])


def recognises(text: str) -> bool:
    """Whether a file's first line names a start and an end column."""
    names = _header_cells(first_record(text))
    return all(column(names, *_ALIASES[part]) is not None for part in ("start", "end"))


def read(text: str, max_boxes: int | None = None) -> list[ImportedBox]:
    """The boxes of a CSV (or TSV) table, in file order (at most ``max_boxes``); columns not
    part of a box are kept as string attributes (``audio_file`` and ``annotation_file`` are
    left out)."""
    delimiter = _delimiter(first_record(text))
    rows = _rows(text, delimiter, max_boxes)
    header_line, header_cells = next(rows)
    names = header(header_cells, header_line)
    at = {part: column(names, *aliases) for part, aliases in _ALIASES.items()}
    for part in ("start", "end"):
        if at[part] is None:
            raise FormatError(
                f"not an annotation CSV: no {_ALIASES[part][0]} column "
                f"(nor {', '.join(_ALIASES[part][1:])})"
            )
    # Each part as the file names it, for messages.
    named = {
        part: aliases[0] if at[part] is None else names[at[part]]
        for part, aliases in _ALIASES.items()
    }
    others = [
        (index, name)
        for index, name in enumerate(names)
        if name and index not in at.values() and name.casefold() not in _NOT_READ
    ]
    boxes = []
    for line, cells in rows:
        try:
            cells = [plain(cell) for cell in row(names, cells)]
            cell = {part: "" if index is None else cells[index] for part, index in at.items()}
            box = new_box(
                seconds(cell["start"], named["start"]),
                seconds(cell["end"], named["end"]),
                low_hz=hertz(cell["low"], named["low"]),
                high_hz=hertz(cell["high"], named["high"]),
                label=cell["label"],
                confidence=number(cell["confidence"], named["confidence"])
                if cell["confidence"]
                else None,
                attributes={name: cells[index] for index, name in others if cells[index]},
                channel=channel(cell["channel"], named["channel"]),
                source=cell["source"] or None,
                review=review_of(
                    cell["review"], cell["reviewer"], cell["reviewed_at"], cell["label_before"]
                ),
                created_by=cell["created_by"] or None,
            )
        except FormatError as error:
            raise error.at(line) from None
        add(boxes, ImportedBox(line, box), max_boxes)
    return boxes


def _rows(text: str, delimiter: str, max_boxes: int | None) -> Iterator[tuple[int, list[str]]]:
    """The records that are not blank, each with the line it starts on (a quoted cell may
    hold line breaks)."""
    reader = csv.reader(
        (f"{not_too_wide(line, delimiter)}\n" for line in lines(text, max_boxes)),
        delimiter=delimiter,
        strict=True,
    )
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FormatError(f"not valid CSV: {error}", start) from None
        except FormatError as error:
            raise error.at(start) from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def write(
    recordings: list[RecordingBoxes], *, annotation_file: str, recording_ids: bool = False
) -> str:
    """Our CSV: ``COLUMNS`` (then ``recording_id`` when ``recording_ids``) and the computed
    measurements any box has, RFC 4180 quoting, CRLF line ends, empty cells for None; each
    row's ``audio_file`` is its recording's file name without folders."""
    boxes = [box for recording in recordings for box in recording.boxes]
    measured = [
        name for name in COMPUTED if any(name in box.get("measurements", {}) for box in boxes)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, *([RECORDING_ID] if recording_ids else []), *measured])
    for recording in recordings:
        audio_file = base_name(recording.filename)
        for box in recording.boxes:
            cells = [
                audio_file,
                annotation_file,
                box.get("label", ""),
                *(shortest(box.get(key)) for key in ("start_s", "end_s", "low_hz", "high_hz")),
                shortest(box.get("confidence")),
                str(box.get("channel", 1)),
                box.get("source") or "",
                *review_cells(box),
                *(box.get(name) or "" for name in SIGNATURE),
                *([recording.recording_id or ""] if recording_ids else []),
                *(shortest(box.get("measurements", {}).get(name)) for name in measured),
            ]
            writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()
