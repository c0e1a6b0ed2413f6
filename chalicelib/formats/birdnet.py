"""BirdNET-Analyzer's detections: its Raven selection table and its CSV.

Both label a box with the species' common name and keep the other names (Species Code,
Scientific Name) and the audio file (Begin Path, File) as attributes. Rows whose names are
all ``nocall`` are BirdNET's placeholders for "nothing detected" and are skipped.
"""

from __future__ import annotations

from chalicelib.formats import raven
from chalicelib.formats.box import FormatError, ImportedBox, add, new_box
from chalicelib.formats.text import (
    column,
    first_record,
    header,
    not_too_wide,
    number,
    plain,
    records,
    row,
    seconds,
)

CSV_START, CSV_END = "Start (s)", "End (s)"
_NO_CALL = "nocall"
# Besides the label (the common name), as the table and the CSV spell them, in any case.
_NAMES = ("species code", "scientific name")


def recognises(text: str) -> bool:
    """Whether a file's first line is the header of BirdNET's table or of its CSV."""
    return _is_table(text) or _is_csv(text)


def _is_table(text: str) -> bool:
    names = not_too_wide(first_record(text), "\t").split("\t")
    return raven.recognises(text) and all(
        column(names, name) is not None for name in ("Species Code", "Confidence")
    )


def _is_csv(text: str) -> bool:
    return first_record(text).startswith(f"{CSV_START},{CSV_END}")


def read(text: str, max_boxes: int | None = None) -> list[ImportedBox]:
    """The detections of a BirdNET table or CSV, placeholders left out, in file order (at
    most ``max_boxes``).

    A table's Low and High Freq are the band BirdNET analysed (e.g. 0-15000 Hz), not the
    call's: they are kept as ``low_hz``/``high_hz`` and the box gets the attribute
    ``frequency_band = "analysis"`` so that they are shown as band limits.
    """
    if _is_csv(text):
        return _read_csv(text, max_boxes)
    if not _is_table(text):
        raise FormatError(
            "not a BirdNET file: no selection table header with 'Begin Time (s)', "
            "'Species Code' and 'Confidence', nor a CSV header 'Start (s),End (s),...'"
        )
    boxes = raven.read(text, max_boxes, skip=_placeholder)
    for imported in boxes:
        if imported.box["low_hz"] is not None or imported.box["high_hz"] is not None:
            imported.box["attributes"][raven.FREQUENCY_BAND] = "analysis"
    return boxes


def _placeholder(box: dict) -> bool:
    names = [value for name, value in box["attributes"].items() if name.casefold() in _NAMES]
    return all(name.casefold() == _NO_CALL for name in (box["label"], *names))


def _read_csv(text: str, max_boxes: int | None) -> list[ImportedBox]:
    """BirdNET's CSV: ``Start (s),End (s),Scientific name,Common name,Confidence,File``.

    BirdNET writes it without quoting, so a comma in the file's path splits the row: the
    cells past the header's width belong to the last column (the File).
    """
    rows = records(text, max_boxes)
    header_line, header_text = next(rows)
    names = header(not_too_wide(header_text, ",", header_line).split(","), header_line)
    start, end = column(names, CSV_START), column(names, CSV_END)
    if start is None or end is None:
        raise FormatError("not a BirdNET CSV: no 'Start (s)' and 'End (s)' columns")
    label, confidence = column(names, "Common name"), column(names, "Confidence")
    boxes = []
    for line, content in rows:
        try:
            cells = not_too_wide(content, ",").split(",")
            if len(cells) > len(names):
                cells[len(names) - 1 :] = [",".join(cells[len(names) - 1 :])]
            cells = [plain(cell) for cell in row(names, cells)]
            attributes = {
                name: cell
                for index, (name, cell) in enumerate(zip(names, cells, strict=True))
                if name and cell and index not in {start, end, label, confidence}
            }
            box = new_box(
                seconds(cells[start], CSV_START),
                seconds(cells[end], CSV_END),
                label=cells[label] if label is not None else "",
                confidence=(
                    number(cells[confidence], "Confidence")
                    if confidence is not None and cells[confidence]
                    else None
                ),
                attributes=attributes,
            )
        except FormatError as error:
            raise error.at(line) from None
        if not _placeholder(box):
            add(boxes, ImportedBox(line, box), max_boxes)
    return boxes
