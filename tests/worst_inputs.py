"""The largest requests and files, made of their tiniest parts, and the memory that
refusing them takes."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

from chalicelib.annotation_files import MAX_IMPORT_BYTES

# What refusing one may take beyond what was there before: the API function has 512 MB.
EXTRA_MEMORY = 100_000_000


def filled(head: str, part: str, tail: str = "") -> bytes:
    """``head``, then ``part`` as often as fits in an import's 4 MiB, then ``tail``."""
    size = len((head + tail).encode())
    return (head + part * ((MAX_IMPORT_BYTES - size) // len(part.encode())) + tail).encode()


def many_entries(head: str, value: str, tail: str) -> bytes:
    """``head``, a JSON object of as many distinct names, each of ``value``, as fit in an
    import's 4 MiB, then ``tail``."""
    entries, size = [], len((head + tail).encode()) + 2
    while size + len(f'"{len(entries):x}":{value},') <= MAX_IMPORT_BYTES:
        entries.append(f'"{len(entries):x}":{value}')
        size += len(entries[-1]) + 1
    return f"{head}{{{','.join(entries)}}}{tail}".encode()


def peak_of(work: Callable[[], object]) -> tuple[int, BaseException | None]:
    """The most memory ``work`` held at once (bytes, beyond what existed before), and what
    it raised."""
    tracemalloc.start()
    try:
        work()
        raised = None
    except Exception as e:
        raised = e
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised
