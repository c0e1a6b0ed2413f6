"""A recording's annotations, read and written as one versioned set: its main set, or a
blind assignee's own layer (chalicelib/layers.py) while they annotate it blind.

Every write names the version it read; a stale version changes nothing (409), so two
editors never overwrite each other unseen. The set is stored as compressed JSON chunks
(chalicelib/chunks.py) under a fresh set id, then the recording row (the assignment row for
a layer) is switched to that set in one conditional update: a reader sees the old set or
the new one, never a mix.

Every box stored is signed (:func:`signed`): who created it, who changed it last and when.
A write of the main set also keeps the project's tallies (chalicelib/tallies.py).
"""

from __future__ import annotations

import logging
import reprlib
from collections.abc import Callable, Mapping

from chalicelib import chunks, database, layers, tallies
from chalicelib.annotations import (
    FIELDS,
    MAX_ANNOTATIONS,
    MAX_SET_BYTES,
    SIGNATURE,
    Bounds,
    check_boxes,
    check_set,
)
from chalicelib.clock import Clock, iso
from chalicelib.errors import BadRequestError, ConflictError, StorageError, TooLargeError
from chalicelib.models import AssignmentModel, RecordingModel
from chalicelib.paging import ISSUED_ID
from chalicelib.validation import fields, whole_number

logger = logging.getLogger(__name__)
# What makes a box what it is: a write that changes none of these leaves its signature.
_CONTENT = tuple(name for name in FIELDS if name not in SIGNATURE)


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


def _unsigned(boxes: list[dict]) -> list[dict]:
    """Stored boxes with every field: those saved before boxes were signed have none."""
    return [{**box, **{name: box.get(name) for name in SIGNATURE}} for box in boxes]


def load(recording: RecordingModel) -> tuple[RecordingModel, list[dict]]:
    """The main set the recording row points at, and the row it was read with."""
    recording, boxes = chunks.load(recording, ANNOTATIONS)
    return recording, _unsigned(boxes or [])


def load_layer(layer: AssignmentModel) -> tuple[AssignmentModel, list[dict]]:
    """A blind assignee's own boxes, and the assignment row they were read with."""
    layer, boxes = layers.load(layer)
    return layer, _unsigned(boxes)


def signed(
    boxes: list[dict],
    before: list[dict],
    *,
    user: str | None,
    at: str,
    authors: Mapping[str, str | None] | None = None,
) -> list[dict]:
    """The boxes as a write by ``user`` (None: a machine) at ``at`` stores them, ``before``
    being the set it replaces.

    A new box (an id not in ``before``) is created by ``user``, or by whom ``authors``
    names for its id (an import's Annotator; None: a machine); a box whose fields differ
    from its stored self keeps its creator and is updated by ``user`` at ``at``; an
    unchanged box keeps its signature. What the boxes carried as signature is ignored.
    """
    stored = {box["id"]: box for box in before}
    authors = authors or {}
    written = []
    for box in boxes:
        old = stored.get(box["id"])
        if old is None:
            creator = authors.get(box["id"], user)
        elif all(box.get(name) == old.get(name) for name in _CONTENT):
            written.append({**box, **{name: old.get(name) for name in SIGNATURE}})
            continue
        else:
            creator = old.get("created_by")
        written.append({**box, "created_by": creator, "updated_by": user, "updated_at": at})
    return written


def _project_is(project_id: str | None):
    if project_id is None:
        return RecordingModel.project_id.does_not_exist()
    return RecordingModel.project_id == project_id


def store(
    recording: RecordingModel,
    boxes: list[dict],
    *,
    version: int,
    before: list[dict],
    user: str | None,
    clock: Clock,
    layer: AssignmentModel | None = None,
    authors: Mapping[str, str | None] | None = None,
) -> tuple[int, list[dict]]:
    """Make ``boxes`` the recording's main set (or ``layer``, a blind assignee's) if its
    version is still ``version``, the one ``before`` was read at (and the row's: a stale row
    is a 409 too); the new version and the boxes as stored, signed by ``user`` (:func:`signed`).

    A write of the main set sets the recording's tally with the switch and adds the
    difference to its project's tallies right after (chalicelib/tallies.py).
    """
    held = layers.version(layer) if layer is not None else int(recording.annotation_version or 0)
    if held != version:
        raise _stale(version)
    boxes = signed(check_set(boxes), before, user=user, at=iso(clock()), authors=authors)
    data = chunks.encode(boxes)
    if len(data) > MAX_SET_BYTES:
        raise TooLargeError(
            f"these annotations take {len(data) / 1e6:.1f} MB as JSON, over the "
            f"{MAX_SET_BYTES / 1e6:.0f} MB a recording's annotations may take: shorten notes "
            "or attributes"
        )
    try:
        if layer is not None:
            layers.switch(layer, data, count=len(boxes), version=version)
            return version + 1, boxes
        old, new = tallies.of_recording(recording), tallies.of_set(boxes)
        unchanged = RecordingModel.annotation_version == version
        if version == 0:  # rows written before annotations existed have no version yet
            unchanged |= RecordingModel.annotation_version.does_not_exist()
        # A move to another project between the read and the switch would count this
        # write in the wrong project: it makes the write stale instead.
        chunks.switch(
            recording,
            ANNOTATIONS,
            data,
            actions=[
                RecordingModel.annotation_version.set(version + 1),
                RecordingModel.annotation_count.set(len(boxes)),
                RecordingModel.tally.set(tallies.encode(new)),
            ],
            condition=unchanged & _project_is(recording.project_id),
        )
    except database.ConditionFailed as e:
        raise _stale(version) from e
    if recording.project_id is not None:
        try:
            tallies.apply(recording.project_id, old, new)
        except StorageError:  # the set is saved; only the project's counts miss this write
            logger.warning("could not count recording %s's boxes", recording.id, exc_info=True)
    return version + 1, boxes


