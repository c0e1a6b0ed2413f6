"""A recording's annotations: boxes in seconds and hertz, read and written as one versioned set.

Every write names the version it read; a stale version changes nothing (409), so two
editors never overwrite each other unseen. The set is stored as compressed JSON chunks
(models.AnnotationChunkModel) under a fresh set id, then the recording row is switched to
that set in one conditional update: a reader sees the old set or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import uuid
import zlib
from dataclasses import dataclass

from chalicelib import database
from chalicelib.audio_types import PLAIN_TEXT
from chalicelib.errors import (
    BadRequestError,
    ConflictError,
    StorageError,
    TooLargeError,
)
from chalicelib.models import AnnotationChunkModel, RecordingModel
from chalicelib.paging import ISSUED_ID
from chalicelib.validation import fields, whole_number

MAX_ANNOTATIONS = 10_000
MAX_LABEL = 200
MAX_NOTES = 2_000
# Entries of a box's measurements and attributes, the length of their names and values.
MAX_ENTRIES = 50
MAX_NAME = 100
MAX_VALUE = 1_000
# The whole set as JSON: a Lambda answer carries at most 6 MB.
MAX_SET_BYTES = 5_000_000
# Exports write times to the microsecond: a box ending at the recording's end may read back
# half a microsecond past it.
END_SLACK_S = 1e-6
ANNOTATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
LABEL = re.compile(PLAIN_TEXT)
# Compressed bytes in one chunk: well under the 400 KB item limit with the keys.
CHUNK_BYTES = 350_000
# Reads racing a write may find the set they were pointed at already replaced.
READ_ATTEMPTS = 3
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


def check_box(raw: object, *, where: str, bounds: Bounds) -> dict:
    """One annotation as stored and shown: every field present, each checked.

    A point (a click, an Audacity point label) has ``end_s == start_s``. ``where`` names
    the box in errors ("annotation 3", "line 12"). A box without an id gets a new one.
    """
    if not isinstance(raw, dict):
        raise BadRequestError(f"{where}: an annotation must be a JSON object, not {raw!r}")
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
    box["measurements"] = _entries(_given(raw, "measurements", {}), "measurements", where, _number)
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
    return {name: box[name] for name in FIELDS}


def _checked_set(boxes: list[dict]) -> list[dict]:
    """The whole set's limits: how many, unique ids, and its size as JSON."""
    if len(boxes) > MAX_ANNOTATIONS:
        raise BadRequestError(
            f"a recording holds at most {MAX_ANNOTATIONS} annotations; this makes {len(boxes)}"
        )
    seen: set[str] = set()
    for box in boxes:
        if box["id"] in seen:
            raise BadRequestError(f"annotation id {box['id']!r} appears twice")
        seen.add(box["id"])
    return boxes


def _boxes(value: object, name: str, bounds: Bounds) -> list[dict]:
    if not isinstance(value, list):
        raise BadRequestError(f"{name} must be a list of annotations, not {value!r}")
    return [check_box(raw, where=f"{name}[{i}]", bounds=bounds) for i, raw in enumerate(value)]


def _version(value: object) -> int:
    version = whole_number(value)
    if version is None or version < 0:
        raise BadRequestError(
            f"version must be the integer you read with the annotations, not {value!r}"
        )
    return version


def _stale(version: int) -> ConflictError:
    return ConflictError(
        f"the annotations changed since version {version}: read them again and reapply your changes"
    )


# Storage: chunks under a set id, switched to in one conditional update.


