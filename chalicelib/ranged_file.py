"""A read-only, seekable file over ranged reads of an object, reading ahead.

The worker decodes audio straight from S3 through it: libsndfile's virtual I/O and FFmpeg's
(PyAV's) both take a file object, so a 2 GiB upload needs no room on /tmp and memory holds
a few chunks. Reads are sequential nearly always, so while the decoder works on one chunk
the next one is already on its way.

The decoders call ``readinto`` from C: an exception raised there would be swallowed (the
decoder would see the end of the file, and a cut recording would render as if whole). So a
failed read is kept, reads as the end of the file, and is raised when the ``with`` block
ends, in place of whatever the decoder made of it.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

# Bytes per ranged read: few enough requests that latency is noise, small enough to keep.
CHUNK_BYTES = 8 * 1024 * 1024
# Chunks kept for reads that step back a little (headers, FFmpeg's probing).
KEPT_CHUNKS = 2


class RangedFile(io.RawIOBase):
    """``size`` bytes read through ``fetch(start, stop) -> bytes`` (``stop`` exclusive)."""

    def __init__(
        self, fetch: Callable[[int, int], bytes], size: int, *, chunk_bytes: int = CHUNK_BYTES
    ) -> None:
        super().__init__()
        self._fetch = fetch
        self._size = size
        self._chunk_bytes = chunk_bytes
        self._position = 0
        self._kept: OrderedDict[int, bytes] = OrderedDict()
        self._ahead: tuple[int, Future] | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="sonagram-read-ahead")
        self.failure: Exception | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError(f"cannot seek to {base + offset}, before the start")
        self._position = base + offset
        return self._position

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` to the end of the file: libsndfile takes a short read for the end."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._position < self._size and self.failure is None:
            index, offset = divmod(self._position, self._chunk_bytes)
            try:
                chunk = self._chunk(index)
            except Exception as e:  # kept for the caller: see the module's docstring
                self.failure = e
                break
            count = min(len(view) - filled, len(chunk) - offset)
            view[filled : filled + count] = chunk[offset : offset + count]
            filled += count
            self._position += count
        return filled

    def _chunk(self, index: int) -> bytes:
        if index in self._kept:
            self._kept.move_to_end(index)
            return self._kept[index]
        if self._ahead is not None and self._ahead[0] == index:
            chunk = self._ahead[1].result()
        else:
            chunk = self._read(index)
        self._kept[index] = chunk
        while len(self._kept) > KEPT_CHUNKS:
            self._kept.popitem(last=False)
        if (index + 1) * self._chunk_bytes < self._size:
            self._ahead = (index + 1, self._pool.submit(self._read, index + 1))
        return chunk

    def _read(self, index: int) -> bytes:
        start = index * self._chunk_bytes
        return self._fetch(start, min(start + self._chunk_bytes, self._size))

    def close(self) -> None:
        if not self.closed:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._kept.clear()
            self._ahead = None
        super().close()

    def __exit__(self, *exc_info) -> None:
        self.close()
        if self.failure is not None:
            raise self.failure