def rewrite[Outcome](
    recording: RecordingModel,
    change: Callable[[list[dict]], tuple[list[dict] | None, Outcome]],
    *,
    attempts: int,
    user: str | None,
    clock: Clock,
    authors: Mapping[str, str | None] | None = None,
) -> tuple[Outcome, int | None]:
    """Store what ``change`` makes of the main set, at the version it was read, signed by
    ``user`` (``authors``: see :func:`signed`); when another writer got there first, read
    the set again and redo ``change``, up to ``attempts`` times.

    ``change`` returns the new set (None: nothing to write) and what it did; the answer is
    what the last attempt did and the new version (None when nothing was written).
    """
    for attempt in range(attempts):
        recording, boxes = load(recording)
        version = int(recording.annotation_version or 0)
        changed, outcome = change([dict(box) for box in boxes])
        if changed is None:
            return outcome, None
        try:
            stored, _ = store(
                recording,
                changed,
                version=version,
                before=boxes,
                user=user,
                clock=clock,
                authors=authors,
            )
            return outcome, stored
        except ConflictError:
            if attempt == attempts - 1:
                raise
            recording = database.owned(
                RecordingModel, recording.id, recording.owner, what="recording", issued=ISSUED_ID
            )
    raise AssertionError("unreachable: attempts must be at least 1")


def read(
    recording: RecordingModel, layer: AssignmentModel | None
) -> tuple[RecordingModel, AssignmentModel | None, int, list[dict]]:
    """The set a request acts on (the main set, or ``layer``): the rows it was read with
    (the recording's, the layer's), its version and its boxes."""
    if layer is not None:
        layer, boxes = load_layer(layer)
        return recording, layer, layers.version(layer), boxes
    recording, boxes = load(recording)
    return recording, None, int(recording.annotation_version or 0), boxes


def get(recording: RecordingModel, *, layer: AssignmentModel | None = None) -> dict:
    """The set and its version, which the next write must name; ``blind``: whether it is
    the caller's own layer."""
    _, _, version, boxes = read(recording, layer)
    return {"annotations": boxes, "version": version, "blind": layer is not None}


def _read_for_write(
    recording: RecordingModel, layer: AssignmentModel | None, version: int
) -> tuple[RecordingModel, AssignmentModel | None, list[dict]]:
    """:func:`read`, when the set is still at ``version`` (else a 409)."""
    recording, layer, held, boxes = read(recording, layer)
    if held != version:
        raise _stale(version)
    return recording, layer, boxes


def replace(
    recording: RecordingModel,
    body: object,
    *,
    user: str,
    clock: Clock,
    layer: AssignmentModel | None = None,
) -> dict:
    """Replace the whole set, if it is still the version the editor read."""
    listed, version = fields(body, "annotations", "version")
    version = _version(version)
    boxes = check_boxes(listed, "annotations", Bounds.of(recording))
    recording, layer, before = _read_for_write(recording, layer, version)
    stored, boxes = store(
        recording, boxes, version=version, before=before, user=user, clock=clock, layer=layer
    )
    return {"annotations": boxes, "version": stored, "blind": layer is not None}


def patch(
    recording: RecordingModel,
    body: object,
    *,
    user: str,
    clock: Clock,
    layer: AssignmentModel | None = None,
) -> dict:
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
    recording, layer, boxes = _read_for_write(recording, layer, version)
    by_id = {box["id"]: box for box in boxes}
    missing = [i for i in delete if i not in by_id]
    if missing:
        raise ConflictError(f"no annotation {missing[0]!r} to delete at version {version}")
    for i in delete:
        del by_id[i]
    by_id.update((box["id"], box) for box in changed)
    stored, written = store(
        recording,
        list(by_id.values()),
        version=version,
        before=boxes,
        user=user,
        clock=clock,
        layer=layer,
    )
    signed_by_id = {box["id"]: box for box in written}
    return {
        "version": stored,
        "annotation_count": len(written),
        "upserted": [signed_by_id[box["id"]] for box in changed],
        "deleted": delete,
    }
