"""Once, after deploying members (and again after deploying work items and projects'
recordings): give projects made before them their owner's member row, assignments their
work items, recordings in a project their project's item.

``SONAGRAM_STAGE=<stage> PROJECTS_TABLE=... MEMBERS_TABLE=... ASSIGNMENTS_TABLE=...
WORK_TABLE=... PROJECT_RECORDINGS_TABLE=... python -m infra.backfill_members`` with the
stage's AWS credentials (docs/lab.md). Running it again writes nothing.
"""

from __future__ import annotations

from chalicelib import assignments, clients, members, project_recordings
from chalicelib.config import Settings

if __name__ == "__main__":
    settings = Settings.from_environ()
    print(f"{members.backfill_owners(settings)} owner rows written")
    clients.bind_tables(settings)
    print(f"{assignments.backfill_work()} work items written")
    print(f"{project_recordings.backfill()} projects' recording items written")
