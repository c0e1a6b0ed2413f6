"""What an annotation may be: a box in seconds and hertz, checked field by field against
its recording, and the limits of a recording's set of them.

annotation_sets stores and versions the set; the importers (formats) read files into boxes
that are checked here.
"""

from __future__ import annotations

import math
import re
import reprlib
import uuid
from dataclasses import dataclass

from chalicelib.audio_types import PLAIN_TEXT
from chalicelib.errors import BadRequestError
from chalicelib.formats.json_document import CONTAINERS_PER_BOX
from chalicelib.measurement_names import NAMES as COMPUTED
from chalicelib.models import RecordingModel
from chalicelib.validation import whole_number

MAX_ANNOTATIONS = 10_000
# The JSON arrays and objects of the largest body, a PATCH upserting a whole set: its boxes
# and the body, upsert and delete around them.
MAX_BODY_CONTAINERS = CONTAINERS_PER_BOX * MAX_ANNOTATIONS + 3
MAX_LABEL = 200
MAX_NOTES = 2_000
# Entries of a box's measurements and attributes, the length of their names and values.
MAX_ENTRIES = 50
MAX_NAME = 100
MAX_VALUE = 1_000
# Who made a box: null for a person, else "detector:<preset>", "birdnet", "raven", ...
MAX_SOURCE = 100
# The whole set as JSON: a Lambda answer carries at most 6 MB.
MAX_SET_BYTES = 5_000_000
# Exports write times to the microsecond: a box ending at the recording's end may read back
# half a microsecond past it.
END_SLACK_S = 1e-6
ANNOTATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
LABEL = re.compile(PLAIN_TEXT)
OPTIONAL_NUMBERS = ("low_hz", "high_hz", "confidence")
FIELDS = (
    "id",
    "start_s",
    "end_s",
    "low_hz",
    "high_hz",
    "label",
    "confidence",
    "notes",
    "measurements",
    "attributes",
    "channel",
    "source",
    "review",
    "created_by",
    "updated_by",
    "updated_at",
)
# Who made a box and who changed it last, when: the server's to write (annotation_sets
# signs every box it stores), whatever a client sends.
SIGNATURE = ("created_by", "updated_by", "updated_at")
REVIEW_STATES = ("accepted", "rejected")
REVIEW_FIELDS = ("state", "by", "at", "label_before")
MAX_REVIEWER = 100
# When a box was reviewed: ISO 8601 / RFC 3339 date and time, as a browser's toISOString()
# writes it (the offset may be left out, as Python's isoformat() does for a naive time).
REVIEW_AT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?"
)


@dataclass(frozen=True)
class Bounds:
    """What a recording allows of a box; None where decoding has not told us yet."""

    duration_s: float | None
    nyquist_hz: float | None
    channels: int | None

    @classmethod
    def of(cls, recording: RecordingModel) -> Bounds:
        return cls(
            duration_s=recording.duration_s,
            nyquist_hz=recording.sample_rate / 2 if recording.sample_rate else None,
            channels=int(recording.channels) if recording.channels else None,
        )


