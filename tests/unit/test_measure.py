"""Measurements of boxes: known signals, and spans read alone against the whole recording."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest

from chalicelib.measurement_names import DECIMALS, MEASUREMENTS, NAMES
from chalicelib.ranged_file import RangedFile
from chalicelib.spectrogram.decode import open_audio, open_seekable
from chalicelib.spectrogram.errors import RenderTimeout
from chalicelib.spectrogram.measure import NOISE_MAX_S, NOISE_MIN_S, measure_boxes
from chalicelib.spectrogram.stft import HOP_LENGTH, N_FFT, StreamingSTFT

SR = 48_000
BIN_HZ = SR / N_FFT
HOP_S = HOP_LENGTH / SR


def box(start_s, end_s, low_hz=None, high_hz=None) -> dict:
    return {"start_s": start_s, "end_s": end_s, "low_hz": low_hz, "high_hz": high_hz}


def measure(path, *boxes) -> list[dict[str, float]]:
    return measure_boxes(path, name=path.name, boxes=list(boxes))


def whole_power(path) -> np.ndarray:
    """The whole recording's transform, all bins, decoded from the start."""
    stream = open_audio(path, name=path.name, max_duration_s=3600)
    stft = StreamingSTFT(n_bins=N_FFT // 2 + 1)
    frames = [stft.push(block) for block in stream.blocks]
    return np.concatenate([*frames, stft.finish()]).astype(np.float64)


def expected(power: np.ndarray, b: dict) -> dict[str, float]:
    """The measurements as docs/measurements.md defines them, from the whole transform."""
    per_s, per_hz = 1 / HOP_S, 1 / BIN_HZ
    low = b["low_hz"] or 0.0
    high = SR / 2 if b["high_hz"] is None else b["high_hz"]
    values = {NAMES[0]: b["end_s"] - b["start_s"], NAMES[1]: high - low}
    first, last = math.ceil(b["start_s"] * per_s - 1e-9), math.floor(b["end_s"] * per_s + 1e-9)
    if first > last:
        first = last = round((b["start_s"] + b["end_s"]) / 2 * per_s)
    lo, hi = math.ceil(low * per_hz - 1e-9), min(N_FFT // 2, math.floor(high * per_hz + 1e-9))
    if lo > hi:  # no bin in the band: the one nearest its middle
        lo = hi = min(N_FFT // 2, round((low + high) / 2 * per_hz))
    cells = power[max(0, first) : last + 1, lo : hi + 1]
    if not cells.size:
        return values
    frame, k = np.unravel_index(cells.argmax(), cells.shape)
    spectrum, energies = cells.sum(axis=0), cells.sum(axis=1)

    def at(energy, q):
        return int(np.argmax(np.cumsum(energy) >= q * energy.sum()))

    t0 = max(0, first)
    p = cells / energies[:, None]
    entropy = -(p * np.log2(np.where(p > 0, p, 1))).sum(axis=1)
    values |= {
        "Peak Freq (Hz)": (lo + k) * BIN_HZ,
        "Peak Time (s)": (t0 + frame) * HOP_S,
        "Max Power (dB)": 10 * math.log10(cells.max()),
        "Center Freq (Hz)": (lo + at(spectrum, 0.5)) * BIN_HZ,
        "Freq 5% (Hz)": (lo + at(spectrum, 0.05)) * BIN_HZ,
        "Freq 95% (Hz)": (lo + at(spectrum, 0.95)) * BIN_HZ,
        "BW 90% (Hz)": (at(spectrum, 0.95) - at(spectrum, 0.05)) * BIN_HZ,
        "Center Time (s)": (t0 + at(energies, 0.5)) * HOP_S,
        "Dur 90% (s)": (at(energies, 0.95) - at(energies, 0.05)) * HOP_S,
        "Avg Entropy (bits)": float(entropy.mean()),
    }
    # Noise: frames whose whole window lies outside the box, up to the clamped length.
    length = min(NOISE_MAX_S, max(NOISE_MIN_S, b["end_s"] - b["start_s"])) * per_s
    frame_times = np.arange(len(power))
    guard = N_FFT / 2 / HOP_LENGTH
    before_end = min(b["start_s"] * per_s - guard, first - 1)
    after_start = max(b["end_s"] * per_s + guard, last + 1)
    before = (frame_times >= before_end - length - 1e-9) & (frame_times <= before_end + 1e-9)
    after = (frame_times >= after_start - 1e-9) & (frame_times <= after_start + length + 1e-9)
    noise = power[before | after, lo : hi + 1]
    if noise.size and cells.mean() > noise.mean():
        values["SNR (dB)"] = 10 * math.log10((cells.mean() - noise.mean()) / noise.mean())
    return {key: values[key] for key in NAMES if key in values}


def assert_same(got: dict, want: dict, *, tolerance: float = 1e-5) -> None:
    """Equal within ``tolerance``, or within the rounding of the key's decimals."""
    assert list(got) == list(want)
    for key in want:
        rounding = 0.5 * 10 ** -DECIMALS[key]
        assert got[key] == pytest.approx(want[key], rel=tolerance, abs=max(tolerance, rounding)), (
            key
        )


def noise(rng, seconds: float, rms: float = 0.05) -> np.ndarray:
    return (rms * rng.standard_normal(round(seconds * SR))).astype(np.float32)


def times(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * SR)) / SR


# Known signals


def test_a_3_khz_tone_peaks_within_one_bin_of_3_khz(write_audio, make_tone):
    path = write_audio("tone.wav", make_tone(3000, 3.0, 44_100), 44_100)
    (values,) = measure(path, box(0.5, 2.5, 1000, 6000))
    assert abs(values["Peak Freq (Hz)"] - 3000) <= 44_100 / N_FFT
    assert abs(values["Center Freq (Hz)"] - 3000) <= 44_100 / N_FFT


def test_noise_band_passed_to_2_4_khz_has_its_5_and_95_percent_within_two_bins(write_audio, rng):
    white = np.fft.rfft(rng.standard_normal(6 * SR))
    frequencies = np.fft.rfftfreq(6 * SR, 1 / SR)
    white[(frequencies < 2000) | (frequencies > 4000)] = 0
    band = np.fft.irfft(white, n=6 * SR)
    path = write_audio("band.wav", (0.3 * band / band.std()).astype(np.float32), SR)
    (values,) = measure(path, box(0.5, 5.5))
    assert abs(values["Freq 5% (Hz)"] - 2100) <= 2 * BIN_HZ
    assert abs(values["Freq 95% (Hz)"] - 3900) <= 2 * BIN_HZ
    assert abs(values["BW 90% (Hz)"] - 1800) <= 4 * BIN_HZ


def test_a_click_peaks_within_one_hop_of_its_time(write_audio, rng):
    samples = noise(rng, 4.0, rms=0.001)
    click_s = 2.3456
    samples[round(click_s * SR)] = 0.9
    path = write_audio("click.wav", samples, SR)
    (values,) = measure(path, box(1.5, 3.5))
    assert abs(values["Peak Time (s)"] - click_s) <= HOP_S


def test_a_tone_10_db_over_the_noise_in_its_band_measures_10_db_snr(write_audio, rng):
    # "10 dB over the noise in the band": the tone's power (A^2 / 2) is ten times the
    # white noise's power in the box's bins (sigma^2 * 2 M / n_fft for M bins).
    sigma, low, high = 0.05, 2500.0, 3500.0
    n_bins = math.floor(high / BIN_HZ) - math.ceil(low / BIN_HZ) + 1
    amplitude = math.sqrt(2 * 10 * sigma**2 * 2 * n_bins / N_FFT)
    t = times(6.0)
    tone = np.where((t >= 2) & (t < 4), amplitude * np.sin(2 * np.pi * 3000 * t), 0)
    path = write_audio("snr.wav", (noise(rng, 6.0, sigma) + tone).astype(np.float32), SR, "FLOAT")
    (values,) = measure(path, box(2.0, 4.0, low, high))
    assert values["SNR (dB)"] == pytest.approx(10, abs=1)


def test_a_box_no_louder_than_its_surroundings_has_no_snr(write_audio, rng):
    path = write_audio("noise.wav", noise(rng, 6.0), SR)
    measured = measure(path, *(box(start, start + 0.5, 1000, 2000) for start in np.arange(1, 5)))
    assert any("SNR (dB)" not in values for values in measured)
    assert all(values.get("SNR (dB)", -math.inf) < 0 for values in measured)


def test_delta_time_and_delta_freq_are_exact(write_audio, rng):
    path = write_audio("noise.wav", noise(rng, 4.0), SR)
    banded, whole_band = measure(path, box(1.25, 3.5, 1000.5, 5000.25), box(1.0, 1.1))
    assert banded["Delta Time (s)"] == 2.25 and banded["Delta Freq (Hz)"] == 3999.75
    assert whole_band["Delta Time (s)"] == pytest.approx(0.1)
    assert whole_band["Delta Freq (Hz)"] == SR / 2


def test_a_symmetric_burst_is_centred_at_its_middle(write_audio):
    t = times(4.0)
    envelope = np.exp(-0.5 * ((t - 2.0) / 0.1) ** 2)
    path = write_audio("burst.wav", (0.5 * envelope * np.sin(2 * np.pi * 2000 * t)), SR, "FLOAT")
    (values,) = measure(path, box(1.5, 2.5))
    assert abs(values["Center Time (s)"] - 2.0) <= HOP_S


def test_dur_90_of_a_steady_tone_is_nine_tenths_of_its_length(write_audio):
    t = times(4.0)
    tone = np.where((t >= 1) & (t < 3), 0.5 * np.sin(2 * np.pi * 1500 * t), 0)
    path = write_audio("steady.wav", tone.astype(np.float32), SR, "FLOAT")
    (values,) = measure(path, box(0.5, 3.5))
    assert values["Dur 90% (s)"] == pytest.approx(1.8, abs=2 * HOP_S)
    assert values["Center Time (s)"] == pytest.approx(2.0, abs=HOP_S)


def test_white_noise_has_high_entropy_and_a_tone_low(write_audio, make_tone, rng):
    noisy = write_audio("noise.wav", noise(rng, 3.0), SR)
    tonal = write_audio("tone.wav", make_tone(3000, 3.0, SR), SR)
    (of_noise,) = measure(noisy, box(0.5, 2.5))
    (of_tone,) = measure(tonal, box(0.5, 2.5))
    # Exponentially spread power: log2(bins) less (1 - Euler's gamma) / ln 2 bits.
    assert of_noise["Avg Entropy (bits)"] == pytest.approx(math.log2(1025) - 0.61, abs=0.1)
    assert of_tone["Avg Entropy (bits)"] < 2.5


# Frames, bins and edges, against the whole recording's transform


@pytest.fixture
def recording(write_audio, rng):
    """6 s of noise with a 3 kHz tone from 2 to 4 s and a click at 5 s, 16-bit PCM."""
    t = times(6.0)
    samples = noise(rng, 6.0, 0.02) + np.where(
        (t >= 2) & (t < 4), 0.2 * np.sin(2 * np.pi * 3000 * t), 0
    )
    samples[5 * SR] += 0.8
    return samples.astype(np.float32)


EDGE_BOXES = [
    box(2.0, 4.0, 2500, 3500),
    box(1.0, 1.0),  # a point box on a frame's centre
    box(3.0001, 3.0002, 100, 200),  # between two centres: the nearest frame
    box(0.0, 0.4),  # at the start: only a noise window after it
    box(5.8, 6.0, 0, 20_000),  # at the end: only before
    box(5.5, 9.0, None, 4000),  # past the end
    box(0.0, 6.0),  # all of it: no noise window, no SNR
    box(4.99, 5.01, 10_000, None),
    box(2.5, 2.5, 3000, 3000),  # one cell
    box(1.5, 2.5, 30_000, 40_000),  # above Nyquist: the top bin
]


def test_every_box_measures_as_the_whole_recordings_transform_says(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    power = whole_power(path)
    for got, b in zip(measure(path, *EDGE_BOXES), EDGE_BOXES, strict=True):
        assert_same(got, expected(power, b))


def test_a_box_alone_measures_as_among_many(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    together = measure(path, *EDGE_BOXES)
    assert [measure(path, b)[0] for b in EDGE_BOXES] == together


def test_a_point_box_measures_the_one_frame_at_its_time(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    (values,) = measure(path, box(3.0, 3.0, 2000, 4000))
    assert values["Peak Time (s)"] == values["Center Time (s)"] == pytest.approx(3.0, abs=HOP_S / 2)
    assert values["Dur 90% (s)"] == 0 and values["Delta Time (s)"] == 0


def test_a_box_past_the_end_has_only_its_size(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    (values,) = measure(path, box(7.0, 8.0, 100, 300))
    assert values == {"Delta Time (s)": 1.0, "Delta Freq (Hz)": 200.0}


def test_the_keys_follow_the_names_order(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    (values,) = measure(path, box(2.0, 4.0, 2500, 3500))
    assert tuple(values) == NAMES
    assert all(type(value) is float for value in values.values())  # JSON and DynamoDB alike


def test_wav_and_flac_of_the_same_audio_measure_the_same(write_audio, recording):
    # Whole 16-bit steps, so both encoders store the same integers (they round apart).
    pcm = (np.round(recording * 32767) / 32768).astype(np.float32)
    wav = measure(write_audio("rec.wav", pcm, SR), *EDGE_BOXES)
    assert measure(write_audio("rec.flac", pcm, SR), *EDGE_BOXES) == wav


@pytest.mark.parametrize("quiet_s", [0, 3])
def test_an_mp3_measures_as_its_whole_decode(write_audio, recording, rng, quiet_s):
    # Spans of an MP3 are FFmpeg's when its start decodes as libsndfile's (within 2e-6 of
    # full scale here); a start too quiet to show that has libsndfile seek instead.
    quiet = noise(rng, quiet_s, rms=1e-4)
    path = write_audio("rec.mp3", np.concatenate([quiet, recording]), SR)
    power = whole_power(path)
    # Above the encoder's low-pass only the decoders' rounding is left, and they round apart.
    boxes = [
        {**b, "start_s": b["start_s"] + quiet_s, "end_s": b["end_s"] + quiet_s}
        for b in EDGE_BOXES
        if (b["low_hz"] or 0) < 10_000
    ]
    measured = measure(path, *boxes)
    for got, b in zip(measured, boxes, strict=True):
        assert_same(got, expected(power, b), tolerance=1e-4)
    assert measure_boxes(io.BytesIO(path.read_bytes()), name=path.name, boxes=boxes) == measured


def test_an_m4a_measures_as_its_whole_decode_but_for_the_decoders_noise(write_audio, recording):
    # AAC's decoder fills noise-substituted bands with its own pseudo-random noise, which
    # differs after a seek: those bands match in power, not sample for sample.
    path = write_audio("rec.m4a", recording, SR)
    power = whole_power(path)
    tonal = box(2.0, 4.0, 2500, 3500)
    (got,) = measure(path, tonal)
    want = expected(power, tonal)
    for key in ("Peak Freq (Hz)", "Center Freq (Hz)", "Freq 5% (Hz)", "Freq 95% (Hz)"):
        assert got[key] == round(want[key], DECIMALS[key]), key
    for key in ("Center Time (s)", "Dur 90% (s)"):
        assert got[key] == pytest.approx(want[key], abs=HOP_S), key
    assert got["SNR (dB)"] == pytest.approx(want["SNR (dB)"], abs=0.5)


def test_a_file_object_and_ranged_reads_measure_as_the_path(write_audio, recording):
    path = write_audio("rec.flac", recording, SR)
    data = path.read_bytes()
    want = measure(path, *EDGE_BOXES)
    assert measure_boxes(io.BytesIO(data), name="rec.flac", boxes=EDGE_BOXES) == want
    with RangedFile(lambda start, stop: data[start:stop], len(data), chunk_bytes=4096) as ranged:
        assert measure_boxes(ranged, name="rec.flac", boxes=EDGE_BOXES) == want


@pytest.mark.parametrize(
    ("extension", "tolerance"), [(".wav", 0), (".flac", 0), (".opus", 0), (".mp3", 1e-5)]
)
def test_a_span_decoded_alone_is_the_same_samples_and_frames(
    write_audio, recording, extension, tolerance
):
    path = write_audio(f"rec{extension}", recording, SR)
    whole = np.concatenate(list(open_audio(path, name=path.name, max_duration_s=60).blocks))
    power = whole_power(path)
    with open_seekable(path, name=path.name, max_duration_s=60) as audio:
        for frame in (2, 40, 200, len(power) - 3):
            start = frame * HOP_LENGTH - N_FFT // 2
            samples = np.concatenate(list(audio.blocks_from(start)))
            assert len(samples) == len(whole) - start
            assert np.abs(samples - whole[start:]).max() <= tolerance, (extension, start)
            stft = StreamingSTFT(n_bins=N_FFT // 2 + 1, centred=False)
            frames = np.concatenate([stft.push(samples), stft.finish()])
            assert len(frames) == len(power) - frame
            if not tolerance:
                assert np.array_equal(frames, power[frame:]), (extension, frame)
        assert list(audio.blocks_from(len(whole) + 10)) == []


def test_an_m4a_file_object_decodes_its_start_again_after_a_seek(write_audio, recording):
    data = write_audio("rec.m4a", recording, SR).read_bytes()
    with open_seekable(io.BytesIO(data), name="rec.m4a", max_duration_s=60) as audio:
        first = np.concatenate(list(audio.blocks_from(1000)))
        assert len(list(audio.blocks_from(150_000)))
        assert np.array_equal(np.concatenate(list(audio.blocks_from(1000))), first)


def test_an_m4a_span_decoded_alone_starts_on_the_same_sample(write_audio, recording):
    path = write_audio("rec.m4a", recording, SR)
    whole = np.concatenate(list(open_audio(path, name=path.name, max_duration_s=60).blocks))
    with open_seekable(path, name=path.name, max_duration_s=60) as audio:
        for start in (1000, 101_376, 150_001):  # from the start, then two seeks
            samples = np.concatenate(list(audio.blocks_from(start)))[:20_000]
            # One sample off, a 3 kHz tone at 48 kHz correlates at cos(2 pi / 16) = 0.92.
            assert np.corrcoef(samples, whole[start : start + 20_000])[0, 1] > 0.97


def test_a_box_ending_before_it_starts_is_refused(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    with pytest.raises(ValueError, match="before it starts"):
        measure(path, box(2.0, 1.0))
    with pytest.raises(ValueError, match="below its low"):
        measure(path, box(1.0, 2.0, 3000, 2000))
    with pytest.raises(ValueError, match="finite"):
        measure(path, box(1.0, math.inf))
    with pytest.raises(ValueError, match="finite"):
        measure(path, box(1.0, 2.0, math.nan, 300))


def test_no_boxes_read_nothing(tmp_path):
    assert measure_boxes(tmp_path / "missing.wav", name="missing.wav", boxes=[]) == []


def test_the_deadline_stops_measuring(write_audio, recording):
    path = write_audio("rec.wav", recording, SR)
    ticks = iter(range(100))
    with pytest.raises(RenderTimeout, match="rec.wav"):
        measure_boxes(
            path, name="rec.wav", boxes=EDGE_BOXES, deadline=0.5, clock=lambda: next(ticks)
        )


def test_the_docs_define_every_measurement_as_the_names_module_does():
    page = (Path(__file__).resolve().parents[2] / "docs" / "measurements.md").read_text()
    rows = [
        f"| {m.key} | {m.short} | {m.definition.replace('|', chr(92) + '|')} |"
        for m in MEASUREMENTS
    ]
    table = "\n".join(["| Column | Short | Definition |", "|---|---|---|", *rows])
    assert table in page
