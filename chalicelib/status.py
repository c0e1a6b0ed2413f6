"""A spectrogram's status, moved only by conditional writes.

    PENDING -> PROCESSING -> COMPLETED
       |           |
       +-----------+-------> FAILED

    any of them -> DELETING (the recording is being deleted; its rows go last)

A claim (-> PROCESSING) also comes from PROCESSING when the attempt holding it died
(its lease lapsed) and from COMPLETED or FAILED when a new version of the audio was
uploaded. A worker hands a job back (PROCESSING -> PENDING) when a retryable error
stopped it; a user's regenerate sends a finished spectrogram (or one left hanging) back
to PENDING; the sweeper re-announces a PENDING upload (PENDING -> PENDING, counted).

Every move also keeps the sweeper's sparse index true: an unfinished row carries
``unfinished`` (its status and shard), a finished one does not (docs/scale.md).
"""

from __future__ import annotations

from pynamodb.expressions.condition import Condition

from chalicelib import database
from chalicelib.clock import iso
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.spread import shard

PENDING = "PENDING"
PROCESSING = "PROCESSING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
FINISHED = (COMPLETED, FAILED)
# What users see; DELETING is never shown (the recording is gone for its owner).
ALL = (PENDING, PROCESSING, COMPLETED, FAILED)
DELETING = "DELETING"

# Claims of one audio version before it is given up (a worker killed each time), and
# announcements of one waiting upload by the sweeper before it is.
MAX_ATTEMPTS = 3
MAX_ANNOUNCEMENTS = 3

# Shards of each status in the sweeper's index: a burst of 1,000 claims writes ~2,000
# index items (the PENDING one out, the PROCESSING one in), under 1,000/s per partition
# once spread over 16 key values; the sweeper reads 2 x 16 small queries (docs/scale.md).
SWEEP_SHARDS = 16

# The statuses each status may be entered from.
ENTERED_FROM: dict[str, tuple[str, ...]] = {
    PROCESSING: (PENDING, PROCESSING, COMPLETED, FAILED),
    COMPLETED: (PROCESSING,),
    FAILED: (PENDING, PROCESSING),
    PENDING: (PENDING, PROCESSING, COMPLETED, FAILED),
    DELETING: ALL,
}


class IllegalTransitionError(database.ConditionFailed):
    """The row was not in a state the move may start from (or does not exist)."""


def _sweep_key(current: str, index: int) -> str:
    return f"{current}#{index:02d}"


def unfinished_key(recording_id: str, current: str) -> str:
    """Where an unfinished (or DELETING) row sits in the sweeper's index: its status and shard."""
    return _sweep_key(current, shard(recording_id, SWEEP_SHARDS))


def _indexed(recording_id: str, new: str):
    """The action that puts the row in the sweeper's index as ``new``, or out of it."""
    if new in FINISHED:
        return SpectrogramModel.unfinished.remove()
    return SpectrogramModel.unfinished.set(unfinished_key(recording_id, new))


def waiting(recording_id: str, *, owner: str, now: str) -> SpectrogramModel:
    """A new spectrogram row, PENDING until its upload arrives."""
    return SpectrogramModel(
        recording_id,
        owner=owner,
        status=PENDING,
        updated_at=now,
        unfinished=unfinished_key(recording_id, PENDING),
    )


def unfinished(current: str, *, updated_before: str) -> list[str]:
    """Ids of the spectrograms in ``current`` (PENDING, PROCESSING or DELETING) whose status
    last moved before ``updated_before``, from every shard of the sweeper's index."""
    ids = []
    for index in range(SWEEP_SHARDS):
        with database.translated(f"list {current} spectrograms"):
            ids += [
                key.recording_id
                for key in SpectrogramModel.by_unfinished.query(
                    _sweep_key(current, index), SpectrogramModel.updated_at < updated_before
                )
            ]
    return ids


def unchanged(row: SpectrogramModel) -> Condition:
    """The condition that ``row`` is as it was read, its lease included."""
    condition = SpectrogramModel.updated_at == row.updated_at
    for attribute, value in (
        (SpectrogramModel.attempt_id, row.attempt_id),
        (SpectrogramModel.lease_until, row.lease_until),
    ):
        condition &= attribute.does_not_exist() if value is None else attribute == value
    return condition


