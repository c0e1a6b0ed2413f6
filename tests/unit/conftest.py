"""Fixtures for the unit tests: a seeded RNG, audio files written on the fly, the recordings
service on the session's moto server with a clock that ticks a second a call, and a project
with a recording in it (tests/marsh.py)."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

# librosa (numba) and matplotlib write caches at import; give them a writable place
# before any test module imports them. A fixed folder keeps numba's compiled code
# between runs (a cold cache costs ~15 s).
_CACHE = os.path.join(tempfile.gettempdir(), "sonagram-test-cache")
os.makedirs(_CACHE, exist_ok=True)
os.environ.setdefault("NUMBA_CACHE_DIR", _CACHE)
os.environ.setdefault("MPLCONFIGDIR", _CACHE)

import av  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import soundfile as sf  # noqa: E402

from chalicelib import clients  # noqa: E402
from chalicelib.models import RecordingModel  # noqa: E402
from chalicelib.recordings import Recordings  # noqa: E402
from tests.marsh import new_project, new_recording  # noqa: E402

# Formats libsndfile writes, and the FFmpeg (container, codec) pairs for the rest.
_SOUNDFILE_FORMATS = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".aiff": ("AIFF", "PCM_16"),
}
_FFMPEG_FORMATS = {
    ".mp3": ("mp3", "libmp3lame"),
    ".m4a": ("ipod", "aac"),
    ".opus": ("ogg", "libopus"),
}


@pytest.fixture
def ticks() -> itertools.count:
    """Epoch seconds, one more each call (a module may start them elsewhere)."""
    return itertools.count(1_800_000_000)


@pytest.fixture
def recordings(cloud_settings, ticks) -> Recordings:
    storage = clients.storage(cloud_settings)
    return Recordings(settings=cloud_settings, storage=storage, clock=lambda: next(ticks))


@pytest.fixture
def project_id(recordings) -> str:
    """Ana's project "marsh" (a module may make its own)."""
    return new_project(recordings)


@pytest.fixture
def recording(recordings, project_id) -> RecordingModel:
    """A one-minute recording in it (a module may make its own)."""
    return new_recording(recordings, project_id)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261125)


def _encode_with_ffmpeg(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    container_format, codec = _FFMPEG_FORMATS[path.suffix]
    layout = {1: "mono", 2: "stereo"}[samples.shape[1]]
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=sample_rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples.T, dtype=np.float32), format="fltp", layout=layout
        )
        frame.sample_rate = sample_rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.fixture
def write_audio(tmp_path: Path) -> Callable[..., Path]:
    """Write samples (shape (n,) or (n, channels), float in -1..1) as the file ``name``.

    The extension picks the format: .wav/.flac/.ogg via libsndfile (16-bit for the
    lossless ones, or ``subtype``), .mp3/.m4a/.opus encoded by FFmpeg.
    """

    def write(name: str, samples: np.ndarray, sample_rate: int, subtype: str | None = None) -> Path:
        path = tmp_path / name
        samples = samples[:, None] if samples.ndim == 1 else samples
        if path.suffix in _SOUNDFILE_FORMATS:
            file_format, default_subtype = _SOUNDFILE_FORMATS[path.suffix]
            sf.write(
                path, samples, sample_rate, format=file_format, subtype=subtype or default_subtype
            )
        else:
            _encode_with_ffmpeg(path, samples, sample_rate)
        return path

    return write


def tone(freq_hz: float, duration_s: float, sample_rate: int, amplitude: float = 0.5) -> np.ndarray:
    """A sine, float32."""
    t = np.arange(round(duration_s * sample_rate)) / sample_rate
    return (amplitude * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


@pytest.fixture
def make_tone() -> Callable[..., np.ndarray]:
    return tone