def _number(value: object, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequestError(f"{where}: {name} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise BadRequestError(f"{where}: {name} must be a finite number, not {value!r}")
    return float(value)


def _text(value: object, name: str, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise BadRequestError(f"{where}: {name} must be a string, not {value!r}")
    if len(value) > limit:
        raise BadRequestError(f"{where}: {name} is {len(value)} characters, over {limit}")
    try:
        value.encode()
    except UnicodeEncodeError as e:  # a lone surrogate, which JSON allows and storage does not
        raise BadRequestError(f"{where}: {name} is not valid Unicode text") from e
    return value


def _entries(value: object, name: str, where: str, check) -> dict:
    if not isinstance(value, dict):
        raise BadRequestError(f"{where}: {name} must be an object, not {value!r}")
    if len(value) > MAX_ENTRIES:
        raise BadRequestError(f"{where}: {name} has {len(value)} entries, over {MAX_ENTRIES}")
    checked = {}
    for key, item in value.items():
        key = _text(key, f"a name in {name}", where, MAX_NAME)
        if not key:
            raise BadRequestError(f"{where}: {name} has an empty name")
        checked[key] = check(item, f"{name}[{key!r}]", where)
    return checked


def _attribute(value: object, name: str, where: str) -> str:
    return _text(value, name, where, MAX_VALUE)


def _given(raw: dict, name: str, default: object) -> object:
    """The field's value; ``default`` when it is absent or null."""
    value = raw.get(name)
    return default if value is None else value


def _review(value: object, where: str) -> dict | None:
    """A box's review: null (not reviewed) or who accepted or rejected it, when, and the
    label it had before (a person relabelling a proposal accepts it)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequestError(f"{where}: review must be an object or null, not {value!r:.80}")
    unknown = sorted(set(value) - set(REVIEW_FIELDS), key=str)
    if unknown:
        raise BadRequestError(
            f"{where}: unknown review field(s) {', '.join(map(repr, unknown))}; "
            f"a review has {', '.join(REVIEW_FIELDS)}"
        )
    state = value.get("state")
    if state not in REVIEW_STATES:
        raise BadRequestError(
            f"{where}: review.state must be one of {', '.join(REVIEW_STATES)}, not {state!r:.80}"
        )
    by, at, before = (value.get(name) for name in ("by", "at", "label_before"))
    if by is not None and not LABEL.fullmatch(_text(by, "review.by", where, MAX_REVIEWER)):
        raise BadRequestError(f"{where}: review.by {by!r} holds control characters")
    if at is not None and not (isinstance(at, str) and REVIEW_AT.fullmatch(at)):
        raise BadRequestError(
            f"{where}: review.at must be an ISO 8601 time such as 2026-12-07T12:00:00Z, "
            f"not {at!r:.80}"
        )
    if before is not None and not LABEL.fullmatch(
        _text(before, "review.label_before", where, MAX_LABEL)
    ):
        raise BadRequestError(f"{where}: review.label_before {before!r} holds control characters")
    return {"state": state, "by": by, "at": at, "label_before": before}


def check_box(raw: object, *, where: str, bounds: Bounds) -> dict:
    """One annotation as stored and shown: every field present, each checked.

    A point (a click, an Audacity point label) has ``end_s == start_s``. ``where`` names
    the box in errors ("annotation 3", "line 12"). A box without an id gets a new one.
    Computed measurements (measurement_names.NAMES) are dropped: they are the server's,
    recomputed from the audio (chalicelib/measurements.py), whoever sends them. So is the
    signature (``SIGNATURE``, null here): annotation_sets signs the boxes it stores.
    """
    if not isinstance(raw, dict):
        raise BadRequestError(
            f"{where}: an annotation must be a JSON object, not {reprlib.repr(raw)}"
        )
    unknown = sorted(set(raw) - set(FIELDS), key=str)
    if unknown:
        raise BadRequestError(
            f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
            f"an annotation has {', '.join(FIELDS)}"
        )
    missing = [name for name in ("start_s", "end_s") if raw.get(name) is None]
    if missing:
        raise BadRequestError(f"{where}: missing {' and '.join(missing)}")
    box_id = raw.get("id")
    if box_id is None:
        box_id = str(uuid.uuid4())
    elif not (isinstance(box_id, str) and ANNOTATION_ID.fullmatch(box_id)):
        raise BadRequestError(
            f"{where}: id must be 1-64 letters, digits, '_' or '-', not {box_id!r}"
        )
    where = f"{where} (id {box_id!r})" if "id" in raw else where
    box = {"id": box_id}
    box["start_s"] = _number(raw["start_s"], "start_s", where)
    box["end_s"] = _number(raw["end_s"], "end_s", where)
    for name in OPTIONAL_NUMBERS:
        value = raw.get(name)
        box[name] = None if value is None else _number(value, name, where)
    if box["start_s"] < 0:
        raise BadRequestError(f"{where}: start_s {box['start_s']} is before the recording starts")
    if box["end_s"] < box["start_s"]:
        raise BadRequestError(
            f"{where}: end_s {box['end_s']} must not be before start_s {box['start_s']} "
            "(a point has end_s = start_s)"
        )
    if bounds.duration_s is not None and box["end_s"] > bounds.duration_s + END_SLACK_S:
        raise BadRequestError(
            f"{where}: end_s {box['end_s']} is past the recording's end ({bounds.duration_s:.6f} s)"
        )
    for name in ("low_hz", "high_hz"):
        value = box[name]
        if value is not None and value < 0:
            raise BadRequestError(f"{where}: {name} {value} must not be negative")
        if value is not None and bounds.nyquist_hz is not None and value > bounds.nyquist_hz:
            raise BadRequestError(
                f"{where}: {name} {value} is above the recording's highest frequency "
                f"({bounds.nyquist_hz:g} Hz, half its sample rate)"
            )
    # A point may sit at one frequency, as a point selection in Raven's spectrogram does.
    point = box["end_s"] == box["start_s"]
    low, high = box["low_hz"], box["high_hz"]
    if None not in (low, high) and (high < low or (high == low and not point)):
        raise BadRequestError(
            f"{where}: high_hz {high} must be above low_hz {low} (or equal to it for a point)"
        )
    label = _text(_given(raw, "label", ""), "label", where, MAX_LABEL)
    if not LABEL.fullmatch(label):
        raise BadRequestError(f"{where}: label {label!r} holds control characters")
    box["label"] = label
    notes = raw.get("notes")
    box["notes"] = None if notes is None else _text(notes, "notes", where, MAX_NOTES)
    measured = _given(raw, "measurements", {})
    if isinstance(measured, dict):
        measured = {key: value for key, value in measured.items() if key not in COMPUTED}
    box["measurements"] = _entries(measured, "measurements", where, _number)
    box["attributes"] = _entries(_given(raw, "attributes", {}), "attributes", where, _attribute)
    given = _given(raw, "channel", 1)
    channel = whole_number(given)
    if channel is None or channel < 1:
        raise BadRequestError(f"{where}: channel must be an integer from 1, not {given!r}")
    if bounds.channels is not None and channel > bounds.channels:
        raise BadRequestError(
            f"{where}: channel {channel} does not exist; the recording has {bounds.channels}"
        )
    box["channel"] = channel
    source = raw.get("source")
    if source is not None and not LABEL.fullmatch(_text(source, "source", where, MAX_SOURCE)):
        raise BadRequestError(f"{where}: source {source!r} holds control characters")
    # An empty source says as little as none: the box is a person's.
    box["source"] = source or None
    box["review"] = _review(raw.get("review"), where)
    box.update(dict.fromkeys(SIGNATURE))
    return {name: box[name] for name in FIELDS}


def author(value: object, where: str) -> str | None:
    """Who a file says made a box (Raven's Annotator, a CSV's created_by): None if nobody."""
    if value is None or value == "":
        return None
    name = _text(value, "created_by", where, MAX_REVIEWER)
    if not LABEL.fullmatch(name):
        raise BadRequestError(f"{where}: created_by {name!r} holds control characters")
    return name


def _not_too_many(count: int) -> None:
    if count > MAX_ANNOTATIONS:
        raise BadRequestError(
            f"a recording holds at most {MAX_ANNOTATIONS} annotations; this makes {count}"
        )


def check_set(boxes: list[dict]) -> list[dict]:
    """The whole set's limits: how many, and each id once (its size as JSON is checked as
    annotation_sets stores it)."""
    _not_too_many(len(boxes))
    seen: set[str] = set()
    for box in boxes:
        if box["id"] in seen:
            raise BadRequestError(f"annotation id {box['id']!r} appears twice")
        seen.add(box["id"])
    return boxes


def check_boxes(value: object, name: str, bounds: Bounds) -> list[dict]:
    """The boxes of a request's list ``name``, each checked."""
    if not isinstance(value, list):
        raise BadRequestError(f"{name} must be a list of annotations, not {reprlib.repr(value)}")
    _not_too_many(len(value))  # before checking each: the list may be millions long
    return [check_box(raw, where=f"{name}[{i}]", bounds=bounds) for i, raw in enumerate(value)]
