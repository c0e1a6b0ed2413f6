"""The overview: the whole recording in one viridis image, built in bounded memory.

The final width depends on the decoded length, known only at the end (MP3 and
FFmpeg lengths announced up front can be off). So frames are first max-reduced into
*columns* of ``group`` consecutive frames, at most :data:`MAX_COLUMNS` of them:
whenever the buffer fills, neighbouring columns merge pairwise and ``group``
doubles. Once the length is known the columns are mapped to pixels by
:class:`~.axes.AxisMap`, each column centred on the mean time of its frames.

While a recording has fewer than :data:`MAX_COLUMNS` (25 600) frames (about 5 min
at 44.1 kHz) each column is one frame and the mapping is exactly frame -> pixel.
Beyond that, 12 800 to 25 599 columns remain, each at most 1/4 pixel of the
3200 px image, so pixel edges are placed to within 1/8 pixel; every frame still
counts, in the pixel holding its column's centre.
"""

from __future__ import annotations

import zlib

import numpy as np

from .axes import AxisMap, FrequencyRows
from .colormap import VIRIDIS
from .png import assemble, deflate, filter_rows, helper
from .scale import colour_indices

#: Column buffer size; 25 600 x 400 float32 = 41 MB at most.
MAX_COLUMNS = 25_600


class OverviewColumns:
    """Max-reduced frame columns with a bounded count.

    Parameters
    ----------
    rows : int > 0
        Values per frame (image rows).
    """

    def __init__(self, *, rows: int):
        self.group = 1
        self._columns = np.empty((MAX_COLUMNS, rows), dtype=np.float32)
        self._count = 0
        self._partial = np.zeros(rows, dtype=np.float32)
        self._partial_frames = 0

    def push(self, frames: np.ndarray) -> None:
        """Add frames, shape ``(n, rows)``, in time order."""
        while len(frames):
            room = (MAX_COLUMNS - self._count) * self.group - self._partial_frames
            self._add(frames[:room])
            frames = frames[room:]
            if self._count == MAX_COLUMNS:
                half = MAX_COLUMNS // 2
                np.maximum(self._columns[0::2], self._columns[1::2], out=self._columns[:half])
                self._count = half
                self.group *= 2

    def push_mapped(self, frames: np.ndarray, rows: FrequencyRows) -> np.ndarray:
        """Map frames' bins to rows (``rows.apply(frames)``), push them, return them.

        While each column is one frame, the frames are mapped straight into the
        column buffer, without a copy; the array returned is then a view of it, valid
        until the next push.
        """
        n = len(frames)
        if self.group == 1 and self._count + n < MAX_COLUMNS:
            mapped = rows.apply(frames, out=self._columns[self._count : self._count + n])
            self._count += n
            return mapped
        mapped = rows.apply(frames)
        self.push(mapped)
        return mapped

    def _add(self, frames: np.ndarray) -> None:
        if self._partial_frames:
            take = min(self.group - self._partial_frames, len(frames))
            np.maximum(self._partial, frames[:take].max(axis=0), out=self._partial)
            self._partial_frames += take
            frames = frames[take:]
            if self._partial_frames < self.group:
                return
            self._columns[self._count] = self._partial
            self._count += 1
            self._partial_frames = 0
        full = len(frames) // self.group
        grouped = frames[: full * self.group].reshape(full, self.group, frames.shape[1])
        self._columns[self._count : self._count + full] = grouped.max(axis=1)
        self._count += full
        if len(frames) > full * self.group:
            self._partial = frames[full * self.group :].max(axis=0)
            self._partial_frames = len(frames) - full * self.group

    def columns(self) -> tuple[np.ndarray, np.ndarray]:
        """All columns so far and their centres in frame units.

        Returns
        -------
        values : np.ndarray [shape=(n_columns, rows), dtype=float32]
        centres : np.ndarray [shape=(n_columns,), dtype=float64]
            Mean frame index of each column.
        """
        values = self._columns[: self._count]
        centres = np.arange(self._count) * self.group + (self.group - 1) / 2
        if self._partial_frames:
            values = np.concatenate((values, self._partial[None]))
            last = self._count * self.group + (self._partial_frames - 1) / 2
            centres = np.append(centres, last)
        return values, centres


