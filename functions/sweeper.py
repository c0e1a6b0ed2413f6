"""Lambda entry point, on a schedule: announce again or fail the spectrograms left hanging."""

from __future__ import annotations

from dataclasses import asdict

from chalicelib import clients, sweeper
from chalicelib.config import get_settings


def handler(event: dict, context) -> dict:
    settings = get_settings()
    clients.bind_tables(settings)
    return asdict(sweeper.sweep(settings=settings, storage=clients.storage(settings)))
