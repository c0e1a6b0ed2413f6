"""Lambda entry point: S3 ObjectCreated on `recordings` -> spectrogram in `spectrograms`.

The same handler runs in AWS (invoked by the bucket notification) and locally
(called by infra/local/bridge.py with the real event from the queue).
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import asdict

from chalicelib import clients, events
from chalicelib.config import get_settings
from chalicelib.jobs import SpectrogramJob

# Stop rendering this long before the Lambda timeout, so the job can still
# record FAILED with a reason instead of being killed mid-write.
WATCHDOG_MARGIN_S = 20.0

logging.getLogger().setLevel(logging.INFO)


@functools.cache
def job() -> SpectrogramJob:
    settings = get_settings()
    clients.bind_tables(settings)
    return SpectrogramJob(settings=settings, storage=clients.storage(settings))


def handler(event: dict, context) -> dict:
    deadline = time.monotonic() + context.get_remaining_time_in_millis() / 1000 - WATCHDOG_MARGIN_S
    outcomes = [job().run(upload, deadline=deadline) for upload in events.uploads(event)]
    return {"outcomes": [asdict(outcome) for outcome in outcomes]}
