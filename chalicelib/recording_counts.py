"""How many recordings each project holds, kept as recordings join and leave it.

The dashboard reads the count with the project's tallies, in the same Query. Counting the
by-project index instead reads every key of the project on every view (10,000 recordings
are about 1 MB, eight times the reads of the rest of the dashboard in AWS; the local cloud
reads its whole table again for each 1 MB page, seconds a view).
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib.models import TallyModel

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
