"""The tile pyramid: a time-only zoom pyramid streamed out tile by tile.

Level 0, the most detailed, has ``px_per_s = max(200, frame_rate)`` pixels per second,
where ``frame_rate = sample_rate / hop_length`` (86.1 at 44.1 kHz, 375 at 192 kHz).
Frame ``t`` is centred at ``t / frame_rate`` s and owns the span of one hop around
it, so every level starts at ``origin_s = -hop_length / (2 * sample_rate)``, and
level-0 pixel ``x`` (spanning ``origin_s + [x, x + 1) / px_per_s`` s) shows the frame
whose span holds the pixel's centre, ``floor((x + 0.5) * frame_rate / px_per_s)``
(each frame is repeated 2 or 3 times below 102.4 kHz; one pixel per frame above).
Level 0 ends with the first pixel that reaches ``duration_s``, repeating the last
frame where needed, so every level covers the whole recording.

Pixel ``x`` of level ``L`` is the maximum of pixels ``2x`` and ``2x + 1`` of level
``L - 1`` (the last pixel of an odd-width level stands alone), at ``px_per_s / 2**L``
px/s. A level exists if the one below it is wider than one tile, so the coarsest
level is a single tile of at most :data:`TILE_WIDTH` px (roughly the overview's
scale).

Each level is cut into tiles of :data:`TILE_WIDTH` px (the last one narrower), 400 px
high, encoded as 8-bit greyscale PNGs whose values are absolute levels (see
:func:`~.scale.tile_values`), so the viewer can recolour them for any reference and
floor without re-rendering. Only the tile being filled is held per level, plus at
most :data:`MAX_PENDING` tiles waiting for the background thread that encodes them and
hands them to the sink (zlib runs outside the GIL, in parallel with the FFT).
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
MIN_PX_PER_S = 200
#: Tiles encoded or waiting to be, at most (each 1.6 MB before encoding).
MAX_PENDING = 4

TileSink = Callable[[str, bytes], None]


def tile_key(level: int, index: int) -> str:
    """Storage key of a tile, relative to the rendering: ``tiles/<level>/<index:06d>.png``."""
    return f"tiles/{level}/{index:06d}.png"


def _pairwise_max(columns: np.ndarray) -> np.ndarray:
    pairs = len(columns) // 2
    merged = np.maximum(columns[0 : 2 * pairs : 2], columns[1 : 2 * pairs : 2])
    return np.concatenate((merged, columns[2 * pairs :])) if len(columns) % 2 else merged


class _Level:
    def __init__(self, level: int):
        self.level = level
        self.buffer = np.empty((TILE_WIDTH, HEIGHT), dtype=np.uint8)
        self.filled = 0
        self.tiles = 0
        self.width = 0


class TilePyramid:
    """Map frames to level-0 pixels, cut tiles, and derive coarser levels as they fill.

    Parameters
    ----------
    sink : callable(key: str, png: bytes) -> None
        Receives each tile once, as soon as it is encoded, in order, called from one
        background thread.
    sample_rate : int > 0
        In Hz.
    hop_length : int > 0
        STFT frame step, in samples.
    """

    def __init__(self, sink: TileSink, *, sample_rate: int, hop_length: int):
        # frame_rate / px_per_s as the exact fraction num / den: integer arithmetic
        # keeps the frame -> pixel mapping identical however the frames are split.
        if sample_rate < MIN_PX_PER_S * hop_length:
            self._num, self._den = sample_rate, MIN_PX_PER_S * hop_length
        else:
            self._num, self._den = 1, 1
        self.px_per_s = sample_rate / hop_length * self._den / self._num
        self.origin_s = -hop_length / (2 * sample_rate)
        self._frames = 0
        self._last = np.zeros(HEIGHT, dtype=np.uint8)
        self._sink = sink
        self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sonagram-tiles")
        self._pending: deque[Future] = deque()
        self._levels = [_Level(0)]
        self.tiles: list[dict] = []

    def push(self, frames: np.ndarray) -> None:
        """Append the next frames' tile values, shape ``(n, 400)`` uint8, row 0 = lowest."""
        start = self._level_width(self._frames)
        self._frames += len(frames)
        pixels = np.arange(start, self._level_width(self._frames))
        shown = (2 * pixels + 1) * self._num // (2 * self._den)  # floor((x + 0.5) * ratio)
        self._push(0, frames[shown - (self._frames - len(frames))])
        self._last = frames[-1]

    def _level_width(self, n_frames: int) -> int:
        """Level-0 pixels showing frames before ``n_frames``: x with (x + 0.5) * ratio < n."""
        return -((self._num - 2 * self._den * n_frames) // (2 * self._num))

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
                self._push(level_no + 1, _pairwise_max(level.buffer))
                level.filled = 0

    def _emit(self, level: _Level) -> None:
        width = level.filled
        px_per_s = self.px_per_s / 2**level.level
        start_s = self.origin_s + level.tiles * TILE_WIDTH / px_per_s
        key = tile_key(level.level, level.tiles)
        columns = level.buffer[:width].copy()  # the buffer is refilled meanwhile
        self._pending.append(self._encoder.submit(self._write, key, columns))
        while len(self._pending) > MAX_PENDING:
            self._pending.popleft().result()
        self.tiles.append(
            {
                "level": level.level,
                "index": level.tiles,
                "key": key,
                "start_s": start_s,
                "end_s": start_s + width / px_per_s,
                "px_per_s": px_per_s,
                "width": width,
                "height": HEIGHT,
            }
        )
        level.tiles += 1

    def _write(self, key: str, columns: np.ndarray) -> None:
        # Transposing to image rows (high frequencies first) here keeps it off the FFT thread.
        self._sink(key, encode_png(np.ascontiguousarray(columns[:, ::-1].T)))

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
            whole level), ``tiles`` (count), ``start_s`` and ``end_s`` (s).
        """
        missing = math.ceil((duration_s - self.origin_s) * self.px_per_s) - self._levels[0].width
        if missing > 0:
            self._push(0, np.repeat(self._last[None], missing, axis=0))
        summary = []
        for level in self._levels:
            if level.filled:
                self._emit(level)
            px_per_s = self.px_per_s / 2**level.level
            summary.append(
                {
                    "level": level.level,
                    "px_per_s": px_per_s,
                    "width": level.width,
                    "tiles": level.tiles,
                    "start_s": self.origin_s,
                    "end_s": self.origin_s + level.width / px_per_s,
                }
            )
            if level.width <= TILE_WIDTH:
                break
            self._push(level.level + 1, _pairwise_max(level.buffer[: level.filled]))
        while self._pending:
            self._pending.popleft().result()
        return summary
