"""Values too large for one DynamoDB item: a recording's annotation set (annotation_sets)
and its boxes' computed measurements (measurements), a blind assignee's own boxes (kept on
their assignment until both assignees are done) and a project's review index
(review_index), each stored as compressed JSON chunks (models.AnnotationChunkModel, keyed
by the recording's or the project's id) under a fresh set id.

A write stores the new chunks first, then points the row at them in one conditional update
and removes the chunks it replaced: a reader sees the old value or the new one, never a
mix; a reader still holding the old set id finds it gone and reads again.
"""

from __future__ import annotations

import contextlib
import json
import uuid
import zlib
from dataclasses import dataclass

from chalicelib import database
from chalicelib.errors import StorageError
from chalicelib.models import AnnotationChunkModel, AssignmentModel, ProjectModel, RecordingModel
from chalicelib.paging import ISSUED_ID

# Compressed bytes in one chunk: well under the 400 KB item limit with the keys.
CHUNK_BYTES = 350_000
# Reads racing a write may find the set they were pointed at already replaced.
READ_ATTEMPTS = 3
type Row = RecordingModel | ProjectModel | AssignmentModel


@dataclass(frozen=True)
class Pointer:
    """The row attributes that point at one kind of chunked value, the start of its set
    ids (so that the kinds' chunks never share a key), and what it is, for messages."""

    set_attribute: str
    count_attribute: str
    prefix: str
    what: str

    def of(self, row: Row) -> tuple[str | None, int]:
        """The set id the row points at (None: none yet) and its number of chunks."""
        set_id = getattr(row, self.set_attribute)
        return set_id, int(getattr(row, self.count_attribute) or 0)


def _holder(row: Row) -> str:
    """The id the row's chunks are kept under: a blind assignee's are their recording's."""
    return row.recording_id if isinstance(row, AssignmentModel) else row.id


def _read_again[R: Row](row: R) -> R:
    if isinstance(row, AssignmentModel):
        with database.translated("read the assignment"):
            return AssignmentModel.get(row.recording_id, row.assignee, consistent_read=True)
    what = "project" if isinstance(row, ProjectModel) else "recording"
    return database.owned(type(row), row.id, row.owner, what=what, issued=ISSUED_ID)


def _still_there(row: Row):
    """The condition that the row is the one read: same owner, or the assignment not gone."""
    if isinstance(row, AssignmentModel):
        return AssignmentModel.assignee.exists()
    return type(row).owner == row.owner


def encode(value: object) -> bytes:
    """``value`` as compact JSON text, UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _pack(data: bytes) -> list[bytes]:
    packed = zlib.compress(data, 6)
    return [packed[i : i + CHUNK_BYTES] for i in range(0, len(packed), CHUNK_BYTES)] or [b""]


def _unpack(chunks: list[bytes]) -> object:
    packed = b"".join(chunks)
    return json.loads(zlib.decompress(packed)) if packed else None


def _keys(set_id: str, count: int) -> list[str]:
    return [f"{set_id}#{index:05d}" for index in range(count)]


def _delete(recording_id: str, keys: list[str]) -> None:
    with (
        database.translated("delete replaced annotation data"),
        AnnotationChunkModel.batch_write() as batch,
    ):
        for key in keys:
            batch.delete(AnnotationChunkModel(recording_id, key))


def delete_all(row_id: str) -> None:
    """Every chunk of every kind and set of a recording or a project (it is being deleted)."""
    with database.translated("delete the annotations"):
        keys = [
            item.chunk
            for item in AnnotationChunkModel.query(
                row_id, attributes_to_get=["recording_id", "chunk"]
            )
        ]
    _delete(row_id, keys)


def delete_pointed(row: Row, pointer: Pointer) -> None:
    """The chunks of the set the row points at (the row itself is gone: a removed blind
    assignment's own boxes)."""
    set_id, count = pointer.of(row)
    if set_id is not None:
        _delete(_holder(row), _keys(set_id, count))


def load[R: (RecordingModel, ProjectModel, AssignmentModel)](
    row: R, pointer: Pointer
) -> tuple[R, object | None]:
    """The value the row points at (None: none stored yet), and the row it was read with
    (read again when a write replaced the set meanwhile)."""
    for _ in range(READ_ATTEMPTS):
        set_id, count = pointer.of(row)
        if set_id is None:
            return row, None
        with database.translated(f"read the {pointer.what}"):
            chunks = list(
                AnnotationChunkModel.query(
                    _holder(row),
                    AnnotationChunkModel.chunk.startswith(f"{set_id}#"),
                    consistent_read=True,
                )
            )
        if len(chunks) == count:
            return row, _unpack([chunk.data for chunk in chunks])
        row = _read_again(row)
    raise StorageError(f"could not read the {pointer.what}: they kept changing", retryable=True)


def switch(row: Row, pointer: Pointer, data: bytes, *, actions: list, condition) -> None:
    """Store ``data`` (JSON text, :func:`encode`) as a new set and point the row at it, with
    ``actions`` in the same update, if ``condition`` (and the row, see _still_there) still
    hold.

    Raises ``database.ConditionFailed`` when the condition fails, StorageError when storage
    does; either way the new chunks are removed and the row is unchanged.
    """
    model = type(row)
    chunks = _pack(data)
    set_id = f"{pointer.prefix}{uuid.uuid4().hex}"
    keys = _keys(set_id, len(chunks))
    old_id, old_count = pointer.of(row)
    old_keys = _keys(old_id, old_count) if old_id else []
    with (
        database.translated(f"save the {pointer.what}"),
        AnnotationChunkModel.batch_write() as batch,
    ):
        for key, chunk in zip(keys, chunks, strict=True):
            batch.save(AnnotationChunkModel(_holder(row), key, data=chunk))
    try:
        with database.translated(f"save the {pointer.what}"):
            row.update(
                actions=[
                    getattr(model, pointer.set_attribute).set(set_id),
                    getattr(model, pointer.count_attribute).set(len(chunks)),
                    *actions,
                ],
                condition=_still_there(row) & condition,
            )
    except (database.ConditionFailed, StorageError):
        with contextlib.suppress(StorageError):
            _delete(_holder(row), keys)
        raise
    with contextlib.suppress(StorageError):
        _delete(_holder(row), old_keys)
