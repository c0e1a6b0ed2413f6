"""Benchmark recordings: a seeded, field-recording-like signal written to disk in chunks.

The signal is broadband noise, two steady tones (an insect chorus and a hum) and
frequency-swept calls at random times, so compression, the dB range and the image
look like a real recording's rather than a test tone's. Each call is drawn from its
own time slot's seed and the noise from its chunk's seed, so any chunk can be made
on its own: a 60-minute file is written without ever holding it in memory. A stereo
recording's second channel hears the same scene more quietly, with its own noise.

Files are cached under ``bench/work/inputs`` by a key of their parameters and of
this module's source, so a change here regenerates them and nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import soundfile as sf

#: Samples per generated chunk (the noise seed changes per chunk).
CHUNK = 1 << 16
NOISE_RMS = 0.01
#: (frequency in Hz, amplitude): an insect chorus and a low hum.
TONES = ((6500.0, 0.02), (180.0, 0.03))
#: One call slot per CALL_PERIOD_S seconds; a slot holds a call with CALL_CHANCE.
CALL_PERIOD_S = 0.25
CALL_CHANCE = 0.6
CALL_MAX_S = 0.15
#: The second channel of a stereo recording: the first one this loud, plus its own noise.
SECOND_CHANNEL_GAIN = 0.6
#: libsndfile (format, subtype) per extension; FFmpeg (container, encoder) for the rest.
_SOUNDFILE = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS")}
_FFMPEG = {"mp3": ("mp3", "libmp3lame"), "m4a": ("ipod", "aac")}
_LAYOUTS = {1: "mono", 2: "stereo"}
BIT_RATE = 128_000


@dataclass(frozen=True)
class Spec:
    """One benchmark recording: ``duration_s`` seconds at ``sample_rate`` Hz."""

    duration_s: float
    sample_rate: int
    ext: str
    seed: int = 20261125
    channels: int = 1
    #: Of MP3 and M4A files, in bits per second.
    bit_rate: int = BIT_RATE

    def __post_init__(self):
        if self.ext not in _SOUNDFILE and self.ext not in _FFMPEG:
            raise ValueError(f"cannot write {self.ext!r} recordings")
        if self.channels not in _LAYOUTS:
            raise ValueError(f"{self.channels} channels: only mono or stereo")

    @property
    def n_samples(self) -> int:
        return round(self.duration_s * self.sample_rate)

    @property
    def label(self) -> str:
        """Short name for tables: ``60 s WAV``, ``10 min MP3``, ``60 min WAV 48k stereo``."""
        seconds = self.duration_s
        length = f"{seconds / 60:g} min" if seconds >= 600 else f"{seconds:g} s"
        rate = "" if self.sample_rate == 44100 else f" {self.sample_rate / 1000:g}k"
        stereo = " stereo" if self.channels == 2 else ""
        bits = "" if self.bit_rate == BIT_RATE else f" {self.bit_rate // 1000} kb/s"
        return f"{length} {self.ext.upper()}{rate}{stereo}{bits}"


def _calls(spec: Spec, start: int, t: np.ndarray, out: np.ndarray) -> None:
    """Add the calls overlapping samples ``start .. start + len(t)`` to ``out``."""
    rate = spec.sample_rate
    nyquist_margin = 0.45 * rate
    first = int((start / rate - CALL_MAX_S) // CALL_PERIOD_S) - 1
    last = int(((start + len(t)) / rate) // CALL_PERIOD_S)
    for slot in range(max(first, 0), last + 1):
        draw = np.random.default_rng([spec.seed, 1, slot])
        if draw.random() > CALL_CHANCE:
            continue
        onset = (slot + draw.random()) * CALL_PERIOD_S
        length = draw.uniform(0.03, CALL_MAX_S)
        f0 = min(draw.uniform(2000, 8000), nyquist_margin)
        f1 = min(max(f0 + draw.uniform(-3000, 3000), 500), nyquist_margin)
        amplitude = draw.uniform(0.05, 0.5)
        i0 = max(round(onset * rate) - start, 0)
        i1 = min(round((onset + length) * rate) - start, len(t))
        if i1 <= i0:
            continue
        tt = t[i0:i1] - onset
        phase = 2 * np.pi * (f0 * tt + (f1 - f0) * tt**2 / (2 * length))
        out[i0:i1] += amplitude * np.sin(np.pi * tt / length) ** 2 * np.sin(phase)


def chunks(spec: Spec) -> Iterator[np.ndarray]:
    """The recording as float32 chunks of :data:`CHUNK` frames, shaped (frames, channels)."""
    for start in range(0, spec.n_samples, CHUNK):
        n = min(CHUNK, spec.n_samples - start)
        t = (start + np.arange(n)) / spec.sample_rate
        y = np.random.default_rng([spec.seed, 0, start]).normal(0, NOISE_RMS, n)
        for frequency, amplitude in TONES:
            y += amplitude * np.sin(2 * np.pi * frequency * t)
        _calls(spec, start, t, y)
        if spec.channels == 2:
            other = np.random.default_rng([spec.seed, 2, start]).normal(0, NOISE_RMS, n)
            y = np.stack([y, SECOND_CHANNEL_GAIN * y + other], axis=1)
        else:
            y = y[:, None]
        yield y.astype(np.float32)


def _write_ffmpeg(path: Path, spec: Spec) -> None:
    container_format, codec = _FFMPEG[spec.ext]
    with av.open(str(path), "w", format=container_format) as out:
        layout = _LAYOUTS[spec.channels]
        stream = out.add_stream(codec, rate=spec.sample_rate, layout=layout)
        stream.bit_rate = spec.bit_rate
        written = 0
        for chunk in chunks(spec):
            planar = np.ascontiguousarray(chunk.T)
            frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout=layout)
            frame.sample_rate = spec.sample_rate
            frame.pts = written
            frame.time_base = Fraction(1, spec.sample_rate)
            written += len(chunk)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def write(path: Path, spec: Spec) -> None:
    """Write ``spec`` to ``path`` chunk by chunk.

    16-bit PCM WAV or FLAC, Ogg Vorbis (libsndfile's default quality), or MP3/M4A at
    ``spec.bit_rate``.
    """
    if spec.ext in _SOUNDFILE:
        file_format, subtype = _SOUNDFILE[spec.ext]
        with sf.SoundFile(
            path, "w", spec.sample_rate, spec.channels, subtype=subtype, format=file_format
        ) as out:
            for chunk in chunks(spec):
                out.write(chunk)
    else:
        _write_ffmpeg(path, spec)


def _cache_key(spec: Spec) -> str:
    source = Path(__file__).read_bytes()
    params = json.dumps(asdict(spec), sort_keys=True).encode()
    return hashlib.sha256(source + params).hexdigest()[:12]


def ensure(spec: Spec, folder: Path) -> Path:
    """The cached file for ``spec`` in ``folder``, generated first if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    name = spec.label.replace(" ", "_").replace("/", "")
    path = folder / f"{name}-{_cache_key(spec)}.{spec.ext}"
    if not path.exists():
        # Written under a temporary name: an interrupted run must not leave a truncated
        # file that the next run would take for a cached one.
        partial = path.with_name(f"partial-{os.getpid()}-{path.name}")
        try:
            write(partial, spec)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return path
