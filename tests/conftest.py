"""Fixtures every suite may use: a real moto server for the AWS parts."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from chalicelib import clients, models
from chalicelib.config import Settings

# The local cloud accepts any credentials; never let real ones reach it.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "sonagram-test",
        "AWS_SECRET_ACCESS_KEY": "sonagram-test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
)


@pytest.fixture(scope="session")
def cloud_settings() -> Iterator[Settings]:
    """Settings pointing at a fresh moto server with Sonagram's tables and buckets."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    settings = Settings(cloud_endpoint=endpoint, dynamodb_endpoint=endpoint)
    clients.reset()
    models.create_tables(settings)
    s3 = clients.s3(settings)
    for bucket in (settings.recordings_bucket, settings.spectrograms_bucket):
        s3.create_bucket(Bucket=bucket)
    yield settings
    server.stop()
    clients.reset()
