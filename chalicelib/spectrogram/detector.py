"""Band-limited energy detector (Raven's BLED): loud stretches of a band become proposed boxes.

Fed the render's STFT power frames (:mod:`.stft`: ``n_fft`` 2048, hop 512, Hann, centred),
one block at a time, in the same pass as the drawing. Per frame ``t``:

1. **In-band power** ``p[t]``: the sum of ``|STFT|**2`` over the bins ``k`` with
   ``min_freq_hz <= k * sample_rate / n_fft <= min(max_freq_hz, sample_rate / 2)``.
2. **Noise**: noise block ``j`` is the frames ``j * H .. j * H + B - 1`` (``B`` =
   ``noise_block_s``, ``H`` = ``noise_hop_s``, both in frames, at least 1); its noise
   level is the ``noise_percentile`` percentile (linear interpolation) of ``p`` over it.
   Frame ``t`` takes the noise of the block whose centre ``j * H + (B - 1) / 2`` is
   nearest to it (ties to the later block), among the blocks that fit in the recording;
   frames past the last such block take the last one, and a recording shorter than a
   block is one block.
3. **Loud**: ``SNR[t] = 10 * log10(p[t] / noise)`` dB ``>= snr_threshold_db`` (the noise
   floored at 1e-10, the engine's power floor, so digital silence is never loud).
4. **Events**: runs of loud frames whose gap (the quiet frames between them, in s) is
   below ``min_separation_s`` are joined; an event runs from its first loud frame to its
   last. Each event is a *candidate*; it is refused as ``too_short`` if it lasts less than
   ``min_duration_s``, else ``too_long`` if more than ``max_duration_s``, else
   ``low_occupancy`` if its loud frames are fewer than ``min_occupancy_pct`` % of its
   frames. The rest are the detections.

An event spans the frame edges of its first and last frames (frame ``t`` covers
``(t -/+ 0.5) * hop_length / sample_rate`` s, clipped to the recording), so its duration is
its frame count times the hop. Its band is the preset's (clipped to Nyquist) or, with
``band="energy"``, the 5-95 % energy band of its loud frames' in-band spectrum less the
noise spectrum (the mean in-band spectrum of the quiet frames, weighted to the last noise
block): the band from the bin where 5 % of that excess energy is reached to the bin
where 95 % is, each widened by half a bin and kept inside the preset's band. Its score is
its peak frame SNR, in dB.

Memory does not grow with the recording: ``p`` of the frames a noise block may still need
(about ``B + H``) plus, with ``band="energy"``, the in-band spectra of the frames still
waiting for their noise block (about ``B / 2 + H`` frames); adjacent bins are summed in
those spectra when more would exceed :data:`SPECTRA_BUDGET_BYTES`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .scale import POWER_MIN
from .stft import HOP_LENGTH, N_FFT

if TYPE_CHECKING:
    from chalicelib.detector_presets import DetectorPreset

#: Largest buffer of waiting in-band spectra, in bytes (see the module docstring).
SPECTRA_BUDGET_BYTES = 16 << 20
#: Where an event's band starts and ends in its excess energy (5-95 %).
ENERGY_LOW, ENERGY_HIGH = 0.05, 0.95
#: The measurement a proposal carries its score in.
PEAK_SNR = "Peak SNR (dB)"
REFUSALS = ("too_short", "too_long", "low_occupancy")


@dataclass(frozen=True)
class Event:
    """One detection: seconds from the recording's start, hertz, and its peak SNR (dB)."""

    start_s: float
    end_s: float
    low_hz: float
    high_hz: float
    peak_snr_db: float


@dataclass(frozen=True)
class Detections:
    """What one preset found in one recording, with Raven's diagnostics.

    Attributes
    ----------
    events : list of Event
        The detections, in time order.
    candidates : int
        Events formed before the duration and occupancy checks (detections + refused).
    refused : dict
        ``{"too_short": n, "too_long": n, "low_occupancy": n}``: candidates refused, by
        the first check they failed.
    """

    events: list[Event]
    candidates: int
    refused: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REFUSALS, 0))

    def boxes(self, preset: DetectorPreset) -> list[dict]:
        """The events as proposed annotation boxes of ``preset``: labelled with its name,
        ``source`` ``"detector:<name>"``, unreviewed, the peak SNR under ``Peak SNR (dB)``."""
        from chalicelib.formats.box import new_box

        return [
            {
                **new_box(
                    event.start_s,
                    event.end_s,
                    low_hz=event.low_hz,
                    high_hz=event.high_hz,
                    label=preset.name,
                    measurements={PEAK_SNR: round(event.peak_snr_db, 2)},
                ),
                "source": preset.source,
                "review": None,
            }
            for event in self.events
        ]


