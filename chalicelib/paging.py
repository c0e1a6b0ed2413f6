"""Pages of one owner's recordings or projects, newest first: a limit and a cursor.

Both tables keep a user's items in an owner index (owner, created_at) and key them by
an id we issue, so one cursor format serves both: the place of the last item of a page,
``<created_at>_<id>``. The owner is the caller, never the cursor's: any cursor of that
form is a place in the caller's own list (one made up starts where it points), so the
document states the form and the server takes every cursor it allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.errors import BadRequestError

MAX_PAGE = 100
# ASCII digits only (int() also takes " 5", "+5", "1_0" and other scripts' digits), few
# enough for int() to parse.
PAGE_SIZE = re.compile(r"0*[0-9]{1,3}")
# What we issue: uuid4 ids and clock.iso timestamps.
ISSUED_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
CURSOR = re.compile(f"({TIMESTAMP.pattern})_({ISSUED_ID.pattern})")


def page_size(limit: str | None) -> int:
    """The ``?limit=`` of a listing (50 when absent), 1 to MAX_PAGE."""
    text = "50" if limit is None else limit
    if not (PAGE_SIZE.fullmatch(text) and 1 <= int(text) <= MAX_PAGE):
        raise BadRequestError(f"limit must be an integer from 1 to {MAX_PAGE}, not {text!r}")
    return int(text)


def newest_first(
    index: GlobalSecondaryIndex,
    owner: str,
    *,
    limit: int,
    start: dict | None,
    views: Callable[[list], list[dict]],
    shows: Callable[[dict], bool] | None = None,
) -> dict:
    """A page of ``owner``'s items from their owner index: ``{"items", "next"}``.

    ``views`` turns rows into what the API shows (each with its ``id`` and ``created_at``);
    only those that ``shows`` lets through count. The index is read until ``limit`` of
    them are found or it ends, so a filtered page is as full as an unfiltered one, and
    ``next`` is the cursor after the last item shown: the next page starts right after
    it, so no item is skipped or shown twice, whatever the filter passed over.
    """
    # Unfiltered, one read of ``limit`` rows fills the page; filtered, read in bulk.
    read = limit if shows is None else MAX_PAGE
    shown: list[dict] = []
    while True:
        page = index.query(owner, scan_index_forward=False, limit=read, last_evaluated_key=start)
        found = [view for view in views(list(page)) if shows is None or shows(view)]
        room = limit - len(shown)
        shown += found[:room]
        start = page.last_evaluated_key
        if len(shown) == limit or start is None:
            break
    more = start is not None or len(found) > room
    return {"items": shown, "next": _cursor_after(shown[-1]) if more else None}


def _cursor_after(view: dict) -> str:
    return f"{view['created_at']}_{view['id']}"


def decode_cursor(cursor: str | None, *, owner: str) -> dict | None:
    """The start key in ``owner``'s index that a ``next`` value stands for."""
    if cursor is None:
        return None
    place = CURSOR.fullmatch(cursor)
    if place is None:
        raise BadRequestError(
            f"cursor {cursor!r} is not valid: pass the 'next' value of the last page"
        )
    created_at, item_id = place.groups()
    return {"id": {"S": item_id}, "owner": {"S": owner}, "created_at": {"S": created_at}}
