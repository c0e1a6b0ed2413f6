"""The frequency rows: white noise draws no stripes, a tone lands on its row at its level."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from bench.banding import MAX_RIPPLE_DB, SAMPLE_RATES, render_with_tiles, ripples, tile_levels_db
from chalicelib.spectrogram.axes import HEIGHT
from chalicelib.spectrogram.stft import N_FFT, band

AMPLITUDE = 0.5
#: A steady tone's |STFT| at its bin: amplitude * sum(hann) / 2.
TONE_DB = 20 * np.log10(AMPLITUDE * N_FFT / 4)


@pytest.mark.parametrize("sample_rate", SAMPLE_RATES)
def test_white_noise_rows_are_alike_in_the_overview_and_every_tile_level(sample_rate):
    measured = ripples(sample_rate)
    assert measured["levels"], "a 30 s recording has tiles"
    assert max(measured["overview"], *measured["levels"]) <= MAX_RIPPLE_DB, measured


def _tone_wav(frequency_hz: float, sample_rate: int) -> io.BytesIO:
    t = np.arange(sample_rate // 2) / sample_rate
    out = io.BytesIO()
    tone = AMPLITUDE * np.sin(2 * np.pi * frequency_hz * t)
    sf.write(out, tone.astype(np.float32), sample_rate, format="WAV", subtype="FLOAT")
    out.seek(0)
    return out


def _where(sample_rate: int) -> dict[str, float]:
    """Tones at the awkward places: on a bin, between two, on a row's edge and centre."""
    f_max, _ = band(sample_rate)
    bin_hz, row_hz = sample_rate / N_FFT, f_max / HEIGHT
    k, r = round(0.37 * f_max / bin_hz), round(0.61 * HEIGHT)
    return {
        "on a bin": k * bin_hz,
        "between bins": (k + 0.5) * bin_hz,
        "on a row's edge": r * row_hz,
        "at a row's centre": (r + 0.5) * row_hz,
    }


@pytest.mark.parametrize("sample_rate", [8000, 22050, 32000, 44100, 48000, 96000, 384000])
def test_a_tone_lands_on_its_row_within_1_db_of_its_level(sample_rate):
    f_max, _ = band(sample_rate)
    for where, frequency_hz in _where(sample_rate).items():
        rendering, objects = render_with_tiles(_tone_wav(frequency_hz, sample_rate), "tone.wav")
        # A column in the middle, away from the recording's ends; row 0 at the bottom.
        level = tile_levels_db(rendering.manifest, objects)[0]
        levels_db = level[::-1, level.shape[1] // 2]
        overview = np.asarray(Image.open(io.BytesIO(rendering.overview_png)))[::-1, 400]
        row = frequency_hz / (f_max / HEIGHT)
        for image in (levels_db, overview):
            brightest = np.flatnonzero(image == image.max())
            # The tone's row, or its neighbour when it lies on their edge.
            assert abs(brightest.mean() + 0.5 - row) <= 1.5, (where, brightest, row)
        assert levels_db.max() == pytest.approx(TONE_DB, abs=1), where
