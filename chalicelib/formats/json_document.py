"""Our JSON: ``{"recording": name, "duration_s": seconds, "annotations": [box, ...]}``.

Boxes are the API's annotation shape without ``id``. Reading takes that document, a bare
list of boxes, or what ``GET .../annotations`` answered (its ``version`` and the boxes'
``id`` are dropped: imported boxes are new ones) and, since the format is ours, refuses any
other field. A box's place is its 1-based index in the list (``ImportedBox.line``,
``FormatError.line``).

A project's export, ``{"project": name, "annotations": [...]}``, leads each box with its
``recording_id`` and ``filename``; it is written for other programs, not read back (its
boxes belong to several recordings).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from chalicelib.formats.box import FormatError, ImportedBox, RecordingBoxes, new_box, too_many
from chalicelib.formats.text import MAX_CELLS, base_name, not_negative
from chalicelib.json_text import containers, integer

_DOCUMENT_FIELDS = ("recording", "duration_s", "annotations", "version")
# Arrays and objects per box: the box, its measurements, its attributes and its review.
CONTAINERS_PER_BOX = 4
# Given by the API, not part of an imported box: its id, and who changed it last when (an
# import is a new write; who created it, ``created_by``, is kept).
_IGNORED = ("id", "updated_by", "updated_at")
_PLACE = "annotation"


def recognises(text: str) -> bool:
    """Whether a file is a JSON object or array."""
    return text.lstrip()[:1] in ("{", "[")


def read(text: str, max_boxes: int | None = None) -> list[ImportedBox]:
    """The boxes of a document or of a bare list, in order (at most ``max_boxes``: a
    document that could hold more is refused before it is parsed)."""
    if max_boxes is not None:
        most = CONTAINERS_PER_BOX * max_boxes + 2
        count = containers(text, most)
        if count > most:
            raise FormatError(
                f"the file holds {count} JSON arrays and objects; {max_boxes} annotations "
                f"take at most {most}"
            )
    document = _parse(text)
    if isinstance(document, dict):
        if "project" in document:
            raise FormatError(
                "this is a project's export, of several recordings: import each recording's "
                "own file into it"
            )
        unknown = sorted(set(document) - set(_DOCUMENT_FIELDS))
        if unknown:
            raise FormatError(f"unknown field '{unknown[0]}' in the document")
        if "annotations" not in document:
            raise FormatError("the document has no 'annotations' list")
        document = document["annotations"]
    if not isinstance(document, list):
        raise FormatError("'annotations' must be a list of annotations")
    if max_boxes is not None and len(document) > max_boxes:
        raise too_many(max_boxes)
    boxes = []
    for index, fields in enumerate(document, start=1):
        try:
            boxes.append(ImportedBox(index, _box(fields)))
        except FormatError as error:
            raise FormatError(error.message, index, place=_PLACE) from None
    return boxes


def _parse(text: str) -> object:
    def refuse(constant: str) -> None:
        raise FormatError(f"{constant} is not a number JSON allows")

    try:
        return json.loads(text, parse_int=integer, parse_constant=refuse)
    except json.JSONDecodeError as error:
        raise FormatError(f"not valid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply") from None


def _box(fields: object) -> dict:
    if not isinstance(fields, dict):
        raise FormatError(f"not an object with start_s and end_s but {json.dumps(fields)}")
    fields = {name: value for name, value in fields.items() if name not in _IGNORED}
    for name in fields:
        if name not in _CHECKS:
            raise FormatError(f"unknown field '{name}'")
    for name in ("start_s", "end_s"):
        if name not in fields:
            raise FormatError(f"missing field '{name}'")
    values = {**_DEFAULTS, **fields}
    return new_box(**{name: check(values[name], name) for name, check in _CHECKS.items()})


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FormatError(f"{name} {json.dumps(value)} is not a finite number")
    return float(value)


def _amount(value: object, name: str) -> float:
    return not_negative(_finite(value, name), name)


def _string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{name} {json.dumps(value)} is not a string")
    return value


def _channel(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FormatError(f"{name} {json.dumps(value)} is not a channel number (1, 2, ...)")
    return value


def _review(value: object, name: str) -> dict:
    # Its fields are checked with the box's (chalicelib.annotations), as a request's are.
    if not isinstance(value, dict):
        raise FormatError(f"{name} {json.dumps(value)} is not an object")
    return value


def _optional(check: Callable[[object, str], object]) -> Callable[[object, str], object]:
    return lambda value, name: None if value is None else check(value, name)


def _mapping_of(check: Callable[[object, str], object]) -> Callable[[object, str], dict]:
    def mapping(value: object, name: str) -> dict:
        if not isinstance(value, dict):
            raise FormatError(f"{name} {json.dumps(value)} is not an object")
        if len(value) > MAX_CELLS:  # as a table's line: no box has more
            raise FormatError(f"{name} has {len(value)} entries, more than {MAX_CELLS}")
        return {key: check(item, f"{name} '{key}'") for key, item in value.items()}

    return mapping


# How each field of a box is checked, in the API's order.
_CHECKS = {
    "start_s": _amount,
    "end_s": _amount,
    "low_hz": _optional(_amount),
    "high_hz": _optional(_amount),
    "label": _string,
    "confidence": _optional(_finite),
    "notes": _optional(_string),
    "measurements": _mapping_of(_finite),
    "attributes": _mapping_of(_string),
    "channel": _channel,
    "source": _optional(_string),
    "review": _optional(_review),
    "created_by": _optional(_string),
}
_DEFAULTS = new_box(0.0, 0.0)
# Written: every field of a box, in the API's order.
_WRITTEN = (*_CHECKS, "updated_by", "updated_at")


def write(recordings: list[RecordingBoxes], *, project: str | None = None) -> str:
    """The document, one annotation a line, each with exactly the fields a box has (no
    ``id``): of one recording, ``{"recording": its file name without folders, "duration_s",
    "annotations"}``; of a project's (``project`` its name), ``{"project", "annotations"}``
    with each annotation's ``recording_id`` and ``filename`` first."""
    if project is None:
        (recording,) = recordings
        head = {"recording": base_name(recording.filename), "duration_s": recording.duration_s}
    else:
        head = {"project": project}
    annotations = ",\n".join(
        "  " + _dumps({**_whose(recording, project), **_fields(box)})
        for recording in recordings
        for box in recording.boxes
    )
    document = _dumps({**head, "annotations": []})
    # Written around the list, since json's indent= would take each number to a line of
    # its own (and its pure-Python encoder is slow for ten thousand boxes).
    return f"{document[:-3]}[\n{annotations}\n]}}\n" if annotations else f"{document}\n"


def _whose(recording: RecordingBoxes, project: str | None) -> dict:
    """What a project's file says of each box's recording."""
    if project is None:
        return {}
    return {"recording_id": recording.recording_id, "filename": recording.filename}


def _fields(box: dict) -> dict:
    return {name: box.get(name, _DEFAULTS.get(name)) for name in _WRITTEN}


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
