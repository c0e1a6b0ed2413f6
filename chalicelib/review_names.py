"""The review queue's names and defaults, shared with the browser through /config.json
(chalicelib/ui_config.py), so the page never copies them.
"""

from __future__ import annotations

# How a queue may be ordered: by confidence either way, by time (each recording's creation,
# then the box's start), or as the stratified random sample (docs/review.md).
ORDERS = ("confidence_desc", "confidence_asc", "time", "sample")
# Which boxes a queue shows by their review: none yet, accepted, rejected, either, any.
STATES = ("unreviewed", "accepted", "rejected", "reviewed", "all")
# Sources by kind: "people" is a box a person drew (source null), "detector" any of the
# detector's presets ("detector:<preset>"); any other value is one exact source.
PEOPLE, DETECTOR = "people", "detector"
SOURCE_KINDS = (PEOPLE, DETECTOR)
DETECTOR_PREFIX = "detector:"

DEFAULT_LIMIT = 24
MAX_LIMIT = 200
DEFAULT_PER_STRATUM = 10
MAX_PER_STRATUM = 1_000
DEFAULT_BINS = 10
MAX_BINS = 100
DEFAULT_SEED = 1
DEFAULT_TARGET_PRECISION = 0.9
# Decisions one POST /reviews may carry.
MAX_DECISIONS = 500
# The confidence thresholds precision is estimated at: 0.10, 0.15, ..., 0.95.
THRESHOLDS = tuple(round(0.10 + 0.05 * step, 2) for step in range(18))


def review_json() -> dict:
    """The names and defaults as /config.json serves them under ``review``."""
    return {
        "orders": list(ORDERS),
        "states": list(STATES),
        "sourceKinds": list(SOURCE_KINDS),
        "defaults": {
            "limit": DEFAULT_LIMIT,
            "maxLimit": MAX_LIMIT,
            "perStratum": DEFAULT_PER_STRATUM,
            "bins": DEFAULT_BINS,
            "seed": DEFAULT_SEED,
            "targetPrecision": DEFAULT_TARGET_PRECISION,
        },
        "maxDecisions": MAX_DECISIONS,
        "thresholds": list(THRESHOLDS),
    }
