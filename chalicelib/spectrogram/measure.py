"""Raven's measurements of boxes, from the audio, with the render's transform.

Every box is measured on the power ``|STFT|**2`` of :mod:`.stft` (``n_fft`` 2048, hop 512,
periodic Hann window, centred: frame ``t`` is centred at ``t * 512 / sample_rate`` s) of
the mono mix, over its whole band up to the Nyquist frequency -- not the 8-bit tiles.

- A box's **frames** are those whose centre lies in ``[start_s, end_s]``; when none does
  (a point box, or one shorter than a hop between two centres), the frame nearest its
  middle. Its **bins** are those whose frequency ``k * sample_rate / n_fft`` lies in
  ``[low_hz, high_hz]`` (null low: 0 Hz, null high: the Nyquist frequency); when none does,
  the bin nearest the band's middle (above the Nyquist frequency: the top bin). Frames
  past the recording's end do not exist.
- **SNR**: the mean power of the box's cells against the mean power of the same bins in
  two noise windows, before and after the box, each as long as the box clamped to
  :data:`NOISE_MIN_S` .. :data:`NOISE_MAX_S`, and apart from it by half a window
  (``n_fft // 2`` samples) so that no noise frame holds a sample of the box; windows are
  cut at the recording's ends. ``10 * log10((P_box - P_noise) / P_noise)``, left out when
  ``P_box <= P_noise`` (or there is no noise window, or it is digital silence).

Only what the boxes need is read: each box needs its frames and its noise windows; these
ranges, sorted by time, are merged when they overlap or nearly do, and each merged span is
decoded alone (:func:`.decode.open_seekable`) and transformed frame for frame as the whole
recording's transform. Each box keeps running sums (per bin, per frame, its loudest cell,
its entropy), so memory grows with the bins and a box's frames, never with the audio.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from typing import BinaryIO

import numpy as np

from chalicelib.measurement_names import DECIMALS, NAMES

from .decode import SeekableAudio, open_seekable
from .engine import MAX_DURATION_S
from .errors import RenderTimeout
from .scale import power_db
from .stft import HOP_LENGTH, N_FFT, StreamingSTFT

#: Shortest and longest noise window on each side of a box, in seconds (its duration,
#: clamped to these).
NOISE_MIN_S = 0.25
NOISE_MAX_S = 5.0
#: Spans of frames closer than this (in seconds) are decoded as one: decoding and
#: transforming the gap costs less than seeking again.
MERGE_GAP_S = 1.0
#: Fractions of a box's energy its percentile measurements stand at.
_PERCENTILES = (0.05, 0.5, 0.95)
# Smallest power a logarithm is taken of: below any float32 cell that is not 0.
_TINY = np.float32(1e-38)
# Tolerance of frame and bin edges: a box starting exactly on a frame's centre holds it.
_EDGE = 1e-9

(
    DELTA_TIME,
    DELTA_FREQ,
    PEAK_FREQ,
    PEAK_TIME,
    MAX_POWER,
    CENTER_FREQ,
    FREQ_5,
    FREQ_95,
    BW_90,
    CENTER_TIME,
    DUR_90,
    AVG_ENTROPY,
    SNR,
) = NAMES


def _frames_in(start: float, end: float) -> tuple[int, int]:
    """The frames ``first .. last`` (inclusive, maybe empty) centred in ``[start, end]``
    (in frames)."""
    return max(0, math.ceil(start - _EDGE)), math.floor(end + _EDGE)


class _BoxSums:
    """One box's plan (frames, bins, noise windows) and its running sums."""

    def __init__(self, box: dict, *, sample_rate: int, n_fft: int, hop_length: int) -> None:
        start_s, end_s = float(box["start_s"]), float(box["end_s"])
        bounds = (start_s, end_s, box.get("low_hz") or 0.0, box.get("high_hz") or 0.0)
        if not all(map(math.isfinite, bounds)):
            raise ValueError(f"a box's times and frequencies must be finite numbers: {bounds}")
        if not end_s >= start_s:
            raise ValueError(f"a box ends at {end_s!r} s, before it starts at {start_s!r} s")
        nyquist = sample_rate / 2
        low = 0.0 if box.get("low_hz") is None else float(box["low_hz"])
        high = nyquist if box.get("high_hz") is None else float(box["high_hz"])
        if not high >= low:
            raise ValueError(f"a box's high frequency {high!r} Hz is below its low {low!r} Hz")
        self.deltas = {DELTA_TIME: end_s - start_s, DELTA_FREQ: high - low}
        self.sample_rate, self.n_fft, self.hop_length = sample_rate, n_fft, hop_length

        per_s = sample_rate / hop_length
        self.first, self.last = _frames_in(start_s * per_s, end_s * per_s)
        if self.first > self.last:
            self.first = self.last = max(0, round((start_s + end_s) / 2 * per_s))
        per_hz = n_fft / sample_rate
        top = n_fft // 2
        self.low_bin = min(top, max(0, math.ceil(low * per_hz - _EDGE)))
        self.high_bin = min(top, math.floor(high * per_hz + _EDGE))
        if self.low_bin > self.high_bin:
            self.low_bin = self.high_bin = min(top, max(0, round((low + high) / 2 * per_hz)))

        noise = min(NOISE_MAX_S, max(NOISE_MIN_S, end_s - start_s)) * per_s
        guard = n_fft // 2 / hop_length
        before_end = min(start_s * per_s - guard, self.first - 1)
        after_start = max(end_s * per_s + guard, self.last + 1)
        self.before = _frames_in(before_end - noise, before_end)
        self.after = _frames_in(after_start, after_start + noise)
        self.need_first = min(self.first, self.before[0])
        self.need_last = max(self.last, self.after[1])

        self.spectrum = np.zeros(self.high_bin - self.low_bin + 1)
        self.energies: list[np.ndarray] = []
        self.seen_first: int | None = None
        self.max_power, self.max_frame, self.max_bin = -1.0, 0, 0
        self.entropy_sum, self.entropy_frames = 0.0, 0
        self.cells = 0
        self.noise_sum, self.noise_cells = 0.0, 0

    def take(self, t0: int, power: np.ndarray) -> None:
        """Add frames ``t0 .. t0 + len(power) - 1`` (``power``: frames x bins)."""
        t1 = t0 + len(power) - 1
        for first, last in (self.before, self.after):
            a, b = max(first, t0), min(last, t1)
            if a <= b:
                noise = power[a - t0 : b - t0 + 1, self.low_bin : self.high_bin + 1]
                self.noise_sum += float(noise.sum(dtype=np.float64))
                self.noise_cells += noise.size
        a, b = max(self.first, t0), min(self.last, t1)
        if a > b:
            return
        cells = power[a - t0 : b - t0 + 1, self.low_bin : self.high_bin + 1]
        if self.seen_first is None:
            self.seen_first = a
        energies = cells.sum(axis=1, dtype=np.float64)
        self.energies.append(energies)
        self.spectrum += cells.sum(axis=0, dtype=np.float64)
        self.cells += cells.size
        loudest = int(cells.argmax())
        frame, k = divmod(loudest, cells.shape[1])
        if cells[frame, k] > self.max_power:
            self.max_power = float(cells[frame, k])
            self.max_frame, self.max_bin = a + frame, self.low_bin + k
        # Shannon entropy of each frame's spectrum as a distribution, in bits:
        # log2(E) - sum(p log2 p) / E with E the frame's energy; silent frames have none.
        # A silent cell adds 0 * log2(tiny) = 0, as p log p does at p = 0.
        sounding = energies > 0
        if not sounding.all():
            cells, energies = cells[sounding], energies[sounding]
        if len(energies):
            logs = np.log2(np.maximum(cells, _TINY))
            weighted = np.einsum("ij,ij->i", cells, logs, dtype=np.float64)
            entropy = np.log2(energies) - weighted / energies
            self.entropy_sum += float(entropy.sum())
            self.entropy_frames += len(energies)

    def values(self) -> dict[str, float]:
        values = dict(self.deltas)
        if not self.cells:
            return values  # past the recording's end
        values[MAX_POWER] = power_db(self.max_power)
        energies = np.concatenate(self.energies)
        total = float(energies.sum())
        if total <= 0:
            return values  # digital silence: nothing is loudest, no energy to divide
        seconds_per_frame = self.hop_length / self.sample_rate
        hz_per_bin = self.sample_rate / self.n_fft
        values[PEAK_FREQ] = self.max_bin * hz_per_bin
        values[PEAK_TIME] = self.max_frame * seconds_per_frame
        f5, f50, f95 = (self.low_bin + k for k in _percentiles(self.spectrum, total))
        values[CENTER_FREQ] = f50 * hz_per_bin
        values[FREQ_5], values[FREQ_95] = f5 * hz_per_bin, f95 * hz_per_bin
        values[BW_90] = (f95 - f5) * hz_per_bin
        t5, t50, t95 = (self.seen_first + t for t in _percentiles(energies, total))
        values[CENTER_TIME] = t50 * seconds_per_frame
        values[DUR_90] = (t95 - t5) * seconds_per_frame
        if self.entropy_frames:
            values[AVG_ENTROPY] = self.entropy_sum / self.entropy_frames
        if self.noise_cells and self.noise_sum > 0:
            box = total / self.cells
            noise = self.noise_sum / self.noise_cells
            if box > noise:
                values[SNR] = 10 * math.log10((box - noise) / noise)
        # Rounded as Raven writes them: the JSON of 10,000 boxes stays small.
        return {key: round(values[key], DECIMALS[key]) for key in NAMES if key in values}


