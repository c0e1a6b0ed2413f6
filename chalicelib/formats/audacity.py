"""Audacity label tracks: ``start<TAB>end<TAB>label`` lines, in seconds.

Audacity's "Extended" label style follows a label with a line ``\\<TAB>low<TAB>high``
(Hz; ``-1`` is a side left undefined); standard and extended labels mix in one file.
"""

from __future__ import annotations

from chalicelib.formats.box import FormatError, ImportedBox, add, new_box
from chalicelib.formats.text import (
    first_record,
    hertz,
    not_negative,
    one_line,
    parse_number,
    plain,
    records,
    seconds,
    spreadsheet_safe,
)

_FREQUENCY_LINE = "\\"
# What Audacity writes for a side of the frequency range left undefined.
_UNDEFINED = -1.0


def recognises(text: str) -> bool:
    """Whether a file's first line is a label (it starts with a time) or a frequency line."""
    first = first_record(text).split("\t", 1)[0]
    return first.strip() == _FREQUENCY_LINE or parse_number(first) is not None


def read(text: str, max_boxes: int | None = None) -> list[ImportedBox]:
    """The labels of a label track, in file order (at most ``max_boxes``).

    As Audacity reads them: ``time<TAB>text`` (the second field not a number) and labels
    with start = end are point labels, returned with ``end_s == start_s``; only the third
    field is the label, and a number after it (BirdNET writes one) is the confidence. The
    first frequency line after a label gives its ``low_hz``/``high_hz``; later ones are
    ignored, as Audacity ignores them.
    """
    boxes: list[ImportedBox] = []
    has_frequencies = True  # of the label before; there is none before the first line
    for line, content in records(text, max_boxes):
        # Only the first four fields are read: the rest stays one, however many TABs it has.
        fields = content.split("\t", 4)
        try:
            if fields[0].strip() != _FREQUENCY_LINE:
                add(boxes, ImportedBox(line, _label(fields)), max_boxes)
                has_frequencies = False
            elif not boxes:
                raise FormatError("a frequency line ('\\') must follow a label")
            elif not has_frequencies:
                boxes[-1].box.update(_frequencies(fields))
                has_frequencies = True
        except FormatError as error:
            raise error.at(line) from None
    return boxes


def _label(fields: list[str]) -> dict:
    start = seconds(fields[0], "start time")
    end = parse_number(fields[1]) if len(fields) > 1 else None
    rest = fields[2:] if end is not None else fields[1:]
    confidence = parse_number(rest[1]) if len(rest) > 1 else None
    return new_box(
        start,
        start if end is None else not_negative(end, "end time"),
        label=plain(rest[0]) if rest else "",
        confidence=confidence,
    )


def _frequencies(fields: list[str]) -> dict:
    if len(fields) < 3:
        raise FormatError("a frequency line must be '\\<TAB>low<TAB>high'")
    return {"low_hz": _hertz(fields[1], "low"), "high_hz": _hertz(fields[2], "high")}


def _hertz(cell: str, what: str) -> float | None:
    return None if parse_number(cell) == _UNDEFINED else hertz(cell, f"{what} frequency")


def write(boxes: list[dict]) -> str:
    """A label track Audacity imports, ``%.6f`` times, LF line ends; the frequency line
    whenever a box has a frequency, ``-1.000000`` for a missing side (as Audacity writes)."""
    lines = []
    for box in boxes:
        label = spreadsheet_safe(one_line(box.get("label", "")))
        lines.append(f"{box['start_s']:.6f}\t{box['end_s']:.6f}\t{label}")
        low, high = box.get("low_hz"), box.get("high_hz")
        if low is not None or high is not None:
            sides = (_UNDEFINED if side is None else side for side in (low, high))
            lines.append("\t".join((_FREQUENCY_LINE, *(f"{side:.6f}" for side in sides))))
    return "".join(f"{line}\n" for line in lines)
