"""S3 bucket notifications -> the uploads they announce.

S3 may batch several records in one event and may deliver an event twice;
Chalice's S3Event reads only the first record, so we read them all here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class Upload:
    bucket: str
    key: str
    etag: str
    size: int


def uploads(event: dict) -> list[Upload]:
    """Every ObjectCreated record of ``event``; a ``s3:TestEvent`` has none."""
    found = []
    for record in event.get("Records", []):
        if not record.get("eventName", "").startswith("ObjectCreated"):
            continue
        obj = record["s3"]["object"]
        found.append(
            Upload(
                bucket=record["s3"]["bucket"]["name"],
                # Keys arrive URL-encoded ('+' for space): decode exactly once.
                key=unquote_plus(obj["key"]),
                etag=obj.get("eTag", obj.get("etag", "")).strip('"'),
                size=int(obj.get("size", 0)),
            )
        )
    return found
