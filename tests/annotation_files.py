"""The annotation files under tests/fixtures/annotations, and boxes as the readers give them."""

from __future__ import annotations

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
    }
    return {"start_s": start_s, "end_s": end_s, **defaults, **fields}
