"""A generated labelled set for the detector: calls at known times and bands in field-like noise.

Each recording (48 kHz, mono) holds one call per :data:`SLOT_S` seconds, the kinds in
turn: a **whistle** (a tone with a slight vibrato), an **FM sweep** (up or down), a
**trill** (short down-slurred notes in quick succession) and a **click train** (short
clicks, each a Gaussian-windowed tone burst, at a steady rate: a call made of clicks, as
insects and frogs make them; a lone click of a few milliseconds is no event a detector
with a minimum duration can propose). Every draw comes from the seed, so the calls and the
noise are the same at every SNR; only the calls' gain changes.

The noise sounds like a field: pink noise (equal power per octave), rain (drops at random
times, 4 a second on average, each a few milliseconds of broadband decaying noise, their
levels spread over 30 dB) and traffic (a band below 800 Hz, swelling and fading).

**SNR** of a call: its in-band power over the noise's in-band power, both over the call's
own time span and in the detector's band (the default preset's 1-10 kHz: "in-band" as
the detector means it), in dB; each call's gain is set so that this is exactly the
recording's SNR. (In its own, narrower band a tonal call stands further out of the
noise than that.)

**Scoring**: a proposal matches a call when their times overlap by at least half of the
shorter of the two and their bands overlap. Recall = calls matched by any proposal /
calls; precision = proposals matching any call / proposals.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from chalicelib.detector_presets import DetectorPreset
from chalicelib.spectrogram.detector import Detections, Event
from chalicelib.spectrogram.engine import detect

SAMPLE_RATE = 48_000
SNRS_DB = (-5, 0, 5, 10, 15, 20)
#: Targets for SNR >= TARGET_SNR_DB (issue 17).
TARGET_SNR_DB, TARGET_RECALL, TARGET_PRECISION = 10, 0.9, 0.8
KINDS = ("whistle", "sweep", "trill", "click train")
#: One call per slot, placed at least this far from the slot's edges.
SLOT_S, SLOT_MARGIN_S = 2.0, 0.2
#: The band SNR is defined in: the default preset's.
SNR_BAND_HZ = (
    DetectorPreset(name="default").min_freq_hz,
    DetectorPreset(name="default").max_freq_hz,
)
PINK_RMS = 0.01
TRAFFIC_RMS, TRAFFIC_TOP_HZ = 0.03, 800.0
RAIN_PER_S, RAIN_PEAK, RAIN_SPREAD_DB = 4.0, 0.3, 30.0
RAMP_S = 0.01


@dataclass(frozen=True)
class Call:
    """A true call: its kind, times (s) and band (Hz)."""

    kind: str
    start_s: float
    end_s: float
    low_hz: float
    high_hz: float


@dataclass(frozen=True)
class LabelledRecording:
    samples: np.ndarray
    sample_rate: int
    snr_db: float
    calls: list[Call]

    def wav(self) -> io.BytesIO:
        """The recording as a float WAV file in memory."""
        out = io.BytesIO()
        sf.write(out, self.samples, self.sample_rate, format="WAV", subtype="FLOAT")
        out.seek(0)
        return out


def field_noise(n: int, rng: np.random.Generator, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """``n`` samples of pink noise, rain and traffic (see the module docstring)."""
    frequencies = np.fft.rfftfreq(n, 1 / sample_rate)
    spectrum = rng.standard_normal(len(frequencies)) + 1j * rng.standard_normal(len(frequencies))
    pink = spectrum / np.sqrt(np.maximum(frequencies, 20.0))
    pink = np.fft.irfft(pink, n)
    pink *= PINK_RMS / pink.std()
    rumble = rng.standard_normal(len(frequencies)) + 1j * rng.standard_normal(len(frequencies))
    rumble[frequencies > TRAFFIC_TOP_HZ] = 0
    traffic = np.fft.irfft(rumble, n)
    t = np.arange(n) / sample_rate
    traffic *= 1 + 0.6 * np.sin(2 * np.pi * t / 23.0 + rng.uniform(0, 2 * np.pi))
    traffic *= TRAFFIC_RMS / traffic.std()
    rain = np.zeros(n)
    drop_length = round(0.004 * sample_rate)
    decay = np.exp(-np.arange(drop_length) / (0.0008 * sample_rate))
    for onset in rng.integers(
        0, max(1, n - drop_length), rng.poisson(RAIN_PER_S * n / sample_rate)
    ):
        level = RAIN_PEAK * 10 ** (-rng.uniform(0, RAIN_SPREAD_DB) / 20)
        rain[onset : onset + drop_length] += level * decay * rng.standard_normal(drop_length)
    return pink + traffic + rain


def _ramped(tt: np.ndarray, length: float) -> np.ndarray:
    """A raised-cosine onset and offset of :data:`RAMP_S`."""
    ramp = np.clip(np.minimum(tt, length - tt) / RAMP_S, 0, 1)
    return 0.5 - 0.5 * np.cos(np.pi * ramp)


def _call(kind: str, rng: np.random.Generator, rate: int) -> tuple[np.ndarray, float, float]:
    """One call's samples (unit scale) and its band (Hz)."""
    if kind == "whistle":
        length, f0, depth = rng.uniform(0.15, 0.6), rng.uniform(2000, 8000), rng.uniform(20, 80)
        tt = np.arange(round(length * rate)) / rate
        phase = 2 * np.pi * f0 * tt - depth / 6.0 * np.cos(2 * np.pi * 6.0 * tt)
        return _ramped(tt, length) * np.sin(phase), f0 - depth - 30, f0 + depth + 30
    if kind == "sweep":
        length, f_start = rng.uniform(0.08, 0.4), rng.uniform(2000, 8500)
        f_end = float(np.clip(f_start + rng.choice([-1, 1]) * rng.uniform(1000, 3500), 1500, 9500))
        tt = np.arange(round(length * rate)) / rate
        phase = 2 * np.pi * (f_start * tt + (f_end - f_start) * tt**2 / (2 * length))
        return _ramped(tt, length) * np.sin(phase), min(f_start, f_end), max(f_start, f_end)
    if kind == "trill":
        notes, note_s = int(rng.integers(6, 15)), rng.uniform(0.02, 0.03)
        period = note_s + rng.uniform(0.015, 0.03)
        low = rng.uniform(2500, 6000)
        high = low + rng.uniform(500, 1500)
        tt = np.arange(round(note_s * rate)) / rate
        envelope = np.sin(np.pi * tt / note_s) ** 2
        note = envelope * np.sin(2 * np.pi * (high * tt - (high - low) * tt**2 / (2 * note_s)))
        out = np.zeros(round((notes - 1) * period * rate) + len(note))
        for i in range(notes):
            at = round(i * period * rate)
            out[at : at + len(note)] += note
        return out, low, high
    clicks, interval = int(rng.integers(8, 26)), rng.uniform(0.01, 0.03)
    centre_hz, sigma_s = rng.uniform(3000, 7000), 0.0003
    tt = np.arange(-4 * sigma_s, 4 * sigma_s, 1 / rate)
    click = np.exp(-0.5 * (tt / sigma_s) ** 2) * np.cos(2 * np.pi * centre_hz * tt)
    out = np.zeros(round((clicks - 1) * interval * rate) + len(click))
    for i in range(clicks):
        at = round(i * interval * rate)
        out[at : at + len(click)] += click
    spread_hz = 2 / (2 * np.pi * sigma_s)  # two standard deviations of its spectrum
    return out, centre_hz - spread_hz, centre_hz + spread_hz


