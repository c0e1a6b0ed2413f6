"""Lambda entry point, on a schedule: announce again or fail the spectrograms left hanging."""

from __future__ import annotations

from dataclasses import asdict

from chalicelib import clients, status, sweeper
from chalicelib.config import get_settings


def handler(event: dict, context) -> dict:
    settings = get_settings()
    clients.bind_tables(settings)
    if event.get("index_unfinished"):
        # Invoked by hand once after an upgrade (docs/scale.md), not by the schedule.
        return {"indexed": status.index_unfinished_rows()}
    return asdict(sweeper.sweep(settings=settings, storage=clients.storage(settings)))
