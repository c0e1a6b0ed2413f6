"""JSON text read with bounds: what an import file and a request body both need before and
while they are parsed (the standard library's ``json`` does the parsing)."""

from __future__ import annotations

import math
import re

# A JSON string, escapes and all: brackets inside it are text.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def containers(text: str, most: int) -> int:
    """How many arrays and objects a JSON text holds, counted without making them.

    A count up to ``most`` may include brackets inside strings: only one over it is made
    exact (an unterminated string's brackets still count)."""
    brackets = text.count("[") + text.count("{")
    if brackets <= most:  # even if none were in strings: no need to find the strings
        return brackets
    bare = _STRING.sub("", text)
    return bare.count("[") + bare.count("{")


def integer(digits: str) -> int | float:
    """A JSON integer, or infinite past the largest double, as a fraction past it reads: no
    field takes a number that no double holds, and each refuses infinity by name."""
    # float() of the digits, not int(): int() refuses more than 4,300 digits.
    return int(digits) if math.isfinite(float(digits)) else math.copysign(math.inf, float(digits))
