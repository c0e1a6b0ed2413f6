"""The annotation files under tests/fixtures/annotations, and boxes as the readers give them."""

from __future__ import annotations

import functools
from pathlib import Path

ANNOTATIONS = Path(__file__).parent / "fixtures" / "annotations"


def fixture(name: str) -> bytes:
    return (ANNOTATIONS / name).read_bytes()


def box(start_s: float, end_s: float, **fields: object) -> dict:
    """A box with every field, those not given at the defaults a reader fills in."""
    defaults = {
        "low_hz": None,
        "high_hz": None,
        "label": "",
        "confidence": None,
        "notes": None,
        "measurements": {},
        "attributes": {},
        "channel": 1,
        "source": None,
        "review": None,
        "created_by": None,
    }
    return {"start_s": start_s, "end_s": end_s, **defaults, **fields}


def read_by(format: str):
    """``box`` as the reader of ``format`` gives it: a file naming no source gets the
    format's name as its boxes' source."""
    return functools.partial(box, source=format)