def left_hanging(row: SpectrogramModel, *, now: float, job_timeout_s: float) -> bool:
    """Whether an unfinished row is one nobody is working on: PROCESSING whose attempt's
    lease lapsed, or PENDING unchanged for longer than a whole job budget (the sweeper's
    criteria; a user's regenerate may take these over too)."""
    if row.status == PROCESSING:
        return (row.lease_until or 0) <= now
    return row.status == PENDING and row.updated_at < iso(now - job_timeout_s)


def index_unfinished_rows() -> list[str]:
    """Put unfinished rows written before the sweeper's index was sparse into it; returns
    their ids. Reads the whole table: run once, after an upgrade (docs/scale.md)."""
    indexed = []
    with database.translated("list unfinished spectrograms"):
        rows = list(
            SpectrogramModel.scan(
                SpectrogramModel.status.is_in(PENDING, PROCESSING)
                & SpectrogramModel.unfinished.does_not_exist()
            )
        )
    for row in rows:
        try:
            with database.translated(f"index spectrogram {row.recording_id}"):
                row.update(
                    actions=[_indexed(row.recording_id, row.status)],
                    condition=(SpectrogramModel.status == row.status) & unchanged(row),
                )
        except database.ConditionFailed:
            continue  # it moved meanwhile, and the move indexed it
        indexed.append(row.recording_id)
    return indexed


def move(
    recording_id: str,
    new: str,
    *,
    now: str,
    actions: tuple = (),
    only_from: tuple[str, ...] | None = None,
    condition: Condition | None = None,
    recording_actions: tuple = (),
) -> None:
    """Move the spectrogram of ``recording_id`` to ``new``, setting ``actions`` too.

    ``only_from`` narrows the statuses the move may start from and ``condition`` adds
    what else must hold (say, that this attempt still holds the claim).
    ``recording_actions`` update the recording's row in the same transaction, which
    then also requires the recording to exist. Raises IllegalTransitionError when the
    row is not as required (another writer got there first: a duplicate event, the
    sweeper, a delete), and nothing is written; StorageError when DynamoDB failed.
    """
    if new not in ENTERED_FROM:
        raise ValueError(f"unknown status {new!r}")
    sources = ENTERED_FROM[new] if only_from is None else only_from
    if not set(sources) <= set(ENTERED_FROM[new]):
        raise ValueError(f"{new} cannot be entered from {sources}")
    required = SpectrogramModel.status.is_in(*sources)
    if condition is not None:
        required &= condition
    update = [
        SpectrogramModel.status.set(new),
        SpectrogramModel.updated_at.set(now),
        _indexed(recording_id, new),
        *actions,
    ]
    try:
        with database.translated(f"move spectrogram {recording_id} to {new}"):
            if not recording_actions:
                SpectrogramModel(recording_id).update(actions=update, condition=required)
                return
            with database.transaction() as transaction:
                transaction.update(
                    SpectrogramModel(recording_id), actions=update, condition=required
                )
                transaction.update(
                    RecordingModel(recording_id),
                    actions=list(recording_actions),
                    condition=RecordingModel.id.exists(),
                )
    except database.ConditionFailed as e:
        raise IllegalTransitionError(
            f"spectrogram {recording_id} cannot become {new} from its current state"
        ) from e


def restore(before: SpectrogramModel, *, pending_since: str) -> None:
    """Undo a move to PENDING that led nowhere (a regenerate whose announcement failed).

    Puts back the row as ``before`` if nobody touched it since the move written at
    ``pending_since``; raises IllegalTransitionError otherwise.
    """
    error = before.error
    actions = [
        SpectrogramModel.status.set(before.status),
        SpectrogramModel.updated_at.set(before.updated_at),
        _indexed(before.recording_id, before.status),
        SpectrogramModel.attempts.set(before.attempts),
        SpectrogramModel.announcements.set(before.announcements),
        SpectrogramModel.error.set(error) if error else SpectrogramModel.error.remove(),
    ]
    try:
        with database.translated(f"restore spectrogram {before.recording_id}"):
            SpectrogramModel(before.recording_id).update(
                actions=actions,
                condition=(SpectrogramModel.status == PENDING)
                & (SpectrogramModel.updated_at == pending_since),
            )
    except database.ConditionFailed as e:
        raise IllegalTransitionError(
            f"spectrogram {before.recording_id} changed since it became {PENDING}"
        ) from e
