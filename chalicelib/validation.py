"""Request bodies: JSON objects with exactly the fields a route takes, and JSON numbers."""

from __future__ import annotations

import json
import re
import sys

from chalicelib.audio_types import CONTROL_CHARACTER
from chalicelib.errors import BadRequestError
from chalicelib.json_text import containers, integer

# The largest finite double: JSON Schema's numbers (and the browser's) go no further.
LARGEST_NUMBER = sys.float_info.max


def json_body(raw: bytes | None, *, max_containers: int) -> object:
    """The JSON value a request's body holds; an empty body is ``{}``.

    A body of more than ``max_containers`` arrays and objects is refused before they are
    made: millions of tiny ones would take gigabytes, more than the function has. An integer
    past the largest double reads as infinite, as a fraction past it (``1e400``) and
    ``Infinity`` already do, so the field's own check refuses it by name, as it refuses
    ``NaN``: no number reaches the code that no double holds.
    """
    if not raw:
        return {}
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    except ValueError as e:
        raise BadRequestError(f"the request body is not valid JSON: {e}") from e
    count = containers(text, max_containers)
    if count > max_containers:
        raise BadRequestError(
            f"the request body holds {count} JSON arrays and objects; a request takes at "
            f"most {max_containers}"
        )
    try:
        return json.loads(text, parse_int=integer)
    except (ValueError, RecursionError) as e:  # RecursionError: nested too deep to parse
        raise BadRequestError(f"the request body is not valid JSON: {e}") from e


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
