"""A recording's annotations, read and written as one versioned set.

Every write names the version it read; a stale version changes nothing (409), so two
editors never overwrite each other unseen. The set is stored as compressed JSON chunks
(models.AnnotationChunkModel) under a fresh set id, then the recording row is switched to
that set in one conditional update: a reader sees the old set or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import reprlib
import uuid
import zlib

from chalicelib import database
from chalicelib.annotations import (
    MAX_ANNOTATIONS,
    MAX_SET_BYTES,
    Bounds,
    check_boxes,
    check_set,
)
from chalicelib.errors import BadRequestError, ConflictError, StorageError, TooLargeError
from chalicelib.models import AnnotationChunkModel, RecordingModel
from chalicelib.paging import ISSUED_ID
from chalicelib.validation import fields, whole_number

# Compressed bytes in one chunk: well under the 400 KB item limit with the keys.
CHUNK_BYTES = 350_000
# Reads racing a write may find the set they were pointed at already replaced.
READ_ATTEMPTS = 3


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
    chunks = _pack(check_set(boxes))
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
    boxes = check_boxes(listed, "annotations", Bounds.of(recording))
    return {"annotations": boxes, "version": store(recording, boxes, version=version)}


def patch(recording: RecordingModel, body: object) -> dict:
    """Apply only the changes an editor made since ``version`` (autosave)."""
    if not isinstance(body, dict) or "version" not in body:
        raise BadRequestError('send {"version": n, "upsert": [annotations], "delete": [ids]}')
    version, upsert, delete = fields(
        {"upsert": [], "delete": [], **body}, "version", "upsert", "delete"
    )
    version = _version(version)
    changed = check_set(check_boxes(upsert, "upsert", Bounds.of(recording)))
    if isinstance(delete, list) and len(delete) > MAX_ANNOTATIONS:
        raise BadRequestError(
            f"delete lists {len(delete)} ids; a recording holds at most {MAX_ANNOTATIONS} "
            "annotations"
        )
    if not isinstance(delete, list) or not all(isinstance(i, str) for i in delete):
        raise BadRequestError(
            f"delete must be a list of annotation ids, not {reprlib.repr(delete)}"
        )
    both = sorted({box["id"] for box in changed} & set(delete))
    if both:
        raise BadRequestError(f"annotation {both[0]!r} is both upserted and deleted")
    recording, boxes = load(recording)
    if version != int(recording.annotation_version or 0):
        raise _stale(version)
    by_id = {box["id"]: box for box in boxes}
    missing = [i for i in delete if i not in by_id]
    if missing:
        raise ConflictError(f"no annotation {missing[0]!r} to delete at version {version}")
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
