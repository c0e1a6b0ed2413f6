"""Request bodies: a JSON object with exactly the fields a route takes."""

from __future__ import annotations

from chalicelib.errors import BadRequestError


def fields(body: object, *names: str) -> tuple:
    """The values of ``names`` in ``body``, a JSON object that must hold exactly those."""
    listed = " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))
    if not isinstance(body, dict):
        raise BadRequestError(f"send a JSON object with {listed}")
    missing = [name for name in names if name not in body]
    if missing:
        raise BadRequestError(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(body) - set(names))
    if unknown:
        raise BadRequestError(f"unknown field(s): {', '.join(unknown)}; send only {listed}")
    return tuple(body[name] for name in names)
