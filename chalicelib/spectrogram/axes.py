"""How spectrogram cells land on pixels, along time and along frequency.

One rule serves both axes. A source (an STFT frame, a group of frames, an FFT bin)
has a centre position in pixel units: frame ``t`` is centred at ``t * hop_length /
sample_rate`` s, bin ``k`` at ``k * sample_rate / n_fft`` Hz. Pixel ``x`` spans
``[x, x + 1)`` and shows

* the **maximum** of every source whose centre lies in its span (centres before the
  first pixel or past the last count for that edge pixel), so short calls and
  narrow tones never average away;
* when no centre lies in its span (more pixels than sources), the source whose
  centre is **nearest** to the pixel's centre ``x + 0.5`` (the earlier one on a tie),
  so frames or bins are repeated, never interpolated.
"""

from __future__ import annotations

import math

import numpy as np

#: Overview height, in pixels, and rows of every tile.
HEIGHT = 400
#: Overview width = clamp(round(duration_s * PX_PER_S), MIN_WIDTH, MAX_WIDTH).
PX_PER_S = 200
MIN_WIDTH = 800
MAX_WIDTH = 3200


def overview_width(duration_s: float) -> int:
    """Overview width, in pixels: ``clamp(round(duration_s * 200), 800, 3200)``.

    Halves round up (4.0025 s -> 801 px), as JavaScript's ``Math.round`` does.
    """
    return min(max(math.floor(duration_s * PX_PER_S + 0.5), MIN_WIDTH), MAX_WIDTH)


class AxisMap:
    """A precomputed source -> pixel mapping (see the module docstring) along one axis.

    Parameters
    ----------
    positions : np.ndarray [shape=(n_sources,)]
        Non-decreasing source centres, in pixel units.
    n_pixels : int > 0
        Pixels along the axis.
    """

    def __init__(self, positions: np.ndarray, n_pixels: int):
        positions = np.asarray(positions, dtype=np.float64)
        self.n_pixels = n_pixels
        pixels = np.arange(n_pixels)
        owner = np.clip(np.floor(positions), 0, n_pixels - 1).astype(np.intp)
        lo = np.searchsorted(owner, pixels, side="left")
        hi = np.searchsorted(owner, pixels, side="right")
        empty = lo == hi
        centres = pixels + 0.5
        after = np.minimum(np.searchsorted(positions, centres), len(positions) - 1)
        before = np.maximum(after - 1, 0)
        closer_after = np.abs(positions[after] - centres) < np.abs(centres - positions[before])
        nearest = np.where(closer_after, after, before)
        lo = np.where(empty, nearest, lo)
        hi = np.where(empty, nearest + 1, hi)
        # Pixel x is the maximum of sources lo[x] + j for j < its length: one gather of
        # every pixel's first source, then per j only the pixels that have a (j+1)-th
        # (at 44.1 kHz 65 of the 400 rows span two bins), unless most of them do.
        width = hi - lo
        self._first = lo
        self._more: list[tuple[np.ndarray | None, np.ndarray]] = []
        for j in range(1, int(width.max())):
            wide = np.flatnonzero(width > j)
            if 2 * len(wide) > n_pixels:
                self._more.append((None, np.minimum(lo + j, hi - 1)))
            else:
                self._more.append((wide, lo[wide] + j))

    def apply(self, data: np.ndarray, *, axis: int, out: np.ndarray | None = None) -> np.ndarray:
        """Map ``data``'s sources along ``axis`` (length n_sources) to n_pixels.

        ``out``, if given, receives the result (``data``'s shape with n_pixels along
        ``axis``) and is returned.
        """
        # mode="clip" (the indices are in range) lets take write into out unbuffered.
        out = np.take(data, self._first, axis=axis, out=out, mode="clip")
        for pixels, sources in self._more:
            more = np.take(data, sources, axis=axis, mode="clip")
            if pixels is None:
                np.maximum(out, more, out=out)
            else:
                at = (slice(None),) * (axis % data.ndim) + (pixels,)
                out[at] = np.maximum(out[at], more, out=more)
        return out


def frequency_map(sample_rate: int, n_fft: int, n_bins: int, f_max: float) -> AxisMap:
    """Map FFT bins ``0 .. n_bins - 1`` to the :data:`HEIGHT` rows covering 0..f_max Hz.

    Row ``r`` counts from the bottom and spans ``[r, r + 1) * f_max / HEIGHT`` Hz;
    images flip it so that low frequencies are at the bottom.
    """
    return AxisMap(np.arange(n_bins) * (sample_rate / n_fft) * (HEIGHT / f_max), HEIGHT)
