"""HTTP headers Sonagram writes itself, for API answers and presigned downloads alike."""

from __future__ import annotations

import re
from urllib.parse import quote


def content_disposition(filename: str, kind: str = "inline") -> str:
    """``inline`` (or ``attachment``) under the user's file name (RFC 6266), without its folders.

    The quoted name keeps printable ASCII only (``"``, ``\\`` and ``%`` become ``_``, as
    some browsers decode ``%`` there); any other name also goes as RFC 5987 UTF-8.
    """
    name = re.split(r"[/\\]", filename)[-1]
    plain = "".join(c if " " <= c <= "~" and c not in '"\\%' else "_" for c in name)
    if plain == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
