"""The overview image: size, colours, where tones and clicks land."""

from __future__ import annotations

import io
import struct
import zlib

import matplotlib
import numpy as np
import pytest
from PIL import Image

from chalicelib.spectrogram import render
from chalicelib.spectrogram.axes import AxisMap, FrequencyRows, overview_width
from chalicelib.spectrogram.colormap import VIRIDIS
from chalicelib.spectrogram.overview import OverviewColumns, overview_image, overview_png
from chalicelib.spectrogram.png import encode_png
from chalicelib.spectrogram.scale import colour_indices


def _indices(rendering) -> np.ndarray:
    image = Image.open(io.BytesIO(rendering.overview_png))
    assert image.mode == "P"
    assert image.size == (rendering.width, rendering.height)
    return np.asarray(image)


def _brightest_row(indices: np.ndarray) -> int:
    return int(np.argmax(indices.astype(float).mean(axis=1)))


def _expected_row(freq_hz: float, f_max: float) -> int:
    return 399 - int(freq_hz / f_max * 400)


def test_viridis_table_is_matplotlibs():
    cmap = matplotlib.colormaps["viridis"]
    expected = (cmap(np.arange(256))[:, :3] * 255).round()
    np.testing.assert_array_equal(VIRIDIS, expected)


def test_colours_follow_matplotlibs_normalised_viridis():
    cmap = matplotlib.colormaps["viridis"]
    # The centre of every colour's 80/256 dB bin, and levels below the -80 dB floor.
    db = np.concatenate((-80 + (np.arange(256) + 0.5) * 80 / 256, [-80.5, -95.0, -200.0]))
    ref_power = 7.0
    indices = colour_indices((ref_power * 10 ** (db / 10)).astype(np.float32), ref_power)
    rgb = cmap(matplotlib.colors.Normalize(-80, 0)(np.maximum(db, -80)))[:, :3]
    np.testing.assert_array_equal(VIRIDIS[indices], (rgb * 255).round())
    np.testing.assert_array_equal(indices[:256], np.arange(256))


@pytest.mark.parametrize(
    ("duration_s", "width"),
    [(1, 800), (4, 800), (4.0025, 801), (10, 2000), (16, 3200), (16.5, 3200), (60, 3200)]
    + [(600, 3200)],
)
def test_overview_width_is_200_px_per_s_clamped_to_800_3200(duration_s, width):
    assert overview_width(duration_s) == width


def test_axis_map_takes_the_max_when_sources_are_denser_than_pixels():
    mapped = AxisMap(np.array([0.2, 0.6, 1.1, 1.5, 1.9]), 2).apply(
        np.array([1, 5, 2, 9, 3]), axis=0
    )
    np.testing.assert_array_equal(mapped, [5, 9])


def test_axis_map_repeats_the_nearest_source_when_sources_are_sparser():
    # Pixel 1's centre (1.5) is as near to 0.5 as to 2.5: the earlier source wins.
    mapped = AxisMap(np.array([0.5, 2.5]), 4).apply(np.array([7, 3]), axis=0)
    np.testing.assert_array_equal(mapped, [7, 7, 3, 3])


@pytest.mark.parametrize(("sample_rate", "f_max"), [(16000, 8000.0), (48000, 10000.0)])
def test_1_khz_tone_lands_on_its_row(write_audio, make_tone, sample_rate, f_max):
    path = write_audio("tone.wav", make_tone(1000, 3.0, sample_rate), sample_rate)
    rendering = render(path, name="tone.wav")
    assert rendering.manifest["f_max_hz"] == f_max
    assert abs(_brightest_row(_indices(rendering)) - _expected_row(1000, f_max)) <= 1


@pytest.mark.parametrize(
    ("sample_rate", "shown_hz", "f_max"), [(16000, 7500, 8000.0), (48000, 9500, 10000.0)]
)
def test_frequency_axis_is_cropped_at_10_khz_or_nyquist(
    write_audio, make_tone, sample_rate, shown_hz, f_max
):
    quiet = make_tone(shown_hz, 3.0, sample_rate, amplitude=0.1)
    # 15 kHz (48 kHz files only) is louder but above the 10 kHz crop: neither drawn nor the 0 dB.
    loud = make_tone(15000, 3.0, sample_rate, amplitude=0.8) if sample_rate > 30000 else 0
    rendering = render(write_audio("crop.wav", quiet + loud, sample_rate), name="crop.wav")
    indices = _indices(rendering)
    assert abs(_brightest_row(indices) - _expected_row(shown_hz, f_max)) <= 1
    assert indices.max() == 255
    tone_db = 20 * np.log10(0.1 * 512)  # |STFT| peak of a sine: amplitude * sum(window) / 2
    assert rendering.manifest["db_range"]["max_db"] == pytest.approx(tone_db, abs=1.5)


