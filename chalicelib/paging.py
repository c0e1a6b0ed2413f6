"""Pages of a listing, newest first: a limit and a cursor.

A user's recordings (by owner) and the projects a user is a member of (by member) each live
in an index sorted by a timestamp, with items keyed by an id we issue; a project's
recordings and a member's work live in partitions of their own tables sorted by
``<timestamp>_<id>``; so one cursor format serves all: the place of the last item of a page,
``<timestamp>_<id>``. Whose list it is comes from the request, never from the cursor: any
cursor of that form is a place in a list the caller may read (one made up starts where it
points), so the document states the form and the server takes every cursor it allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

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


@dataclass(frozen=True)
class Order:
    """An index read newest first, and how a cursor names a place in it.

    Its items are keyed by an id we issue (``id_attribute``) and sorted by a timestamp
    (``sort_attribute``) under one value of ``hash_attribute``: the caller (a user's
    recordings, their memberships) or a project (its recordings). The value is the
    request's, never the cursor's, so any cursor of the documented form is a place in the
    list the caller may read.
    """

    index: GlobalSecondaryIndex
    hash_attribute: str
    sort_attribute: str = "created_at"
    id_attribute: str = "id"

    def place_of(self, row) -> str:
        """The cursor after ``row``: ``<sort value>_<id>``."""
        return f"{getattr(row, self.sort_attribute)}_{getattr(row, self.id_attribute)}"

    def start(self, cursor: str | None, hash_value: str) -> dict | None:
        """The start key in the index that a ``next`` value stands for."""
        if cursor is None:
            return None
        sorted_by, item_id = _place(cursor).groups()
        return {
            self.id_attribute: {"S": item_id},
            self.hash_attribute: {"S": hash_value},
            self.sort_attribute: {"S": sorted_by},
        }

    def read(self, hash_value: str, *, limit: int, start: dict | None):
        return self.index.query(
            hash_value, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )


@dataclass(frozen=True)
class Partition:
    """A table's own partition whose sort key is the place itself (``<timestamp>_<id>``):
    a project's recordings, a member's work. Read newest first and consistently (which an
    index cannot be), and only that partition (the local cloud reads a whole table for
    every Query of an index).
    """

    model: type[Model]
    hash_attribute: str
    place_attribute: str = "place"

    def place_of(self, row) -> str:
        return getattr(row, self.place_attribute)

    def start(self, cursor: str | None, hash_value: str) -> dict | None:
        """The start key in the partition that a ``next`` value stands for."""
        if cursor is None:
            return None
        return {
            self.hash_attribute: {"S": hash_value},
            self.place_attribute: {"S": _place(cursor).group(0)},
        }

    def read(self, hash_value: str, *, limit: int, start: dict | None, filter_condition=None):
        return self.model.query(
            hash_value,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=start,
            consistent_read=True,
            filter_condition=filter_condition,
        )


def _place(cursor: str) -> re.Match:
    place = CURSOR.fullmatch(cursor)
    if place is None:
        raise BadRequestError(
            f"cursor {cursor!r} is not valid: pass the 'next' value of the last page"
        )
    return place


def newest_first(
    order: Order | Partition,
    hash_value: str,
    *,
    limit: int,
    cursor: str | None,
    views: Callable[[list], list[dict | None]],
    shows: Callable[[dict], bool] | None = None,
) -> dict:
    """A page of the items under ``hash_value`` in ``order``: ``{"items", "next"}``.

    ``views`` turns rows into what the API shows, one for each row (None: left out); only
    those that ``shows`` lets through count. The index is read until ``limit`` of them are
    found or it ends, so a filtered page is as full as an unfiltered one, and ``next`` is
    the cursor after the last item shown: the next page starts right after it, so no item
    is skipped or shown twice, whatever the filter passed over.
    """
    start = order.start(cursor, hash_value)
    # Unfiltered, one read of ``limit`` rows fills the page; filtered, read in bulk.
    read = limit if shows is None else MAX_PAGE
    shown: list[tuple[object, dict]] = []
    while True:
        page = order.read(hash_value, limit=read, start=start)
        rows = list(page)
        found = [
            (row, view)
            for row, view in zip(rows, views(rows), strict=True)
            if view is not None and (shows is None or shows(view))
        ]
        room = limit - len(shown)
        shown += found[:room]
        start = page.last_evaluated_key
        if len(shown) == limit or start is None:
            break
    more = start is not None or len(found) > room
    return {
        "items": [view for _, view in shown],
        "next": order.place_of(shown[-1][0]) if more else None,
    }
