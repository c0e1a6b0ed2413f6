"""How many recordings each project holds, kept as recordings join and leave it.

The dashboard reads the count with the project's tallies, in the same Query. Counting the
project's items (chalicelib/project_recordings.py) instead reads every one of them on every
view (10,000 recordings are about 1 MB, eight times the reads of the rest of the dashboard).
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib import database
from chalicelib.models import ProjectRecordingModel, TallyModel

# The project's item in its tallies: it sorts after the "member#" items.
KEY = "recordings"


def moved(transaction: TransactWrite, *, out_of: str | None, into: str | None) -> None:
    """Add to ``transaction`` the counts' change for a recording that leaves project
    ``out_of`` and joins project ``into`` (None: no project)."""
    if out_of == into:
        return
    for project_id, step in ((out_of, -1), (into, 1)):
        if project_id is not None:
            transaction.update(
                TallyModel(project_id, KEY), actions=[TallyModel.recordings.add(step)]
            )


def started(transaction: TransactWrite, project_id: str) -> None:
    """Add to ``transaction`` a new project's count: none yet."""
    transaction.save(
        TallyModel(project_id, KEY, recordings=0), condition=TallyModel.key.does_not_exist()
    )


def of(project_ids: list[str]) -> dict[str, int]:
    """Each project's count of recordings, read in one BatchGet. A project made before the
    counts were kept has none: its recordings' items are counted."""
    with database.translated("read the projects' counts"):
        kept = {
            item.project_id: int(item.recordings or 0)
            for item in TallyModel.batch_get([(project_id, KEY) for project_id in project_ids])
        }
        for project_id in set(project_ids) - kept.keys():
            kept[project_id] = ProjectRecordingModel.count(project_id, consistent_read=True)
    return kept
