"""The local cloud's DynamoDB Query reads the queried partition, not a sorted copy of the table.

DynamoDB answers a Query from one partition of the table or of the index, whatever the size
of the table. moto 5 first sorts every item of the table (``Table.all_items``), then keeps
the queried partition's: on the local stack a member's 248 work items among 11,000 took
94 ms p50 to read, and each of the sweeper's 48 index queries over 10,000 spectrogram rows
130 ms, 6 s a sweep during which every request waited (docs/performance.md, "lab").

:func:`install` has moto's own Query code run over a view of the table that holds only the
items it could answer with: the partition, for the table's own key; for an index, the items
carrying the queried key values, unsorted (moto sorts those it keeps by the index's keys).
The answer (order, pages, conditions, filters, projections) is moto's; only the walk is gone.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from moto.dynamodb.models.table import Item, Table

_MOTOS_QUERY = Table.query


class Holding:
    """The table as moto's Query sees it, with ``items`` its only items."""

    def __init__(self, table: Table, items: list[Item]) -> None:
        self._table = table
        self._items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> list[Item]:
        return self._items


def _partition(table: Table, hash_key: Any) -> list[Item]:
    # moto keeps {hash key: {range key: item}}, or {hash key: item} without a range key.
    found = table.items.get(hash_key)
    if found is None:
        return []
    return list(found.values()) if table.range_key_attr else [found]


def _every_item(table: Table) -> Iterator[Item]:
    for found in list(table.items.values()):
        yield from list(found.values()) if table.range_key_attr else [found]


def _carries(item: Item, keys: list[tuple[str, Any]]) -> bool:
    """Whether the item has each of ``keys``' attributes with its value (an index is sparse:
    an item without the attribute is not in it)."""
    for name, value in keys:
        found = item.attrs.get(name)
        if found is None or found != value:
            return False
    return True


def query(table: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """moto's ``Table.query``, over the items that can be in its answer."""
    named = inspect.signature(_MOTOS_QUERY).bind(table, hash_key, *args, **kwargs).arguments
    if named.get("index_name"):
        keys = named.get("hash_key_conditions") or []
        items = [item for item in _every_item(table) if _carries(item, keys)]
    else:
        items = _partition(table, hash_key)
    return _MOTOS_QUERY(Holding(table, items), hash_key, *args, **kwargs)


def install() -> None:
    """Every table of this process's moto answers its Queries as :func:`query` does."""
    Table.query = query
