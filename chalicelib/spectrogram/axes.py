"""How spectrogram cells land on pixels, along time and along frequency.

Along time (:class:`AxisMap`) a source (an STFT frame, a group of frames) has a centre
position in pixel units: frame ``t`` is centred at ``t * hop_length / sample_rate`` s.
Pixel ``x`` spans ``[x, x + 1)`` and shows

* the **maximum** of every source whose centre lies in its span (centres before the
  first pixel or past the last count for that edge pixel), so short calls never
  average away;
* when no centre lies in its span (more pixels than sources), the source whose
  centre is **nearest** to the pixel's centre ``x + 0.5`` (the earlier one on a tie),
  so frames are repeated, never interpolated.

Along frequency (:class:`FrequencyRows`) every row is made the same way from the FFT
bins around it, so that no row is brighter for where the bins happen to fall.
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
        # every pixel's first source, then per j only the pixels that have a (j+1)-th,
        # unless most of them do.
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


class FrequencyRows:
    """FFT bins -> the :data:`HEIGHT` rows covering 0..f_max Hz, alike wherever bins fall.

    Row ``r`` counts from the bottom and spans ``[r, r + 1) * f_max / HEIGHT`` Hz
    (images flip it so that low frequencies are at the bottom). The spectrum is read at
    points spread evenly through each row, at most :data:`MAX_SPACING_BINS` bins apart
    (one point, the row's centre, where rows are narrower than that), each the power
    of the bins around it weighted by a Gaussian in frequency (:data:`MIN_SIGMA_BINS`
    bins, or :data:`SIGMA_PER_SPACING` of the points' spacing if wider); the row shows
    the loudest of its points. Every row is thus made the same way wherever the
    bins fall: taking the maximum of the 1 to 3 bins inside a row, as engines before
    1.5 did, made rows holding more bins brighter, horizontal stripes of up to 2.5 dB
    in noise. A tone anywhere in a row reads within 1 dB of its level: the smoothing's
    weights sum to :attr:`gain`, so that a steady tone at a point reads the level of
    the FFT bin under it (a sound spread over many bins, noise or a click, reads that
    much brighter than one bin: 2.1 to 2.6 dB). Bins below 0 Hz and above the Nyquist frequency are
    their mirror images, as the spectrum of a real signal is.

    Parameters
    ----------
    sample_rate : int > 0
        In Hz.
    n_fft : int > 0
        FFT length, in samples.
    f_max : float > 0
        Top of the highest row, in Hz (at most ``sample_rate / 2``).

    Attributes
    ----------
    n_bins : int
        Bins ``0 .. n_bins - 1`` that :meth:`apply` reads (a few above ``f_max``).
    points : int
        Points read in each row.
    gain : float
        Sum of the weights of a point.
    """

    def __init__(self, sample_rate: int, n_fft: int, f_max: float):
        row_bins = f_max / HEIGHT / (sample_rate / n_fft)
        self.points = math.ceil(row_bins / MAX_SPACING_BINS)
        sigma = max(MIN_SIGMA_BINS, SIGMA_PER_SPACING * row_bins / self.points)
        # (points, rows): where each point lies, in bins.
        centres = np.arange(HEIGHT) + (np.arange(self.points)[:, None] + 0.5) / self.points
        centres = centres * row_bins
        reach = _REACH_SIGMAS * sigma
        first = np.ceil(centres - reach).astype(np.intp)
        # (taps, points, rows): bins weighed for each point, offsets bins from it.
        bins = first + np.arange(math.floor(2 * reach) + 1)[:, None, None]
        offsets = bins - centres
        weights = np.exp(-0.5 * (offsets / sigma) ** 2) * (np.abs(offsets) <= reach)
        weights /= weights.sum(axis=0)
        # A tone at a point: its power in each bin is the Hann window's response there.
        self.gain = float(1 / np.mean((weights * _hann_response(offsets)).sum(axis=0)))
        nyquist = n_fft // 2
        bins = nyquist - np.abs(nyquist - np.abs(bins))
        self.n_bins = int(bins.max()) + 1
        # matrix[k, p, r]: weight of bin k in point p of row r.
        matrix = np.zeros((self.n_bins, self.points, HEIGHT))
        point, row = np.broadcast_arrays(np.arange(self.points)[:, None], np.arange(HEIGHT))
        np.add.at(matrix, (bins, point, row), weights * self.gain)
        # The matrix is a band: a product for ROWS_PER_PRODUCT rows reads only the bins they
        # weigh. Products this small also stay on one BLAS thread, which measured 3-5x
        # faster here than a tap-by-tap weighted sum and than a threaded product.
        self._products = []
        for top in range(0, HEIGHT, _ROWS_PER_PRODUCT):
            rows = slice(top, top + _ROWS_PER_PRODUCT)
            block = matrix[:, :, rows]
            used = np.flatnonzero(block.any(axis=(1, 2)))
            weighed = slice(used[0], used[-1] + 1)
            block = block[weighed].reshape(used[-1] + 1 - used[0], -1).astype(np.float32)
            self._products.append((rows, weighed, block))

    def apply(self, power: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
        """Rows of frames: ``power`` is ``(frames, bins)`` (at least :attr:`n_bins` bins),
        the result ``(frames, HEIGHT)``, written into ``out`` if given."""
        if out is None:
            out = np.empty((len(power), HEIGHT), dtype=np.float32)
        for rows, weighed, weights in self._products:
            at_points = power[:, weighed] @ weights
            if self.points == 1:
                out[:, rows] = at_points
            else:
                at_points = at_points.reshape(len(power), self.points, -1)
                np.max(at_points, axis=1, out=out[:, rows])
        return out


#: Largest distance between the points of a row, in bins. Each point costs time (one
#: more product a frame): 44.1 and 48 kHz rows, 1.16 and 1.07 bins wide, have one.
MAX_SPACING_BINS = 1.25
#: Narrowest smoothing, standard deviation in bins: wide enough that the weights of a
#: point sum alike and spread alike (within 2 %) wherever it falls between bins.
MIN_SIGMA_BINS = 0.8
#: Smoothing per bin between points: a tone between two reads within 0.7 dB of its level.
SIGMA_PER_SPACING = 0.8
#: Weights beyond this many standard deviations (< 4 % of the peak) are left out.
_REACH_SIGMAS = 2.5
#: Rows computed by one matrix product.
_ROWS_PER_PRODUCT = 25


def _hann_response(offsets: np.ndarray) -> np.ndarray:
    """Power of a tone, relative to its peak, in a bin ``offsets`` bins away (Hann window)."""
    near_one = np.isclose(np.abs(offsets), 1)
    safe = np.where(near_one, 0.0, offsets)
    amplitude = np.where(near_one, 0.5, np.sinc(safe) / (1 - safe**2))
    return amplitude**2