def overview_image(
    columns: OverviewColumns, *, frame_rate: float, width: int, duration_s: float, ref_power: float
) -> np.ndarray:
    """Colour indices of the overview.

    Parameters
    ----------
    columns : OverviewColumns
        Every frame of the recording, pushed.
    frame_rate : float > 0
        Frames per second (``sample_rate / hop_length``).
    width : int > 0
        Image width, in pixels; pixel ``x`` spans ``[x, x + 1) * duration_s / width`` s.
    duration_s : float > 0
        Recording length, in seconds.
    ref_power : float >= 0
        Power of the loudest cell (0 dB).

    Returns
    -------
    np.ndarray [shape=(rows, width), dtype=uint8]
        Viridis indices; row 0 is the highest frequency.
    """
    values, centres = columns.columns()
    time_map = AxisMap(centres / frame_rate * (width / duration_s), width)
    return _image(values, time_map, ref_power)


def overview_png(
    columns: OverviewColumns, *, frame_rate: float, width: int, duration_s: float, ref_power: float
) -> bytes:
    """The overview as an 8-bit palette PNG: :func:`overview_image`, encoded.

    The upper and the lower half of the image are drawn and compressed on two threads
    (numpy and zlib run outside the GIL), as one PNG stream.
    """
    values, centres = columns.columns()
    time_map = AxisMap(centres / frame_rate * (width / duration_s), width)
    # The colour map is monotone, so it commutes with the time map's maxima: with at
    # most _COLOUR_FIRST columns per pixel, colour the columns and gather 1-byte
    # indices; with more, map the powers to pixels first (here, whole: take copies a
    # strided input) and colour the smaller result.
    colour_first = len(values) <= _COLOUR_FIRST * width
    if not colour_first:
        values = time_map.apply(values, axis=0)

    def part(bottom: int, top: int, *, last: bool) -> tuple[np.ndarray, bytes]:
        indices = colour_indices(values[:, bottom:top], ref_power)
        if colour_first:
            indices = time_map.apply(indices, axis=0)
        scanlines = filter_rows(_flip_transpose(indices))
        return scanlines, deflate(scanlines, last=last)

    rows = values.shape[1]
    upper = helper().submit(part, rows // 2, rows, last=False)
    lower_lines, lower = part(0, rows // 2, last=True)
    upper_lines, upper_body = upper.result()
    adler = zlib.adler32(lower_lines.data, zlib.adler32(upper_lines.data))
    return assemble(width, rows, [upper_body, lower], adler, VIRIDIS)


def _image(values: np.ndarray, time_map: AxisMap, ref_power: float) -> np.ndarray:
    """Colour indices ``(rows, width)``, top row first, of columns ``(n, rows)``."""
    if len(values) <= _COLOUR_FIRST * time_map.n_pixels:
        indices = time_map.apply(colour_indices(values, ref_power), axis=0)
    else:
        indices = colour_indices(time_map.apply(values, axis=0), ref_power)
    return _flip_transpose(indices)


#: Colour the columns before the time map if there are at most this many per pixel.
_COLOUR_FIRST = 2
#: Pixels transposed at a time (a strided copy is ~2x faster in cache-sized blocks).
_TRANSPOSE_CHUNK = 256


def _flip_transpose(indices: np.ndarray) -> np.ndarray:
    """``(width, rows)`` -> ``(rows, width)`` with row 0 the highest frequency."""
    image = np.empty(indices.shape[::-1], dtype=np.uint8)
    for start in range(0, len(indices), _TRANSPOSE_CHUNK):
        end = start + _TRANSPOSE_CHUNK
        image[:, start:end] = indices[start:end, ::-1].T
    return image
