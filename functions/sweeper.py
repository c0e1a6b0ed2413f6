"""Lambda entry point, on a schedule: fail the spectrograms that were left hanging."""

from __future__ import annotations

from chalicelib import clients, sweeper
from chalicelib.config import get_settings


def handler(event: dict, context) -> dict:
    settings = get_settings()
    clients.bind_tables(settings)
    return {"failed": sweeper.sweep(settings=settings, storage=clients.storage(settings))}
