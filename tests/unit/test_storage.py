"""Objects written piece by piece: one PUT when small, parts when large, nothing left on failure."""

from __future__ import annotations

import numpy as np
import pytest
from faults import failing, watching

from chalicelib import clients
from chalicelib.errors import NotFoundError, StorageError
from chalicelib.storage import PART_BYTES

MIB = 1024 * 1024
BUCKET = "spectrograms"


def unfinished(s3, prefix: str) -> list:
    return s3.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", [])


def appending(settings):
    return clients.storage(settings).appended_objects(
        bucket=BUCKET, content_type="application/octet-stream", cache_control="max-age=60"
    )


def test_a_small_object_is_one_put_and_a_large_one_goes_in_parts(cloud_settings):
    s3 = clients.s3(cloud_settings)
    large = np.random.default_rng(1).bytes(2 * PART_BYTES + MIB)
    with (
        watching(s3, "PutObject") as puts,
        watching(s3, "UploadPart") as parts,
        appending(cloud_settings) as append,
    ):
        for start in range(0, len(large), MIB):
            append("appended/large", large[start : start + MIB])
            append("appended/small", b"ab")
    assert (len(puts), len(parts)) == (1, 3)
    for key, body in (("appended/large", large), ("appended/small", b"ab" * 17)):
        stored = s3.get_object(Bucket=BUCKET, Key=key)
        assert stored["Body"].read() == body
        assert (stored["ContentType"], stored["CacheControl"]) == (
            "application/octet-stream",
            "max-age=60",
        )
    assert unfinished(s3, "appended/") == []


def test_a_block_that_fails_after_a_part_went_leaves_no_object_and_no_upload(cloud_settings):
    s3 = clients.s3(cloud_settings)
    with pytest.raises(RuntimeError), appending(cloud_settings) as append:
        append("broken/level", bytes(PART_BYTES + 1))
        raise RuntimeError("the render failed")
    with pytest.raises(NotFoundError):
        clients.storage(cloud_settings).head(bucket=BUCKET, key="broken/level")
    assert unfinished(s3, "broken/") == []


def test_a_refused_part_is_a_storage_error_and_leaves_no_upload(cloud_settings):
    s3 = clients.s3(cloud_settings)
    with (
        failing(s3, "UploadPart", "AccessDenied", status=403),
        pytest.raises(StorageError, match="could not write s3://spectrograms/refused/level"),
        appending(cloud_settings) as append,
    ):
        append("refused/level", bytes(PART_BYTES))
    assert unfinished(s3, "refused/") == []


def test_deleting_a_prefix_aborts_the_uploads_a_dead_attempt_left(cloud_settings):
    s3 = clients.s3(cloud_settings)
    s3.create_multipart_upload(Bucket=BUCKET, Key="dead/attempt/tiles/0.pngs")
    s3.create_multipart_upload(Bucket=BUCKET, Key="alive/tiles/0.pngs")
    clients.storage(cloud_settings).delete_prefix(bucket=BUCKET, prefix="dead/")
    assert unfinished(s3, "dead/") == []
    assert len(unfinished(s3, "alive/")) == 1
