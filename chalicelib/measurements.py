"""The measurements Sonagram computes on every box (measurement_names.NAMES), stored apart
from the annotation set.

The worker measures boxes after people have saved them; were the values written into the
versioned set, every worker write would turn an editor's next save into a 409. So they live
in a store of their own (compressed JSON chunks, chalicelib/chunks.py, the recording row
pointing at the current set through ``measurement_set`` and ``measurement_chunks``):

    {box id: {"g": geometry, "v": {name: value}}}

where geometry is the box's time, band and channel when it was measured. Values are
current for a box while its geometry is unchanged: moving a box makes it pending again,
relabelling it does not. Readers merge the current values into the boxes' ``measurements``
(:func:`merged`); a computed name a client or a file sends is never taken (annotations
drops it).
"""

from __future__ import annotations

import logging

from chalicelib import annotation_sets, chunks, database, tasks
from chalicelib.config import Settings
from chalicelib.errors import StorageError
from chalicelib.measurement_names import NAMES
from chalicelib.models import RecordingModel
from chalicelib.paging import ISSUED_ID

logger = logging.getLogger(__name__)

MEASUREMENTS = chunks.Pointer(
    set_attribute="measurement_set",
    count_attribute="measurement_chunks",
    prefix="m",
    what="measurements",
)
# Concurrent saves (two workers measuring the same recording) each merge into what the
# other stored; a save that lost the race reads the store again and merges again.
SAVE_ATTEMPTS = 5
_ORDER = {name: index for index, name in enumerate(NAMES)}


def geometry(box: dict) -> str:
    """What the computed values of a box depend on: its times, band and channel."""
    times, band = f"{box['start_s']!r}|{box['end_s']!r}", f"{box['low_hz']!r}|{box['high_hz']!r}"
    return f"{times}|{band}|{box['channel']}"


def load(recording: RecordingModel) -> dict:
    """The stored values: ``{box id: {"g": geometry, "v": {name: value}}}``."""
    _, stored = chunks.load(recording, MEASUREMENTS)
    return stored or {}


def _current(box: dict, stored: dict) -> dict | None:
    entry = stored.get(box["id"])
    return entry["v"] if entry is not None and entry["g"] == geometry(box) else None


def merged(boxes: list[dict], stored: dict) -> list[dict]:
    """The boxes, each with its current computed values added to its own measurements (in
    NAMES order after them); a box without current values as it is."""
    served = []
    for box in boxes:
        values = _current(box, stored)
        if values is None:
            served.append(box)
            continue
        computed = sorted(values.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER)))
        served.append({**box, "measurements": {**box["measurements"], **dict(computed)}})
    return served


def missing(boxes: list[dict], stored: dict) -> list[dict]:
    """The boxes without current values: new, moved or never measured."""
    return [box for box in boxes if _current(box, stored) is None]


def save(recording: RecordingModel, measured: dict[str, tuple[str, dict]]) -> None:
    """Store ``{box id: (geometry, values)}`` with what is stored already.

    Values measured for a geometry the box no longer has are stale and left out, as are the
    entries of boxes no longer in the set. The switch is conditional on the store being the
    one read: when another save switched it meanwhile, this one reads again and merges again.
    """
    for _ in range(SAVE_ATTEMPTS):
        recording, boxes = annotation_sets.load(recording)
        recording, stored = chunks.load(recording, MEASUREMENTS)
        stored = stored or {}
        given = {box_id: {"g": g, "v": values} for box_id, (g, values) in measured.items()}
        kept = {}
        for box in boxes:
            entry = given.get(box["id"]) or stored.get(box["id"])
            if entry is not None and entry["g"] == geometry(box):
                kept[box["id"]] = entry
        set_id, _ = MEASUREMENTS.of(recording)
        unchanged = (
            RecordingModel.measurement_set.does_not_exist()
            if set_id is None
            else RecordingModel.measurement_set == set_id
        )
        try:
            data = chunks.encode(kept)
            chunks.switch(recording, MEASUREMENTS, data, actions=[], condition=unchanged)
            return
        except database.ConditionFailed:
            recording = database.owned(
                RecordingModel, recording.id, recording.owner, what="recording", issued=ISSUED_ID
            )
    raise database.ConditionFailed(
        f"could not save the measurements of recording {recording.id}: they kept changing"
    )


def state(recording: RecordingModel) -> dict:
    """``GET /recordings/{id}/measurements``: each box's current values, and the ids of the
    boxes still waiting for theirs (the viewer polls while any is pending)."""
    recording, boxes = annotation_sets.load(recording)
    stored = load(recording)
    return {
        "measurements": {
            box["id"]: values for box in boxes if (values := _current(box, stored)) is not None
        },
        "pending": [box["id"] for box in missing(boxes, stored)],
    }


def after_write(settings: Settings, recording: RecordingModel) -> dict:
    """After a write of the recording's set: ask the worker to measure when any box lacks
    current values; the stored values, to merge into the answer.

    A task that cannot be sent is logged, never a failed save: the write is done, and the
    next write (or the next run of a detector) asks again.
    """
    recording, boxes = annotation_sets.load(recording)
    stored = load(recording)
    # Before its audio is decoded, the upload's own render measures every box.
    if recording.duration_s is not None and missing(boxes, stored):
        try:
            tasks.send(settings, tasks.MEASURE, recording_id=recording.id)
        except StorageError:
            logger.warning("could not ask to measure recording %s", recording.id, exc_info=True)
    return stored