def test_20_ms_click_in_10_min_shows_within_1_db_of_its_peak(write_audio, rng, make_tone):
    sample_rate, minutes = 48000, 10
    hum = make_tone(3000, minutes * 60, sample_rate, amplitude=0.5)
    noise = (0.001 * rng.standard_normal(len(hum))).astype(np.float32)
    click_at = 377.123
    n_click = round(0.02 * sample_rate)
    start = round(click_at * sample_rate)
    envelope = np.hanning(n_click).astype(np.float32)
    click = 0.05 * envelope * make_tone(6000, 0.02, sample_rate, amplitude=1.0)[:n_click]
    signal = hum + noise
    signal[start : start + n_click] += click
    rendering = render(write_audio("night.wav", signal, sample_rate), name="night.wav")

    # The click's peak in the frames around it, relative to the hum's, each as the
    # frequency rows show a frame (tested on their own below): what the time axis keeps.
    window = np.hanning(2049)[:-1]
    centres = range(start // 512 - 4, (start + n_click) // 512 + 5)
    frames = np.stack([signal[c * 512 - 1024 : c * 512 + 1024] for c in [*centres, 2]])
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    rows = FrequencyRows(sample_rate, 2048, 10000.0)
    levels = rows.apply(power[:, : rows.n_bins].astype(np.float32))
    peak, hum_peak = levels[:-1, round(5500 / 25) :].max(), levels[-1].max()
    true_db = 10 * np.log10(peak / hum_peak)
    assert -40 < true_db < -20

    indices = _indices(rendering)
    column = int(click_at * rendering.manifest["px_per_s"])
    rows = slice(_expected_row(6200, 10000), _expected_row(5800, 10000))
    shown = indices[rows, column - 1 : column + 2].max()
    shown_db = shown / 256 * 80 - 80  # lower edge of the colour's 80/256 dB bin
    assert true_db - 1 <= shown_db <= true_db + 80 / 256


@pytest.mark.parametrize(
    ("sample_rate", "channels", "duration_s"),
    [(8000, 1, 2.0), (192000, 1, 1.0), (48000, 8, 1.0), (44100, 1, 0.05), (8000, 2, 0.05)],
)
def test_odd_recordings_render(write_audio, make_tone, sample_rate, channels, duration_s):
    samples = np.zeros((round(duration_s * sample_rate), channels), dtype=np.float32)
    samples[:, channels - 1] = make_tone(1000, duration_s, sample_rate)
    rendering = render(write_audio("odd.wav", samples, sample_rate), name="odd.wav")
    manifest = rendering.manifest
    assert (manifest["sample_rate"], manifest["channels"]) == (sample_rate, channels)
    assert manifest["duration_s"] == pytest.approx(duration_s)
    assert (rendering.width, rendering.height) == (800, 400)
    f_max = min(10000, sample_rate / 2)
    # Bins wider than a row (192 kHz: 93.75 Hz vs 25 Hz) blur the row by their width.
    tolerance = max(1, sample_rate / 2048 / (f_max / 400))
    assert abs(_brightest_row(_indices(rendering)) - _expected_row(1000, f_max)) <= tolerance


def test_digital_silence_is_all_floor(write_audio):
    rendering = render(write_audio("mute.wav", np.zeros(16000), 16000), name="mute.wav")
    assert not _indices(rendering).any()
    assert rendering.manifest["db_range"]["max_db"] == -100.0


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("palette", [None, VIRIDIS])
def test_png_round_trips_exactly(rng, split, palette):
    pixels = rng.integers(0, 256, (401, 333)).astype(np.uint8)
    png = encode_png(pixels, palette=palette, split=split)
    image = Image.open(io.BytesIO(png))
    assert image.mode == ("L" if palette is None else "P")
    np.testing.assert_array_equal(np.asarray(image), pixels)
    # zlib checks the Adler-32 of the (possibly two-part) stream; Pillow does not.
    idat = png.index(b"IDAT")
    (length,) = struct.unpack(">I", png[idat - 4 : idat])
    assert len(zlib.decompress(png[idat + 4 : idat + 4 + length])) == 401 * 334


@pytest.mark.parametrize(("n_sources", "n_pixels"), [(7, 20), (465, 400), (929, 400), (5168, 3200)])
def test_axis_map_equals_the_max_or_nearest_rule_cell_by_cell(rng, n_sources, n_pixels):
    positions = np.sort(rng.uniform(-0.5, n_pixels + 0.5, n_sources))
    data = rng.standard_normal((3, n_sources)).astype(np.float32)
    owner = np.clip(np.floor(positions), 0, n_pixels - 1)
    expected = np.empty((3, n_pixels), dtype=np.float32)
    for x in range(n_pixels):
        mine = owner == x
        if mine.any():
            expected[:, x] = data[:, mine].max(axis=1)
        else:
            # The nearest centre; the earlier one on a tie (argmin takes the first).
            expected[:, x] = data[:, np.argmin(np.abs(positions - (x + 0.5)))]
    axis_map = AxisMap(positions, n_pixels)
    np.testing.assert_array_equal(axis_map.apply(data, axis=1), expected)
    out = np.empty((3, n_pixels), dtype=np.float32)
    assert axis_map.apply(data, axis=1, out=out) is out
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("n_frames", [500, 5000, 30000])
def test_overview_png_is_the_overview_image_encoded(rng, n_frames):
    # 500 and 5000 frames colour before the time map, 30000 (merged columns) after it.
    columns = OverviewColumns(rows=400)
    for start in range(0, n_frames, 1000):
        frames = rng.exponential(1.0, (min(1000, n_frames - start), 400)) ** 4
        columns.push(frames.astype(np.float32))
    duration_s = n_frames * 512 / 44100
    kwargs = {
        "frame_rate": 44100 / 512,
        "width": overview_width(duration_s),
        "duration_s": duration_s,
        "ref_power": 50.0,
    }
    indices = overview_image(columns, **kwargs)
    assert 0 < indices.mean() < 255
    assert overview_png(columns, **kwargs) == encode_png(indices, palette=VIRIDIS, split=True)
