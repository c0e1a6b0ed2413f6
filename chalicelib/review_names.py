"""Names the review queue shares with the browser (served in /config.json under ``review``).

Placeholder on this branch with only what chalicelib/precision.py needs: helper "queue"'s
module of the same name replaces it at merge.
"""

from __future__ import annotations

# The confidence thresholds precision is estimated at: 0.10, 0.15, ..., 0.95.
THRESHOLDS: tuple[float, ...] = tuple(k / 100 for k in range(10, 100, 5))
