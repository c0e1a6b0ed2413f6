"""Lazily built, cached AWS clients: built on first use, reused by warm Lambdas.

Tests and the local cloud point them elsewhere by building their own Settings
and calling :func:`reset` in between.
"""

from __future__ import annotations

import functools

import boto3
from botocore.config import Config

from chalicelib import models
from chalicelib.config import Settings, get_settings
from chalicelib.storage import Storage

# Presigned URLs must be SigV4 and path-style: the browser talks to the same
# host that was signed (127.0.0.1:4566 locally, the regional endpoint in AWS).
_S3_CONFIG = Config(signature_version="s3v4", s3={"addressing_style": "path"})


def retries(settings: Settings) -> Config:
    """botocore's "standard" retry mode: SlowDown, 5xx, throttling and timeouts are tried
    again after an exponential, jittered backoff, up to ``settings.max_attempts`` in all.

    Not "adaptive": its client-side rate limiter learns over many requests of one
    long-lived client, and PynamoDB's models use "standard" (models.bind) anyway.
    """
    return Config(retries={"mode": "standard", "total_max_attempts": settings.max_attempts})


@functools.cache
def s3(settings: Settings | None = None):
    settings = settings or get_settings()
    return boto3.client(
        "s3",
        region_name=settings.region,
        endpoint_url=settings.cloud_endpoint,
        config=_S3_CONFIG.merge(retries(settings)),
    )


@functools.cache
def sqs(settings: Settings | None = None):
    settings = settings or get_settings()
    return boto3.client(
        "sqs",
        region_name=settings.region,
        endpoint_url=settings.cloud_endpoint,
        config=retries(settings),
    )


@functools.cache
def lambda_(settings: Settings | None = None):
    settings = settings or get_settings()
    return boto3.client(
        "lambda",
        region_name=settings.region,
        endpoint_url=settings.cloud_endpoint,
        config=retries(settings),
    )


@functools.cache
def cognito_idp(settings: Settings | None = None):
    settings = settings or get_settings()
    return boto3.client(
        "cognito-idp",
        region_name=settings.region,
        endpoint_url=settings.cloud_endpoint,
        config=retries(settings),
    )


def reset() -> None:
    """Forget every cached client (tests that switch endpoints)."""
    for getter in (s3, sqs, lambda_, cognito_idp, storage, bind_tables):
        getter.cache_clear()


@functools.cache
def storage(settings: Settings | None = None) -> Storage:
    return Storage(s3(settings))


@functools.cache
def bind_tables(settings: Settings | None = None) -> None:
    """Point the PynamoDB models at this process's tables, once."""
    models.bind(settings or get_settings())
