"""The tile pyramid: a time-only zoom pyramid streamed out in a few objects.

Level 0, the most detailed, has one pixel per STFT frame: ``px_per_s = frame_rate =
sample_rate / hop_length`` (86.1 at 44.1 kHz, 93.75 at 48 kHz, 375 at 192 kHz). The
viewer stretches it when zoomed in further (it zooms to 4x level 0 and at least 200
px/s). Frame ``t`` is centred at ``t / frame_rate`` s and owns the span of one hop
around it, so every level starts at ``origin_s = -hop_length / (2 * sample_rate)`` and
level-0 pixel ``x`` spans ``origin_s + [x, x + 1) / px_per_s`` s. Level 0 ends with the
first pixel that reaches ``duration_s``, repeating the last frame where needed, so
every level covers the whole recording.

Pixel ``x`` of level ``L`` is the maximum of pixels ``4x`` to ``4x + 3`` of level
``L - 1`` (:data:`LEVEL_STEP`; the last pixel of a level whose width is not a multiple
of 4 merges the 1 to 3 left), at ``px_per_s / 4**L`` px/s, so a call one frame long
shows at every level. Merging 4 pixels rather than 2 makes all levels together 1.33x
level 0's pixels instead of 2x (a third fewer tile bytes), and the viewer still has a
level within 4x of any zoom. A level exists if the one
below it is wider than one tile, so the coarsest level is a single tile of at most
:data:`TILE_WIDTH` px (roughly the overview's scale).

Each level is cut into tiles of :data:`TILE_WIDTH` px (the last one narrower), 400 px
high, encoded as 8-bit greyscale PNGs whose values are absolute levels (see
:func:`~.scale.tile_values`), so the viewer can recolour them for any reference and
floor without re-rendering. A level's tiles are stored back to back, in order, in
objects of at most :data:`OBJECT_BYTES` (:func:`level_object`): a few objects a
rendering instead of hundreds (S3 charges per request), each tile's ``offset`` and
``length`` letting a client fetch it alone with an HTTP ``Range`` request. The bound
keeps a range read cheap on stores that read the whole object to serve one (moto
does), and each object one PUT. Only the tile being filled is
held per level, plus at most :data:`MAX_PENDING` tiles waiting for the background
thread that encodes them (zlib runs outside the GIL, in parallel with the FFT) and the
level's object being filled, handed to the sink once full.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .axes import HEIGHT
from .png import encode_png

TILE_WIDTH = 4096
#: Pixels of a level merged into one of the next coarser level (their maximum).
LEVEL_STEP = 4
#: Tiles encoded or waiting to be, at most (each 1.6 MB before encoding).
MAX_PENDING = 4
#: Largest object of tiles, bytes (a level-0 tile at 48 kHz is ~1 MB).
OBJECT_BYTES = 16 * 1024 * 1024

#: ``sink(key, data)``: store ``data`` as the whole object ``key`` (``data`` is the
#: sink's: the pyramid never changes it after).
TileSink = Callable[[str, bytearray], None]


def level_object(level: int, number: int) -> str:
    """Storage key of a level's ``number``-th object of tiles (from 0), relative to the
    rendering: ``tiles/<level>-<number>.pngs``."""
    return f"tiles/{level}-{number}.pngs"


def _max_of_groups(columns: np.ndarray) -> np.ndarray:
    """Each :data:`LEVEL_STEP` columns' maximum; a last, shorter group's too."""
    whole = len(columns) // LEVEL_STEP * LEVEL_STEP
    merged = columns[:whole].reshape(-1, LEVEL_STEP, columns.shape[1]).max(axis=1)
    if whole == len(columns):
        return merged
    return np.concatenate((merged, columns[whole:].max(axis=0, keepdims=True)))


class _Level:
    def __init__(self, level: int):
        self.level = level
        self.buffer = np.empty((TILE_WIDTH, HEIGHT), dtype=np.uint8)
        self.filled = 0
        self.tiles = 0
        self.width = 0
        # The object being filled and those handed to the sink: the encoder thread's alone.
        self.object = bytearray()
        self.objects: list[str] = []
        self.stored = 0


class TilePyramid:
    """Cut frames into tiles, derive coarser levels as they fill, append tiles to levels.

    Parameters
    ----------
    sink : callable(key: str, data: bytes) -> None
        Receives each object of tiles, whole, as soon as it is full (the last of each
        level from :meth:`finish`); called from one thread at a time.
    sample_rate : int > 0
        In Hz.
    hop_length : int > 0
        STFT frame step, in samples.
    object_bytes : int > 0, optional
        Largest object, bytes (default :data:`OBJECT_BYTES`, read when the pyramid is
        made); a tile larger alone is one object.
    """

    def __init__(
        self,
        sink: TileSink,
        *,
        sample_rate: int,
        hop_length: int,
        object_bytes: int | None = None,
    ):
        self._object_bytes = object_bytes or OBJECT_BYTES
        self.px_per_s = sample_rate / hop_length
        self.origin_s = -hop_length / (2 * sample_rate)
        self._last = np.zeros(HEIGHT, dtype=np.uint8)
        self._sink = sink
        self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sonagram-tiles")
        self._pending: deque[Future] = deque()
        self._levels = [_Level(0)]
        self.tiles: list[dict] = []

    def push(self, frames: np.ndarray) -> None:
        """Append the next frames' tile values, shape ``(n, 400)`` uint8, row 0 = lowest."""
        if len(frames):
            self._push(0, frames)
            self._last = frames[-1]

    def _push(self, level_no: int, columns: np.ndarray) -> None:
        level = self._levels[level_no]
        level.width += len(columns)
        while len(columns):
            take = min(TILE_WIDTH - level.filled, len(columns))
            level.buffer[level.filled : level.filled + take] = columns[:take]
            level.filled += take
            columns = columns[take:]
            if level.filled == TILE_WIDTH:
                self._emit(level)
                if len(self._levels) == level_no + 1:
                    self._levels.append(_Level(level_no + 1))
                self._push(level_no + 1, _max_of_groups(level.buffer))
                level.filled = 0

    def _px_per_s(self, level: _Level) -> float:
        return self.px_per_s / LEVEL_STEP**level.level

    def _emit(self, level: _Level) -> None:
        width = level.filled
        px_per_s = self._px_per_s(level)
        start_s = self.origin_s + level.tiles * TILE_WIDTH / px_per_s
        tile = {
            "level": level.level,
            "index": level.tiles,
            # object, offset and length: set once the tile is encoded, before finish() returns.
            "object": None,
            "offset": None,
            "length": None,
            "start_s": start_s,
            "end_s": start_s + width / px_per_s,
            "px_per_s": px_per_s,
            "width": width,
            "height": HEIGHT,
        }
        self.tiles.append(tile)
        level.tiles += 1
        columns = level.buffer[:width].copy()  # the buffer is refilled meanwhile
        self._pending.append(self._encoder.submit(self._write, level, tile, columns))
        while len(self._pending) > MAX_PENDING:
            self._pending.popleft().result()

    def _write(self, level: _Level, tile: dict, columns: np.ndarray) -> None:
        # Transposing to image rows (high frequencies first) here keeps it off the FFT thread.
        png = encode_png(np.ascontiguousarray(columns[:, ::-1].T), sub=False)
        if level.object and len(level.object) + len(png) > self._object_bytes:
            self._store(level)
        tile["object"] = level_object(level.level, len(level.objects))
        tile["offset"], tile["length"] = len(level.object), len(png)
        level.object += png

    def _store(self, level: _Level) -> None:
        key = level_object(level.level, len(level.objects))
        # Handed over, not copied: the sink may keep it while the level fills a new one.
        data, level.object = level.object, bytearray()
        self._sink(key, data)
        level.objects.append(key)
        level.stored += len(data)

    def close(self) -> None:
        """Stop the encoder thread, dropping tiles not yet encoded (after an error)."""
        self._encoder.shutdown(wait=True, cancel_futures=True)

    def finish(self, duration_s: float) -> list[dict]:
        """Emit every level's last, partial tile, wait until the sink has every tile.

        Parameters
        ----------
        duration_s : float > 0
            Length of the recording, in seconds; level 0 is extended to reach it.

        Returns
        -------
        list of dict
            One per level, finest first: ``level``, ``px_per_s``, ``width`` (px, the
            whole level), ``tiles`` (count), ``start_s`` and ``end_s`` (s), ``objects``
            (its objects' keys in order, :func:`level_object`) and ``bytes`` (their
            total size).
        """
        missing = math.ceil((duration_s - self.origin_s) * self.px_per_s) - self._levels[0].width
        if missing > 0:
            self._push(0, np.repeat(self._last[None], missing, axis=0))
        levels = []
        for level in self._levels:
            if level.filled:
                self._emit(level)
            levels.append(level)
            if level.width <= TILE_WIDTH:
                break
            self._push(level.level + 1, _max_of_groups(level.buffer[: level.filled]))
        while self._pending:
            self._pending.popleft().result()
        for level in levels:
            self._store(level)
        return [
            {
                "level": level.level,
                "px_per_s": self._px_per_s(level),
                "width": level.width,
                "tiles": level.tiles,
                "start_s": self.origin_s,
                "end_s": self.origin_s + level.width / self._px_per_s(level),
                "objects": level.objects,
                "bytes": level.stored,
            }
            for level in levels
        ]
