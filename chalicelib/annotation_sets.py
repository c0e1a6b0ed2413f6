"""A recording's annotations, read and written as one versioned set.

Every write names the version it read; a stale version changes nothing (409), so two
editors never overwrite each other unseen. The set is stored as compressed JSON chunks
(chalicelib/chunks.py) under a fresh set id, then the recording row is switched to that set
in one conditional update: a reader sees the old set or the new one, never a mix.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable

from chalicelib import chunks, database
from chalicelib.annotations import (
    MAX_ANNOTATIONS,
    MAX_SET_BYTES,
    Bounds,
    check_boxes,
    check_set,
)
from chalicelib.errors import BadRequestError, ConflictError, TooLargeError
from chalicelib.models import RecordingModel
from chalicelib.paging import ISSUED_ID
from chalicelib.validation import fields, whole_number


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


ANNOTATIONS = chunks.Pointer(
    set_attribute="annotation_set",
    count_attribute="annotation_chunks",
    prefix="",
    what="annotations",
)


def load(recording: RecordingModel) -> tuple[RecordingModel, list[dict]]:
    """The set the recording row points at, and the row it was read with."""
    recording, boxes = chunks.load(recording, ANNOTATIONS)
    return recording, boxes or []


def store(recording: RecordingModel, boxes: list[dict], *, version: int) -> int:
    """Make ``boxes`` the recording's set if its version is still ``version``; the new one."""
    data = chunks.encode(check_set(boxes))
    if len(data) > MAX_SET_BYTES:
        raise TooLargeError(
            f"these annotations take {len(data) / 1e6:.1f} MB as JSON, over the "
            f"{MAX_SET_BYTES / 1e6:.0f} MB a recording's annotations may take: shorten notes "
            "or attributes"
        )
    unchanged = RecordingModel.annotation_version == version
    if version == 0:  # rows written before annotations existed have no version yet
        unchanged |= RecordingModel.annotation_version.does_not_exist()
    try:
        chunks.switch(
            recording,
            ANNOTATIONS,
            data,
            actions=[
                RecordingModel.annotation_version.set(version + 1),
                RecordingModel.annotation_count.set(len(boxes)),
            ],
            condition=unchanged,
        )
    except database.ConditionFailed as e:
        raise _stale(version) from e
    return version + 1


def rewrite[Outcome](
    recording: RecordingModel,
    change: Callable[[list[dict]], tuple[list[dict] | None, Outcome]],
    *,
    attempts: int,
) -> tuple[Outcome, int | None]:
    """Store what ``change`` makes of the set, at the version it was read; when another
    writer got there first, read the set again and redo ``change``, up to ``attempts`` times.

    ``change`` returns the new set (None: nothing to write) and what it did; the answer is
    what the last attempt did and the new version (None when nothing was written).
    """
    for attempt in range(attempts):
        recording, boxes = load(recording)
        version = int(recording.annotation_version or 0)
        changed, outcome = change(boxes)
        if changed is None:
            return outcome, None
        try:
            return outcome, store(recording, changed, version=version)
        except ConflictError:
            if attempt == attempts - 1:
                raise
            recording = database.owned(
                RecordingModel, recording.id, recording.owner, what="recording", issued=ISSUED_ID
            )
    raise AssertionError("unreachable: attempts must be at least 1")


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