def in_band_power(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """Mean power of ``samples`` within :data:`SNR_BAND_HZ` (Parseval over its FFT)."""
    spectrum = np.fft.rfft(samples)
    frequencies = np.fft.rfftfreq(len(samples), 1 / sample_rate)
    inside = (frequencies >= SNR_BAND_HZ[0]) & (frequencies <= SNR_BAND_HZ[1])
    # One-sided spectrum: bins other than 0 and Nyquist count twice.
    return float(2 * np.sum(np.abs(spectrum[inside]) ** 2) / len(samples) ** 2)


def labelled_recording(snr_db: float, *, duration_s: float, seed: int = 17) -> LabelledRecording:
    """A recording of ``duration_s`` s with one call per slot at ``snr_db`` dB (see above)."""
    rate = SAMPLE_RATE
    noise = field_noise(round(duration_s * rate), np.random.default_rng([seed, 0]))
    samples = noise.copy()
    calls = []
    for slot in range(int(duration_s // SLOT_S)):
        rng = np.random.default_rng([seed, 1, slot])
        kind = KINDS[slot % len(KINDS)]
        call, low_hz, high_hz = _call(kind, rng, rate)
        room = SLOT_S - 2 * SLOT_MARGIN_S - len(call) / rate
        start = round((slot * SLOT_S + SLOT_MARGIN_S + rng.uniform(0, room)) * rate)
        span = slice(start, start + len(call))
        gain = np.sqrt(in_band_power(noise[span]) * 10 ** (snr_db / 10) / in_band_power(call))
        samples[span] += gain * call
        calls.append(Call(kind, start / rate, (start + len(call)) / rate, low_hz, high_hz))
    return LabelledRecording(samples.astype(np.float32), rate, snr_db, calls)


def matches(event: Event, call: Call) -> bool:
    """Time overlap >= half the shorter, and the bands overlap."""
    overlap = min(event.end_s, call.end_s) - max(event.start_s, call.start_s)
    shorter = min(event.end_s - event.start_s, call.end_s - call.start_s)
    return overlap >= 0.5 * shorter and event.low_hz < call.high_hz and event.high_hz > call.low_hz


@dataclass(frozen=True)
class Score:
    snr_db: float
    calls: int
    found: int
    proposals: int
    correct: int
    #: Calls found, by kind: (found, calls).
    by_kind: dict[str, tuple[int, int]]
    detections: Detections

    @property
    def recall(self) -> float:
        return self.found / self.calls if self.calls else float("nan")

    @property
    def precision(self) -> float:
        return self.correct / self.proposals if self.proposals else float("nan")


def score(recording: LabelledRecording, detections: Detections) -> Score:
    events, calls = detections.events, recording.calls
    found = [any(matches(e, call) for e in events) for call in calls]
    by_kind = {
        kind: (
            sum(f for f, call in zip(found, calls, strict=True) if call.kind == kind),
            sum(call.kind == kind for call in calls),
        )
        for kind in KINDS
    }
    return Score(
        snr_db=recording.snr_db,
        calls=len(calls),
        found=sum(found),
        proposals=len(events),
        correct=sum(any(matches(e, call) for call in calls) for e in events),
        by_kind=by_kind,
        detections=detections,
    )


def quality(
    *,
    duration_s: float,
    preset: DetectorPreset,
    snrs_db: Sequence[float] = SNRS_DB,
    seed: int = 17,
) -> list[Score]:
    """``preset`` scored on a labelled recording of ``duration_s`` s at each SNR."""
    scores = []
    for snr_db in snrs_db:
        recording = labelled_recording(snr_db, duration_s=duration_s, seed=seed)
        found = detect(recording.wav(), name=f"calls at {snr_db} dB.wav", presets=[preset])
        scores.append(score(recording, found[preset.name]))
    return scores