def _pack(boxes: list[dict]) -> list[bytes]:
    text = json.dumps(boxes, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if len(text.encode()) > MAX_SET_BYTES:
        raise TooLargeError(
            f"these annotations take {len(text.encode()) / 1e6:.1f} MB as JSON, over the "
            f"{MAX_SET_BYTES / 1e6:.0f} MB a recording's annotations may take: shorten notes "
            "or attributes"
        )
    packed = zlib.compress(text.encode(), 6)
    return [packed[i : i + CHUNK_BYTES] for i in range(0, len(packed), CHUNK_BYTES)] or [b""]


def _unpack(chunks: list[bytes]) -> list[dict]:
    packed = b"".join(chunks)
    return json.loads(zlib.decompress(packed)) if packed else []


def _chunk_keys(set_id: str, count: int) -> list[str]:
    return [f"{set_id}#{index:05d}" for index in range(count)]


def _delete_chunks(recording_id: str, keys: list[str]) -> None:
    with (
        database.translated("delete old annotations"),
        AnnotationChunkModel.batch_write() as batch,
    ):
        for key in keys:
            batch.delete(AnnotationChunkModel(recording_id, key))


def delete_all(recording_id: str) -> None:
    """Every chunk of every set of a recording (the recording is being deleted)."""
    with database.translated("delete the annotations"):
        keys = [
            item.chunk
            for item in AnnotationChunkModel.query(
                recording_id, attributes_to_get=["recording_id", "chunk"]
            )
        ]
    _delete_chunks(recording_id, keys)


def load(recording: RecordingModel) -> tuple[RecordingModel, list[dict]]:
    """The set the recording row points at, and the row it was read with."""
    for _ in range(READ_ATTEMPTS):
        if recording.annotation_set is None:
            return recording, []
        with database.translated("read the annotations"):
            chunks = list(
                AnnotationChunkModel.query(
                    recording.id,
                    AnnotationChunkModel.chunk.startswith(f"{recording.annotation_set}#"),
                    consistent_read=True,
                )
            )
        if len(chunks) == recording.annotation_chunks:
            return recording, _unpack([chunk.data for chunk in chunks])
        # A write replaced the set meanwhile: read the row again for the new one.
        recording = database.owned(
            RecordingModel, recording.id, recording.owner, what="recording", issued=ISSUED_ID
        )
    raise StorageError("could not read the annotations: they kept changing", retryable=True)


def store(recording: RecordingModel, boxes: list[dict], *, version: int) -> int:
    """Make ``boxes`` the recording's set if its version is still ``version``; the new one."""
    chunks = _pack(_checked_set(boxes))
    set_id = uuid.uuid4().hex
    keys = _chunk_keys(set_id, len(chunks))
    old_keys = (
        _chunk_keys(recording.annotation_set, int(recording.annotation_chunks))
        if recording.annotation_set
        else []
    )
    with (
        database.translated("save the annotations"),
        AnnotationChunkModel.batch_write() as batch,
    ):
        for key, data in zip(keys, chunks, strict=True):
            batch.save(AnnotationChunkModel(recording.id, key, data=data))
    unchanged = RecordingModel.annotation_version == version
    if version == 0:  # rows written before annotations existed have no version yet
        unchanged |= RecordingModel.annotation_version.does_not_exist()
    try:
        with database.translated("save the annotations"):
            recording.update(
                actions=[
                    RecordingModel.annotation_version.set(version + 1),
                    RecordingModel.annotation_count.set(len(boxes)),
                    RecordingModel.annotation_set.set(set_id),
                    RecordingModel.annotation_chunks.set(len(chunks)),
                ],
                condition=(RecordingModel.owner == recording.owner) & unchanged,
            )
    except (database.ConditionFailed, StorageError) as e:
        with contextlib.suppress(StorageError):
            _delete_chunks(recording.id, keys)
        if isinstance(e, database.ConditionFailed):
            raise _stale(version) from e
        raise
    # Readers may still hold the old set's id; they notice it is gone and read again.
    with contextlib.suppress(StorageError):
        _delete_chunks(recording.id, old_keys)
    return version + 1


def get(recording: RecordingModel) -> dict:
    """The set and its version, which the next write must name."""
    recording, boxes = load(recording)
    return {"annotations": boxes, "version": int(recording.annotation_version or 0)}


def replace(recording: RecordingModel, body: object) -> dict:
    """Replace the whole set, if it is still the version the editor read."""
    listed, version = fields(body, "annotations", "version")
    version = _version(version)
    boxes = _boxes(listed, "annotations", Bounds.of(recording))
    return {"annotations": boxes, "version": store(recording, boxes, version=version)}


def patch(recording: RecordingModel, body: object) -> dict:
    """Apply only the changes an editor made since ``version`` (autosave)."""
    if not isinstance(body, dict) or "version" not in body:
        raise BadRequestError('send {"version": n, "upsert": [annotations], "delete": [ids]}')
    version, upsert, delete = fields(
        {"upsert": [], "delete": [], **body}, "version", "upsert", "delete"
    )
    version = _version(version)
    changed = _checked_set(_boxes(upsert, "upsert", Bounds.of(recording)))
    if not isinstance(delete, list) or not all(isinstance(i, str) for i in delete):
        raise BadRequestError(f"delete must be a list of annotation ids, not {delete!r}")
    both = sorted({box["id"] for box in changed} & set(delete))
    if both:
        raise BadRequestError(f"annotation {both[0]!r} is both upserted and deleted")
    recording, boxes = load(recording)
    if version != int(recording.annotation_version or 0):
        raise _stale(version)
    by_id = {box["id"]: box for box in boxes}
    missing = [i for i in delete if i not in by_id]
    if missing:
        raise BadRequestError(f"no annotation {missing[0]!r} to delete")
    for i in delete:
        del by_id[i]
    by_id.update((box["id"], box) for box in changed)
    stored = store(recording, list(by_id.values()), version=version)
    return {
        "version": stored,
        "annotation_count": len(by_id),
        "upserted": changed,
        "deleted": delete,
    }