def _percentiles(energy: np.ndarray, total: float) -> Iterable[int]:
    """For each of :data:`_PERCENTILES`, the first index where the running sum reaches it."""
    running = np.cumsum(energy)
    last = len(running) - 1
    return (min(last, int(np.searchsorted(running, p * total))) for p in _PERCENTILES)


def measure_boxes(
    source: str | os.PathLike | BinaryIO,
    *,
    name: str,
    boxes: list[dict],
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, float]]:
    """Raven's measurements (and SNR) of each box of one recording.

    Parameters
    ----------
    source : str, os.PathLike or binary file object
        The audio file, or a readable, seekable file object holding it (the worker's
        reads ranges of S3): only the spans the boxes need are read.
    name : str
        The file's name as the user knows it: its extension names the container, and
        error messages quote it.
    boxes : list of dict
        Annotation-shaped boxes: ``start_s`` <= ``end_s`` (s), ``low_hz`` <= ``high_hz``
        (Hz, each may be None: 0 Hz, the Nyquist frequency). Other keys are ignored; so is
        ``channel`` (the measurement is of the channels' mean, as the spectrogram).
    deadline : float, optional
        A ``clock()`` value, in seconds; measuring stops with :class:`RenderTimeout` at
        the first decoded block after it.
    clock : callable() -> float
        Where the deadline's time comes from (default :func:`time.monotonic`).
    progress : callable(int) -> None, optional
        Called with the number of boxes measured so far, each time a span is done.

    Returns
    -------
    list of dict
        One per box, in order: keys among ``measurement_names.NAMES`` in that order,
        values in the keys' units (s, Hz, dB, bits). A box wholly past the recording's
        end has only Delta Time and Delta Freq; SNR is left out when the box is no
        louder than its noise windows (see the module's docstring).

    Raises
    ------
    ValueError
        A box ends before it starts, its high frequency is below its low, or a bound is
        not a finite number.
    NotAudioError, EmptyAudioError, TooLongError
        The file cannot be read (as :func:`~chalicelib.spectrogram.render`).
    RenderTimeout
        The deadline passed.
    """
    if not boxes:
        return []
    with open_seekable(source, name=name, max_duration_s=MAX_DURATION_S) as audio:
        sums = [
            _BoxSums(box, sample_rate=audio.sample_rate, n_fft=N_FFT, hop_length=HOP_LENGTH)
            for box in boxes
        ]
        done = 0
        for span in _spans(sums, merge_gap=round(MERGE_GAP_S * audio.sample_rate / HOP_LENGTH)):
            _measure_span(audio, span, name=name, deadline=deadline, clock=clock)
            done += len(span)
            if progress is not None:
                progress(done)
    return [box.values() for box in sums]


