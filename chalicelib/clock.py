"""Time as the domain sees it: epoch seconds from an injectable clock, shown as ISO 8601 UTC."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]
system_clock: Clock = time.time


def iso(epoch_s: float) -> str:
    """``2026-11-25T13:01:15.123456Z``: fixed width, so it sorts as text."""
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_datetime(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)
