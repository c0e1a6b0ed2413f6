"""Blind double annotation: which set a user's annotation requests act on.

A recording is blind for a user while they have a blind assignment on it and not every
blind assignment of the recording is done. Meanwhile their GET, PUT, PATCH and import of
``/recordings/{id}/annotations`` act on their own layer: boxes kept on their assignment row
(``layer_*``, chunks under the recording's id, chalicelib/chunks.py) with a version of their
own. Everyone else, and every other reader (the review queue, exports, measurements,
tallies), sees the recording's main set, which the layers join only when a consensus is
merged (chalicelib/agreements.py).
"""

from __future__ import annotations

from chalicelib import chunks, database
from chalicelib.models import AssignmentModel, RecordingModel
from chalicelib.work_states import DONE

LAYER = chunks.Pointer(
    set_attribute="layer_set", count_attribute="layer_chunks", prefix="l", what="annotations"
)


def assignments(recording_id: str) -> list[AssignmentModel]:
    """Every assignment of the recording (one or two people), read consistently."""
    with database.translated("read the recording's assignments"):
        return list(AssignmentModel.query(recording_id, consistent_read=True))


def editing(user: str, recording: RecordingModel) -> AssignmentModel | None:
    """The user's blind assignment whose layer they edit, or None: they edit the main set."""
    if recording.project_id is None:  # assignments belong to a project's recordings
        return None
    rows = assignments(recording.id)
    blind = [row for row in rows if row.blind]
    mine = next((row for row in blind if row.assignee == user), None)
    if mine is None or all(row.state == DONE for row in blind):
        return None
    return mine


def load(assignment: AssignmentModel) -> tuple[AssignmentModel, list[dict]]:
    """The layer's boxes, and the assignment row they were read with."""
    assignment, boxes = chunks.load(assignment, LAYER)
    return assignment, boxes or []


def version(assignment: AssignmentModel) -> int:
    return int(assignment.layer_version or 0)


def switch(assignment: AssignmentModel, data: bytes, *, count: int, version: int) -> None:
    """Make ``data`` (chunks.encode of the boxes) the layer if it is still at ``version``.

    Raises ``database.ConditionFailed`` when it is not, or the assignment is gone.
    """
    unchanged = AssignmentModel.layer_version == version
    if version == 0:
        unchanged |= AssignmentModel.layer_version.does_not_exist()
    chunks.switch(
        assignment,
        LAYER,
        data,
        actions=[
            AssignmentModel.layer_version.set(version + 1),
            AssignmentModel.layer_count.set(count),
        ],
        condition=unchanged,
    )