def _spans(sums: list[_BoxSums], *, merge_gap: int) -> list[list[_BoxSums]]:
    """The boxes grouped into spans of frames decoded alone, in time order (a sorted
    sweep: a box joins the span it overlaps or nearly touches)."""
    spans: list[list[_BoxSums]] = []
    end = -math.inf
    for box in sorted(sums, key=lambda box: box.need_first):
        if box.need_first > end + merge_gap:
            spans.append([])
        spans[-1].append(box)
        end = max(end, box.need_last)
    return spans


def _measure_span(
    audio: SeekableAudio,
    boxes: list[_BoxSums],
    *,
    name: str,
    deadline: float | None,
    clock: Callable[[], float],
) -> None:
    """Decode and transform frames ``boxes[0].need_first .. max need_last``, alone, and
    hand each box its frames (the boxes sorted by ``need_first``)."""
    first = boxes[0].need_first
    last = max(box.need_last for box in boxes)
    stft = StreamingSTFT(n_bins=max(box.high_bin for box in boxes) + 1, centred=False)
    # Frame t spans samples t * hop - n_fft / 2 .. t * hop + n_fft / 2 - 1, zero before 0.
    start = first * HOP_LENGTH - N_FFT // 2
    stop = last * HOP_LENGTH + N_FFT // 2
    active: list[_BoxSums] = []
    waiting = iter(boxes)
    upcoming = next(waiting, None)
    next_frame = first
    end_frame = math.inf  # the recording's last frame, once its end is read

    def hand_out(power: np.ndarray) -> None:
        nonlocal next_frame, upcoming, active
        power = power[: max(0, min(len(power), end_frame - next_frame + 1))]
        if not len(power):
            return
        t1 = next_frame + len(power) - 1
        while upcoming is not None and upcoming.need_first <= t1:
            active.append(upcoming)
            upcoming = next(waiting, None)
        for box in active:
            box.take(next_frame, power)
        active = [box for box in active if box.need_last > t1]
        next_frame = t1 + 1

    position = max(0, start)
    if start < 0:
        hand_out(stft.push(np.zeros(-start, dtype=np.float32)))
    with closing(audio.blocks_from(position)) as blocks:
        for block in blocks:
            if deadline is not None and clock() > deadline:
                raise RenderTimeout(
                    f"Measuring boxes on '{name}' ran out of time at "
                    f"{position / audio.sample_rate:.1f} s of audio."
                )
            block = block[: stop - position]
            position += len(block)
            hand_out(stft.push(block))
            if position >= stop:
                return
    # The recording ended first: its last frames hold the centring pad.
    end_frame = position // HOP_LENGTH
    hand_out(stft.finish())
