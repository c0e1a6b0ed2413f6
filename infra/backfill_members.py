"""Once, after deploying members: give projects made before them their owner's member row.

``SONAGRAM_STAGE=<stage> PROJECTS_TABLE=... MEMBERS_TABLE=... python -m infra.backfill_members``
with the stage's AWS credentials (docs/lab.md). Running it again writes nothing.
"""

from __future__ import annotations

from chalicelib import members
from chalicelib.config import Settings

if __name__ == "__main__":
    print(f"{members.backfill_owners(Settings.from_environ())} owner rows written")