@dataclass
class _Open:
    """The event being built: frames ``first .. last`` (both loud)."""

    first: int
    last: int
    loud: int
    peak_snr_db: float
    spectrum: np.ndarray | None


class BandEnergyDetector:
    """Raven's band-limited energy detector over STFT power frames (see the module docstring).

    Parameters
    ----------
    preset : DetectorPreset
        Its band, durations (s), separation (s), noise block and hop (s), percentile (%),
        threshold (dB) and occupancy (%) are used.
    sample_rate : int > 0
        Of the recording, in Hz.
    n_fft, hop_length : int > 0
        Of the STFT that makes the frames, in samples.

    Attributes
    ----------
    n_bins : int
        STFT bins ``0 .. n_bins - 1`` that :meth:`push` needs: up to the band's top bin.
    low_hz, high_hz : float
        The band listened to, in Hz: the preset's, its top clipped to Nyquist. A band
        holding no bin (``min_freq_hz`` above Nyquist) detects nothing.
    pooled_bins : int
        Adjacent in-band bins summed in the spectra kept for energy bands (1 unless
        :data:`SPECTRA_BUDGET_BYTES` would be exceeded): the energy band's resolution.
    """

    def __init__(
        self,
        preset: DetectorPreset,
        *,
        sample_rate: int,
        n_fft: int = N_FFT,
        hop_length: int = HOP_LENGTH,
    ):
        if not sample_rate > 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate!r}")
        self.preset = preset
        self.sample_rate, self.n_fft, self.hop_length = sample_rate, n_fft, hop_length
        self._bin_hz = sample_rate / n_fft
        self._frame_s = hop_length / sample_rate
        self.low_hz = preset.min_freq_hz
        self.high_hz = min(preset.max_freq_hz, sample_rate / 2)
        self._low_bin = math.ceil(self.low_hz / self._bin_hz - 1e-9)
        self._high_bin = math.floor(self.high_hz / self._bin_hz + 1e-9)
        self._silent = self._low_bin > self._high_bin
        self._ones = np.ones(max(0, self._high_bin + 1 - self._low_bin), dtype=np.float32)
        self.n_bins = 1 if self._silent else self._high_bin + 1
        self._block = max(1, round(preset.noise_block_s / self._frame_s))
        self._hop = max(1, round(preset.noise_hop_s / self._frame_s))
        self._threshold = 10 ** (preset.snr_threshold_db / 10)
        # Gaps shorter than this many frames join two loud runs.
        self._join_gap = preset.min_separation_s / self._frame_s
        # In-band power of frames _first .. _n - 1: those a noise block may still need.
        self._power = np.empty(4 * self._block + 1024, dtype=np.float32)
        self._first = 0
        self._n = 0  # frames pushed
        self._decided = 0  # frames classified loud or quiet
        self._noise: dict[int, float] = {}
        self._open: _Open | None = None
        self._events: list[Event] = []
        self._candidates = 0
        self._refused = dict.fromkeys(REFUSALS, 0)
        self._energy = preset.band == "energy" and not self._silent
        self.pooled_bins = 1
        if self._energy:
            n_in_band = self._high_bin + 1 - self._low_bin
            waiting = self._block // 2 + self._hop + 1
            pooled = max(1, math.ceil(waiting * n_in_band * 4 / SPECTRA_BUDGET_BYTES))
            # Each pooled band sums bins starts[i] .. starts[i + 1] - 1 (relative to low).
            self._starts = np.arange(0, n_in_band, pooled)
            self.pooled_bins = pooled
            self._waiting: deque[tuple[int, np.ndarray]] = deque()
            self._noise_sum = np.zeros(len(self._starts))
            self._noise_weight = 0.0

    def push(self, power: np.ndarray) -> None:
        """Add the next power frames.

        Parameters
        ----------
        power : np.ndarray [shape=(frames, >= n_bins), dtype=float32]
            ``|STFT|**2`` of consecutive frames (bins beyond :attr:`n_bins` are ignored).
            Not modified; with ``band="energy"`` a view of its in-band part is kept until
            its frames' noise is known, so it must not be changed afterwards (the STFT
            returns a new array each time).
        """
        if self._silent or not len(power):
            return
        in_band = power[:, self._low_bin : self._high_bin + 1]
        n = len(power)
        if self._n + n - self._first > len(self._power):
            self._make_room(n)
        # A matrix-vector product: the cheapest sum over bins (this runs in the render).
        self._power[self._n - self._first : self._n + n - self._first] = in_band @ self._ones
        if self._energy:
            pooled = (
                in_band if self.pooled_bins == 1 else np.add.reduceat(in_band, self._starts, axis=1)
            )
            self._waiting.append((self._n, pooled))
        self._n += n
        if self._n >= self._block:
            last_complete = (self._n - self._block) // self._hop
            self._decide(self._decidable(last_complete), last_complete)

    def finish(self, *, duration_s: float | None = None) -> Detections:
        """Classify the last frames and close the last event.

        Parameters
        ----------
        duration_s : float, optional
            The recording's length, in s: events end at most there.

        Returns
        -------
        Detections
        """
        if self._n:
            last_block = max(0, (self._n - self._block) // self._hop)
            self._decide(self._n, last_block)
        self._close()
        events = self._events
        if duration_s is not None:
            events = [
                Event(e.start_s, min(e.end_s, duration_s), e.low_hz, e.high_hz, e.peak_snr_db)
                for e in events
                if e.start_s < duration_s
            ]
        return Detections(events, self._candidates, dict(self._refused))

    def _make_room(self, n: int) -> None:
        """Room for ``n`` more frames: the frames no block needs any more are dropped.

        Frames not yet classified take their nearest block or, at the end, the last whole
        one: neither comes before the earlier of these two blocks.
        """
        nearest = int(self._block_of(np.array([self._decided]))[0])
        needed = min(nearest, max(0, (self._n - self._block) // self._hop)) * self._hop
        kept = self._power[needed - self._first : self._n - self._first]
        if len(kept) + n > len(self._power) // 2:
            self._power = np.empty(2 * (len(kept) + n), dtype=np.float32)
        self._power[: len(kept)] = kept
        self._first = needed

    def _block_of(self, frames: np.ndarray) -> np.ndarray:
        """Each frame's nearest noise block, not yet limited to the blocks that exist."""
        centred = (frames - (self._block - 1) / 2) / self._hop
        return np.maximum(np.floor(centred + 0.5), 0).astype(np.int64)

    def _decidable(self, last_complete: int) -> int:
        """Frames before this one have their noise block complete: those whose nearest
        block is ``last_complete`` or earlier (:meth:`_block_of` solved for the frame)."""
        end = math.ceil((last_complete + 0.5) * self._hop + (self._block - 1) / 2)
        return min(end, self._n)

    def _noise_of(self, block: int) -> float:
        if block not in self._noise:
            start = block * self._hop
            values = self._power[
                start - self._first : min(start + self._block, self._n) - self._first
            ]
            self._noise[block] = max(percentile(values, self.preset.noise_percentile), POWER_MIN)
        return self._noise[block]

    def _decide(self, end: int, last_block: int) -> None:
        """Classify frames ``_decided .. end - 1``; blocks after ``last_block`` don't exist."""
        start = self._decided
        if end <= start:
            return
        blocks = np.minimum(self._block_of(np.arange(start, end)), last_block)
        # Blocks never decrease from frame to frame.
        first_block, final_block = int(blocks[0]), int(blocks[-1])
        noise = np.array([self._noise_of(b) for b in range(first_block, final_block + 1)])
        noise = noise[blocks - first_block]
        # Later frames take this step's last block or later ones: forget the others.
        for block in [b for b in self._noise if b < final_block]:
            del self._noise[block]
        power = self._power[start - self._first : end - self._first]
        loud = power >= noise * self._threshold
        spectra = self._take_spectra(end) if self._energy else None
        if spectra is not None:
            self._learn_noise(spectra, quiet=~loud)
        # Runs of loud frames: [run_starts[i], run_ends[i]) relative to start.
        edges = np.diff(np.concatenate(([0], loud.view(np.int8), [0])))
        run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        for first, stop in zip(run_starts, run_ends, strict=True):
            snr_db = 10 * math.log10(float((power[first:stop] / noise[first:stop]).max()))
            summed = None if spectra is None else spectra[first:stop].sum(axis=0)
            self._add_run(start + int(first), start + int(stop) - 1, snr_db, summed)
        if self._open is not None and end - 1 - self._open.last >= self._join_gap:
            self._close()
        self._decided = end

    def _add_run(self, first: int, last: int, snr_db: float, summed: np.ndarray | None) -> None:
        """Loud frames ``first .. last``: join them to the open event or open one."""
        if self._open is not None and first - self._open.last - 1 >= self._join_gap:
            self._close()
        if self._open is None:
            self._open = _Open(first, last, 0, snr_db, summed)
        else:
            self._open.last = last
            self._open.peak_snr_db = max(self._open.peak_snr_db, snr_db)
            if summed is not None and self._open.spectrum is not None:
                self._open.spectrum += summed
        self._open.loud += last + 1 - first
        if (last + 1 - self._open.first) * self._frame_s > self.preset.max_duration_s:
            self._open.spectrum = None  # it will be refused: its band is never needed

    def _take_spectra(self, end: int) -> np.ndarray:
        """The waiting in-band spectra of frames ``_decided .. end - 1``, removed."""
        taken = []
        while self._waiting and self._waiting[0][0] < end:
            first, spectra = self._waiting.popleft()
            if first + len(spectra) > end:
                self._waiting.appendleft((end, spectra[end - first :]))
                spectra = spectra[: end - first]
            taken.append(spectra)
        return np.concatenate(taken) if len(taken) > 1 else taken[0]

    def _learn_noise(self, spectra: np.ndarray, *, quiet: np.ndarray) -> None:
        """Fold the ``quiet`` frames of ``spectra`` into the noise spectrum, older frames
        fading over a block."""
        n_quiet = int(quiet.sum())
        if not n_quiet:
            return
        fade = math.exp(-n_quiet / self._block)
        self._noise_sum = self._noise_sum * fade + quiet.astype(np.float32) @ spectra
        self._noise_weight = self._noise_weight * fade + n_quiet

    def _close(self) -> None:
        event, self._open = self._open, None
        if event is None:
            return
        self._candidates += 1
        frames = event.last - event.first + 1
        duration_s = frames * self._frame_s
        if duration_s < self.preset.min_duration_s:
            self._refused["too_short"] += 1
        elif duration_s > self.preset.max_duration_s:
            self._refused["too_long"] += 1
        elif event.loud * 100 < self.preset.min_occupancy_pct * frames:
            self._refused["low_occupancy"] += 1
        else:
            low_hz, high_hz = self._band_of(event)
            self._events.append(
                Event(
                    max(0.0, (event.first - 0.5) * self._frame_s),
                    (event.last + 0.5) * self._frame_s,
                    low_hz,
                    high_hz,
                    event.peak_snr_db,
                )
            )

    def _band_of(self, event: _Open) -> tuple[float, float]:
        if not self._energy or event.spectrum is None:
            return self.low_hz, self.high_hz
        excess = event.spectrum
        if self._noise_weight:
            excess = excess - event.loud * self._noise_sum / self._noise_weight
        excess = np.maximum(excess, 0)
        total = excess.sum()
        if not total > 0:
            return self.low_hz, self.high_hz
        cumulative = np.cumsum(excess) / total
        low_band = int(np.searchsorted(cumulative, ENERGY_LOW, "left"))
        high_band = int(np.searchsorted(cumulative, ENERGY_HIGH, "left"))
        low_bin = self._low_bin + int(self._starts[low_band])
        high_bin = self._low_bin + int(self._starts[high_band]) + self.pooled_bins - 1
        return (
            max(self.low_hz, (low_bin - 0.5) * self._bin_hz),
            min(self.high_hz, (high_bin + 0.5) * self._bin_hz),
        )


def percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile(values, q)`` (linear interpolation), from a partial sort: a noise
    block's level is taken every noise hop, inside the render."""
    position = q / 100 * (len(values) - 1)
    below = math.floor(position)
    above = min(below + 1, len(values) - 1)
    ordered = np.partition(values, (below, above))
    low, high = float(ordered[below]), float(ordered[above])
    return low + (high - low) * (position - below)
