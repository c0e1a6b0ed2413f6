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

import numpy as np

from .axes import AxisMap
from .colormap import VIRIDIS
from .png import encode_png
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
    pixels = AxisMap(centres / frame_rate * (width / duration_s), width).apply(values, axis=0)
    return np.ascontiguousarray(colour_indices(pixels, ref_power)[:, ::-1].T)


def encode_palette_png(indices: np.ndarray) -> bytes:
    """Encode viridis indices, shape ``(height, width)`` uint8, as an 8-bit palette PNG."""
    return encode_png(indices, palette=VIRIDIS, split=True)
