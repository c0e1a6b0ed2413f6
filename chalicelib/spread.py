"""Spreading writes by recording, so that no storage partition takes a whole burst.

S3 serves about 3,500 writes/s per key prefix and splits a busy bucket's prefixes only
where keys differ; a DynamoDB partition (of a table or an index) takes 1,000 writes/s.
A recording's objects start with a hash of its id, and its row's place in the sweeper's
index carries a shard of the same hash (docs/scale.md has the arithmetic).
"""

from __future__ import annotations

import hashlib

# Hex digits of the hash before a recording's object keys: 65,536 evenly used prefixes.
KEY_HASH_DIGITS = 4


def key_hash(recording_id: str) -> str:
    """The first segment of every object key of the recording: hex digits of the id's SHA-256
    (even for ids that share a beginning, unlike the ids themselves might)."""
    return hashlib.sha256(recording_id.encode()).hexdigest()[:KEY_HASH_DIGITS]


def shard(recording_id: str, shards: int) -> int:
    """The recording's shard, 0 .. ``shards`` - 1, from the same hash."""
    return int(key_hash(recording_id), 16) % shards
