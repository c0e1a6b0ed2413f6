"""Objects written in the background: all there when the block ends, failures raised."""

from __future__ import annotations

import threading

import pytest
from faults import failing

from chalicelib import clients
from chalicelib.errors import StorageError

BUCKET = "spectrograms"


def putting(settings, **options):
    return clients.storage(settings).background_puts(
        bucket=BUCKET,
        content_type="application/octet-stream",
        cache_control="max-age=60",
        **options,
    )


def test_every_object_is_written_whole_when_the_block_ends(cloud_settings):
    s3 = clients.s3(cloud_settings)
    bodies = {f"written/{n}": bytes([n]) * (n * 1000 + 1) for n in range(7)}
    with putting(cloud_settings) as put:
        for key, body in bodies.items():
            put(key, body)
    for key, body in bodies.items():
        stored = s3.get_object(Bucket=BUCKET, Key=key)
        assert stored["Body"].read() == body
        assert (stored["ContentType"], stored["CacheControl"]) == (
            "application/octet-stream",
            "max-age=60",
        )


def test_a_refused_put_is_a_storage_error_naming_the_object(cloud_settings):
    s3 = clients.s3(cloud_settings)
    with (
        failing(s3, "PutObject", "AccessDenied", status=403),
        pytest.raises(StorageError, match="could not write s3://spectrograms/refused/0"),
        putting(cloud_settings) as put,
    ):
        put("refused/0", b"tiles")


def test_no_more_than_the_workers_objects_are_on_their_way_at_once(cloud_settings):
    # The first two puts are held until 0.2 s after both arrived: time for a third to
    # arrive too, were the bound broken.
    s3 = clients.s3(cloud_settings)
    arrived, lock, gate = [], threading.Lock(), threading.Event()

    def hold(request, **_):
        with lock:
            arrived.append(request.url)
            if len(arrived) == 2:
                threading.Timer(0.2, gate.set).start()
            most[0] = max(most[0], len(arrived) - done[0])
        gate.wait(10)
        with lock:
            done[0] += 1

    most, done = [0], [0]
    s3.meta.events.register_first("before-send.s3.PutObject", hold)
    try:
        with putting(cloud_settings, workers=2) as put:
            for n in range(5):
                put(f"bounded/{n}", b"x")
    finally:
        s3.meta.events.unregister("before-send.s3.PutObject", hold)
    assert most[0] == 2
    assert len(s3.list_objects_v2(Bucket=BUCKET, Prefix="bounded/")["Contents"]) == 5
