"""The STFT stage against librosa, and streaming against whole-file processing."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import scipy.signal

from chalicelib.spectrogram.decode import open_audio
from chalicelib.spectrogram.engine import render_stream
from chalicelib.spectrogram.stft import StreamingSTFT, band, hann_window


def _engine_power(path, *, block_size: int) -> np.ndarray:
    stream = open_audio(path, name=path.name, max_duration_s=3600, block_size=block_size)
    stft = StreamingSTFT(n_bins=band(stream.sample_rate)[1])
    parts = [stft.push(block) for block in stream.blocks] + [stft.finish()]
    return np.concatenate(parts)


def _birdsong(rng, sample_rate: int, duration_s: float, channels: int) -> np.ndarray:
    """Noise, a chirp, a steady tone and a few clicks: dynamic range at every level."""
    t = np.arange(round(duration_s * sample_rate)) / sample_rate
    chirp = 0.3 * scipy.signal.chirp(t, 500, t[-1], 9000) * (np.sin(np.pi * t / t[-1]) ** 2)
    y = 0.01 * rng.standard_normal((len(t), channels)) + chirp[:, None]
    y[:, 0] += 0.05 * np.sin(2 * np.pi * 2500 * t)
    y[rng.integers(0, len(t), 5), -1] += 0.8
    return y.clip(-1, 1)


def test_hann_window_is_the_periodic_scipy_window():
    expected = scipy.signal.get_window("hann", 2048, fftbins=True)
    np.testing.assert_allclose(hann_window(2048), expected, atol=1e-7)


@pytest.mark.parametrize(
    ("sample_rate", "f_max", "n_bins"),
    [(8000, 4000.0, 1025), (16000, 8000.0, 1025), (44100, 10000.0, 465), (48000, 10000.0, 427)]
    + [(192000, 10000.0, 107)],
)
def test_band_keeps_bins_up_to_10_khz_or_nyquist(sample_rate, f_max, n_bins):
    assert band(sample_rate) == (f_max, n_bins)
    assert (n_bins - 1) * sample_rate / 2048 <= f_max < n_bins * sample_rate / 2048


@pytest.mark.filterwarnings("ignore:n_fft=2048 is too large:UserWarning")
@pytest.mark.parametrize(
    ("sample_rate", "channels", "duration_s"), [(22050, 1, 3.0), (48000, 2, 2.0), (8000, 1, 0.05)]
)
def test_decibels_match_librosa_within_0_05_db(write_audio, rng, sample_rate, channels, duration_s):
    path = write_audio("song.wav", _birdsong(rng, sample_rate, duration_s, channels), sample_rate)
    y, sr = librosa.load(path, sr=None, mono=True)
    n_bins = band(sr)[1]
    magnitude = np.abs(librosa.stft(y))[:n_bins]
    expected = librosa.amplitude_to_db(magnitude, ref=np.max, top_db=80).T

    power = _engine_power(path, block_size=4096)
    ours = 10 * np.log10(np.maximum(power, 1e-10) / power.max())

    assert power.shape == expected.shape
    above_floor = expected > -80
    assert above_floor.mean() > 0.5
    np.testing.assert_allclose(ours[above_floor], expected[above_floor], atol=0.05)
    assert (ours[~above_floor] <= -80 + 0.05).all()


@pytest.mark.parametrize("block_size", [1, 511, 1000, 2049])
def test_streamed_frames_equal_whole_file_frames(write_audio, rng, block_size):
    path = write_audio("song.wav", _birdsong(rng, 16000, 0.7, 1), 16000)
    whole = _engine_power(path, block_size=1 << 20)
    assert whole.shape == (1 + 11200 // 512, 1025)
    np.testing.assert_array_equal(_engine_power(path, block_size=block_size), whole)


def test_streamed_rendering_equals_whole_file_rendering(write_audio, rng):
    path = write_audio("song.wav", _birdsong(rng, 44100, 20.0, 1), 44100)

    def rendered(block_size):
        tiles = []
        stream = open_audio(path, name="song.wav", max_duration_s=3600, block_size=block_size)
        rendering = render_stream(
            stream, name="song.wav", tile_sink=lambda *handed: tiles.append(handed)
        )
        return rendering, tiles

    small, small_tiles = rendered(1000)
    whole, whole_tiles = rendered(1 << 22)
    assert small.overview_png == whole.overview_png
    assert small.manifest == whole.manifest
    assert small_tiles == whole_tiles
