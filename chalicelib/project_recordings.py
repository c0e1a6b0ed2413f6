"""A project's recordings, kept as items in the project's own partition.

A recording joins a project (created into it, moved in), leaves it (moved out, purged) in one
transaction with its item here and the project's count (chalicelib/recording_counts.py), so a
Query of the partition lists exactly the project's recordings, read consistently: an
uploader listing the project right after an upload sees it, which an index of the
recordings table does not promise; and the query reads only the project's items.
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib import database, recording_counts
from chalicelib.models import ProjectRecordingModel, RecordingModel
from chalicelib.paging import Partition

# The project's listing, newest first; its cursor is an item's place.
LISTING = Partition(ProjectRecordingModel, hash_attribute="project_id")


def place(recording: RecordingModel) -> str:
    return f"{recording.created_at}_{recording.id}"


def item(project_id: str, recording: RecordingModel) -> ProjectRecordingModel:
    return ProjectRecordingModel(project_id, place(recording), recording_id=recording.id)


def moved(
    transaction: TransactWrite,
    recording: RecordingModel,
    *,
    out_of: str | None,
    into: str | None,
) -> None:
    """Add to ``transaction`` what changes when ``recording`` leaves project ``out_of`` and
    joins project ``into`` (None: no project): its items here and the projects' counts."""
    if out_of == into:
        return
    if out_of is not None:
        transaction.delete(item(out_of, recording))
    if into is not None:
        transaction.save(item(into, recording))
    recording_counts.moved(transaction, out_of=out_of, into=into)


def ids(project_id: str) -> list[str]:
    """The ids of every recording of the project, oldest first."""
    with database.translated("find the project's recordings"):
        return [
            row.recording_id
            for row in ProjectRecordingModel.query(project_id, consistent_read=True)
        ]


def count(project_id: str) -> int:
    with database.translated("count the project's recordings"):
        return ProjectRecordingModel.count(project_id, consistent_read=True)


def backfill() -> int:
    """Give every recording in a project made before these items its item; how many it
    wrote. Run once, by hand (``python -m infra.backfill_members``): it scans the recordings
    table, which no request ever does. Running it again writes nothing."""
    with database.translated("read the recordings"):
        recordings = list(RecordingModel.scan(RecordingModel.project_id.exists()))
    return database.save_missing(
        (item(recording.project_id, recording) for recording in recordings),
        condition=ProjectRecordingModel.place.does_not_exist(),
        what="a project's recording",
    )
