"""Every box of a project's recordings as a compact row, for the review queue, precision and
the accept-above-a-threshold action: one read instead of a thousand sets.

The index is kept per project as chunks (chalicelib/chunks.py, under the project's id) and
in the function's memory while it is warm. Each recording's rows carry the annotation set id
they were read from; a request reads the project's recordings (their ids from the project's
items, chalicelib/project_recordings.py, their rows by BatchGet) and reads again only the
sets whose id changed, so the index is never staler than the recordings' rows. The stored
copy is written again once :data:`SAVE_AFTER` recordings differ from it (or when there was
none): a few changed sets cost a few reads, a rewrite of the whole index costs more.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

from chalicelib import annotation_sets, chunks, database, project_recordings, status
from chalicelib.errors import StorageError
from chalicelib.models import ProjectModel, RecordingModel, SpectrogramModel

logger = logging.getLogger(__name__)

REVIEW_INDEX = chunks.Pointer(
    set_attribute="review_index_set",
    count_attribute="review_index_chunks",
    prefix="r",
    what="review index",
)
# Recordings whose rows differ from the stored index before it is stored again.
SAVE_AFTER = 20
# Requests at once: sets read when many changed, batches of rows (each mostly waiting).
AT_ONCE = 8
# Keys in one BatchGet, DynamoDB's most.
BATCH = 100
# Projects whose index a warm function keeps in memory: 100,000 boxes take about 40 MB of
# the API function's 512.
KEPT_PROJECTS = 2
RECORDING_ATTRIBUTES = [
    "id",
    "owner",
    "filename",
    "created_at",
    "duration_s",
    "annotation_set",
    "annotation_chunks",
    "annotation_version",
]
# The stored layout's version: an index stored otherwise is built again.
LAYOUT = 1


class Box(NamedTuple):
    """One box as the queue needs it (a field of the stored set each, but the recording and
    the label it came in with)."""

    recording_id: str
    annotation_id: str
    start_s: float
    end_s: float
    low_hz: float | None
    high_hz: float | None
    label: str
    confidence: float | None
    source: str | None
    review: dict | None
    # The label before a relabel, else its label: what the Label filter and the sample's
    # strata go by, so relabelling never moves a box out of its queue or sample.
    given_label: str

    @classmethod
    def of(cls, recording_id: str, row: list | tuple) -> Box:
        """A box from a stored row: its id, then the fields of :data:`STORED`.

        Built with ``_make``: a cold index makes 100,000 of them.
        """
        review = row[8]
        given = (review.get("label_before") if review else None) or row[5]
        return cls._make((recording_id, *row, given))

    @property
    def state(self) -> str | None:
        """accepted, rejected, or None (not reviewed)."""
        return self.review["state"] if self.review else None


# The fields of a stored box a row keeps, after its id.
STORED = ("start_s", "end_s", "low_hz", "high_hz", "label", "confidence", "source", "review")


@dataclass(frozen=True)
class Recording:
    id: str
    filename: str
    created_at: str
    duration_s: float | None


@dataclass(frozen=True)
class Scope:
    """The recordings a queue covers (by id) and every box of them."""

    recordings: dict[str, Recording]
    boxes: list[Box]


@dataclass(frozen=True)
class _Entry:
    """One recording's rows and the set they were read from."""

    set_id: str | None
    boxes: tuple[Box, ...]


@dataclass
class _Kept:
    """A project's index in memory: each recording's entry, and the set ids of the stored copy
    (what it holds for each recording)."""

    entries: dict[str, _Entry]
    stored: dict[str, str | None]


_kept: OrderedDict[str, _Kept] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    """Drop every index kept in memory (tests: a cold start)."""
    with _lock:
        _kept.clear()


def _rows(recording_id: str, stored: list[dict]) -> tuple[Box, ...]:
    return tuple(Box.of(recording_id, [box["id"], *(box[n] for n in STORED)]) for box in stored)


def _entry(recording: RecordingModel) -> _Entry:
    recording, boxes = annotation_sets.load(recording)
    return _Entry(recording.annotation_set, _rows(recording.id, boxes))


def recording_scope(recording: RecordingModel) -> Scope:
    """One recording's boxes (access was checked by whoever read the row)."""
    entry = _entry(recording)
    about = Recording(recording.id, recording.filename, recording.created_at, recording.duration_s)
    return Scope({recording.id: about}, list(entry.boxes))


