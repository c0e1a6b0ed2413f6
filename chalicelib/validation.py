"""Request bodies: JSON objects with exactly the fields a route takes, and JSON numbers."""

from __future__ import annotations

import json
import math
import re
import sys

from chalicelib.audio_types import CONTROL_CHARACTER
from chalicelib.errors import BadRequestError

# The largest finite double: JSON Schema's numbers (and the browser's) go no further.
LARGEST_NUMBER = sys.float_info.max


def json_document(raw: bytes) -> object:
    """A request body's JSON. A number no double holds (``1e400``, 400 digits) is refused, as
    are ``NaN`` and ``Infinity`` (not JSON, though Python reads them)."""
    try:
        return json.loads(raw, parse_int=_double, parse_float=_double, parse_constant=_constant)
    except (ValueError, RecursionError) as e:  # RecursionError: nested too deep to parse
        raise BadRequestError(f"the request body is not valid JSON: {e}") from e


def _double(text: str) -> int | float:
    if not math.isfinite(float(text)):
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise BadRequestError(
            f"the number {shown} is beyond the largest a request may carry ({LARGEST_NUMBER:.6g})"
        )
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(text: str) -> None:
    raise BadRequestError(f"{text} is not a JSON number: send a finite number")


def _listed(names: tuple[str, ...]) -> str:
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def _json_object(body: object, names: tuple[str, ...], optional: tuple[str, ...]) -> dict:
    """``body`` if it is a JSON object with no field but ``names`` and ``optional``."""
    if not isinstance(body, dict):
        if not names:
            wanted = f"any of {_listed(optional)}"
        elif optional:
            wanted = f"{_listed(names)} (and optionally {_listed(optional)})"
        else:
            wanted = _listed(names)
        raise BadRequestError(f"send a JSON object with {wanted}")
    missing = [name for name in names if name not in body]
    if missing:
        raise BadRequestError(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(body) - {*names, *optional})
    if unknown:
        allowed = _listed((*names, *optional))
        raise BadRequestError(f"unknown field(s): {', '.join(unknown)}; send only {allowed}")
    return body


def fields(body: object, *names: str, optional: tuple[str, ...] = ()) -> tuple:
    """The values of ``names`` and then of ``optional`` (None if absent) in ``body``.

    ``body`` must be a JSON object that holds every one of ``names``, and no other field
    than those and ``optional``.
    """
    body = _json_object(body, names, optional)
    return tuple(body.get(name) for name in (*names, *optional))


def some_fields(body: object, *names: str) -> dict:
    """The fields ``body`` holds, a JSON object that may hold any of ``names`` and no other."""
    return dict(_json_object(body, (), names))


def whole_number(value: object) -> int | None:
    """``value`` as an int if it is a JSON integer, else None.

    JSON has one kind of number: 8001.0 is the integer 8001 (as JSON Schema says); a
    boolean is not a number.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def text(value: object, *, field: str, max_length: int) -> str:
    """``value`` if it is a name a person gave: 1 to ``max_length`` characters, no controls."""
    if not isinstance(value, str) or not 1 <= len(value) <= max_length:
        raise BadRequestError(f"{field} must be a string of 1 to {max_length} characters")
    if re.search(CONTROL_CHARACTER, value):
        raise BadRequestError(f"{field} {value!r} holds control characters")
    try:
        value.encode()
    except UnicodeEncodeError as e:  # a lone surrogate: JSON allows it, DynamoDB does not
        raise BadRequestError(f"{field} {value!r} is not valid Unicode text") from e
    return value
