"""A spectrogram's status, moved only by conditional writes.

    PENDING -> PROCESSING -> COMPLETED
       |           |
       +-----------+-------> FAILED

A worker hands a job back (PROCESSING -> PENDING) only when a retryable error
stopped it, so the platform's retry can claim it again; a user's regenerate
sends a finished spectrogram (COMPLETED or FAILED) back to PENDING.
"""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException, UpdateError

from chalicelib.errors import ConflictError, StorageError
from chalicelib.models import SpectrogramModel

PENDING = "PENDING"
PROCESSING = "PROCESSING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"

# The statuses each status may be entered from.
ENTERED_FROM: dict[str, tuple[str, ...]] = {
    PROCESSING: (PENDING,),
    COMPLETED: (PROCESSING,),
    FAILED: (PENDING, PROCESSING),
    PENDING: (PROCESSING, COMPLETED, FAILED),
}


class IllegalTransitionError(ConflictError):
    """The row was not in a status the move may start from (or does not exist)."""


def _is_condition_failure(e: PynamoDBException) -> bool:
    return e.cause_response_code == "ConditionalCheckFailedException"


def move(
    recording_id: str,
    new: str,
    *,
    now: str,
    actions: tuple = (),
    only_from: tuple[str, ...] | None = None,
) -> SpectrogramModel:
    """Move the spectrogram of ``recording_id`` to ``new``, setting ``actions`` too.

    ``only_from`` narrows the statuses the move may start from. Raises
    IllegalTransitionError when another writer got there first (a duplicate event,
    the sweeper, a delete); the row is then unchanged. Returns the row as written.
    """
    if new not in ENTERED_FROM:
        raise ValueError(f"unknown status {new!r}")
    sources = ENTERED_FROM[new] if only_from is None else only_from
    if not set(sources) <= set(ENTERED_FROM[new]):
        raise ValueError(f"{new} cannot be entered from {sources}")
    row = SpectrogramModel(recording_id)
    try:
        row.update(
            actions=[
                SpectrogramModel.status.set(new),
                SpectrogramModel.updated_at.set(now),
                *actions,
            ],
            condition=SpectrogramModel.status.is_in(*sources),
        )
    except UpdateError as e:
        if _is_condition_failure(e):
            raise IllegalTransitionError(
                f"spectrogram {recording_id} cannot become {new} from its current status"
            ) from e
        raise StorageError(f"could not update spectrogram {recording_id}", retryable=True) from e
    return row