def _read_rows(model: type, ids: list[str], attributes: list[str]) -> list:
    """The rows of these ids (consistent: a decision just written shows in the next page, as
    its set id moved), a BatchGet of at most :data:`BATCH` keys at a time, :data:`AT_ONCE`
    at once."""

    def batch(group: list[str]) -> list:
        return list(model.batch_get(group, consistent_read=True, attributes_to_get=attributes))

    groups = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        return [row for rows in pool.map(batch, groups) for row in rows]


def _project_recordings(project_id: str) -> list[RecordingModel]:
    """The project's recordings, oldest first, without those being deleted."""
    ids = project_recordings.ids(project_id)
    with database.translated("find the project's recordings"):
        rows = {r.id: r for r in _read_rows(RecordingModel, ids, RECORDING_ATTRIBUTES)}
        statuses = _read_rows(SpectrogramModel, ids, ["recording_id", "status"])
    deleting = {s.recording_id for s in statuses if s.status == status.DELETING}
    return [rows[i] for i in ids if i in rows and i not in deleting]


def _from_stored(stored: object) -> _Kept:
    if not (isinstance(stored, dict) and stored.get("layout") == LAYOUT):
        return _Kept({}, {})
    entries = {
        recording_id: _Entry(
            kept["set"],
            tuple(Box.of(recording_id, row) for row in kept["boxes"]),
        )
        for recording_id, kept in stored["recordings"].items()
    }
    return _Kept(entries, {i: entry.set_id for i, entry in entries.items()})


def _as_stored(entries: dict[str, _Entry]) -> bytes:
    return chunks.encode(
        {
            "layout": LAYOUT,
            "recordings": {
                recording_id: {
                    "set": entry.set_id,
                    "boxes": [list(box[1:-1]) for box in entry.boxes],
                }
                for recording_id, entry in entries.items()
            },
        }
    )


def _store(project: ProjectModel, kept: _Kept) -> None:
    """Store the index if the project still points at the copy it was read with; when not
    (another function stored one meanwhile) or storage fails, the next request reads again
    what differs: the index is a cache."""
    old_id, _ = REVIEW_INDEX.of(project)
    unchanged = (
        ProjectModel.review_index_set.does_not_exist()
        if old_id is None
        else ProjectModel.review_index_set == old_id
    )
    try:
        chunks.switch(
            project, REVIEW_INDEX, _as_stored(kept.entries), actions=[], condition=unchanged
        )
    except (database.ConditionFailed, StorageError) as e:
        logger.info("review index of project %s not stored: %s", project.id, e)
        return
    kept.stored = {i: entry.set_id for i, entry in kept.entries.items()}


def project_scope(project: ProjectModel) -> Scope:
    """Every box of every recording of the project (the caller checked the user may see
    it), as current as its recordings' rows."""
    project_id = project.id
    recordings = _project_recordings(project_id)
    with _lock:
        kept = _kept.get(project_id)
    if kept is None:
        with contextlib.suppress(StorageError):  # a cache: build it again
            project, stored = chunks.load(project, REVIEW_INDEX)
            kept = _from_stored(stored)
    kept = kept or _Kept({}, {})
    entries = {
        r.id: kept.entries[r.id]
        for r in recordings
        if r.id in kept.entries and kept.entries[r.id].set_id == r.annotation_set
    }
    changed = [r for r in recordings if r.id not in entries]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        for recording, entry in zip(changed, pool.map(_entry, changed), strict=True):
            entries[recording.id] = entry
    kept = _Kept({r.id: entries[r.id] for r in recordings}, kept.stored)
    differ = sum(
        1 for i, entry in kept.entries.items() if kept.stored.get(i, "") != entry.set_id
    ) + len(kept.stored.keys() - kept.entries.keys())
    if differ >= SAVE_AFTER or (differ and project.review_index_set is None):
        _store(project, kept)
    with _lock:
        _kept[project_id] = kept
        _kept.move_to_end(project_id)
        while len(_kept) > KEPT_PROJECTS:
            _kept.popitem(last=False)
    return Scope(
        {r.id: Recording(r.id, r.filename, r.created_at, r.duration_s) for r in recordings},
        [box for entry in kept.entries.values() for box in entry.boxes],
    )
