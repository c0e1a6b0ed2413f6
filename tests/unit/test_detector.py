"""The band-limited energy detector: on crafted power frames (exact), on known signals, in the
render's pass, and scored on the generated labelled set."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from bench import child
from bench.calls import TARGET_PRECISION, TARGET_RECALL, quality
from bench.signals import Spec, ensure
from chalicelib.detector_presets import PARAMETERS, DetectorPreset
from chalicelib.spectrogram import RenderTimeout, detect, render
from chalicelib.spectrogram.detector import PEAK_SNR, BandEnergyDetector, Detections, percentile
from chalicelib.spectrogram.stft import HOP_LENGTH, N_FFT, StreamingSTFT

# 100 frames a second (10 ms each) and 25 Hz bins: frame and bin arithmetic stays exact.
FRAME_RATE_SR = 100 * HOP_LENGTH
#: A band of bins 40..80 at FRAME_RATE_SR.
BAND = {"min_freq_hz": 1000.0, "max_freq_hz": 2000.0, "band": "preset"}


def preset(**fields) -> DetectorPreset:
    return DetectorPreset.from_json({"name": "test", **BAND, **fields})


def frames(levels: np.ndarray) -> np.ndarray:
    """Power frames whose in-band power is ``levels`` (spread over the 41 in-band bins)."""
    power = np.zeros((len(levels), 100), dtype=np.float32)
    power[:, 40:81] = np.asarray(levels, dtype=np.float32)[:, None] / 41
    return power


def run(levels, chunk: int | None = None, **fields) -> Detections:
    detector = BandEnergyDetector(preset(**fields), sample_rate=FRAME_RATE_SR)
    power = frames(np.asarray(levels, dtype=np.float64))
    for start in range(0, len(power), chunk or len(power)):
        detector.push(power[start : start + (chunk or len(power))])
    return detector.finish()


def times(detections: Detections) -> list[tuple[float, float]]:
    return [(round(e.start_s, 6), round(e.end_s, 6)) for e in detections.events]


def test_a_loud_stretch_spans_the_edges_of_its_frames_with_the_presets_band():
    levels = np.ones(1000)
    levels[300:320] = 100.0
    found = run(levels)
    assert times(found) == [(2.995, 3.195)]
    event = found.events[0]
    assert (event.low_hz, event.high_hz) == (1000.0, 2000.0)
    assert event.peak_snr_db == pytest.approx(20.0, abs=1e-4)
    assert (found.candidates, found.refused) == (
        1,
        {"too_short": 0, "too_long": 0, "low_occupancy": 0},
    )


def test_block_sizes_do_not_change_what_is_found():
    levels = np.ones(2000)
    for at in (150, 700, 710, 1400, 1990):
        levels[at : at + 12] = 50.0
    whole = run(levels)
    assert times(run(levels, chunk=1)) == times(run(levels, chunk=37)) == times(whole)
    assert whole.candidates == 4  # 700 and 710 are joined


def test_frames_no_noise_block_needs_are_let_go_without_changing_what_is_found(rng):
    levels = rng.exponential(1.0, 30_000)
    for at in rng.integers(0, 29_900, 200):
        levels[at : at + int(rng.integers(3, 60))] *= 30
    short_blocks = {"noise_block_s": 1.0, "noise_hop_s": 0.3}
    whole = run(levels, **short_blocks)
    assert len(whole.events) > 50
    assert run(levels, chunk=37, **short_blocks) == whole
    assert run(levels, chunk=1000, band="energy", **short_blocks).events != []


def test_memory_stays_bounded_however_long_the_recording():
    detector = BandEnergyDetector(preset(), sample_rate=FRAME_RATE_SR)
    chunk = frames(np.ones(1000))
    tracemalloc.start()
    for _ in range(1000):  # 10^6 frames: 4 MB if every frame's power were kept
        detector.push(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000


def test_too_short_too_long_and_sparse_events_are_refused_and_counted():
    levels = np.ones(3000)
    levels[100:103] = 100.0  # 30 ms < 50 ms
    levels[500:1200] = 100.0  # 7 s > 5 s
    # 10 ms loud, 80 ms quiet, 8 times: joined (gaps < 0.1 s), 8 loud frames of 64.
    for at in range(2000, 2071, 9):
        levels[at] = 100.0
    found = run(levels, noise_block_s=30.0, noise_hop_s=30.0)
    assert found.events == []
    assert found.candidates == 3
    assert found.refused == {"too_short": 1, "too_long": 1, "low_occupancy": 1}
    # The sparse one passes when 10 % occupancy is enough.
    sparse = run(levels, noise_block_s=30.0, noise_hop_s=30.0, min_occupancy_pct=10.0)
    assert times(sparse) == [(19.995, 20.635)]


def test_min_separation_joins_closer_runs_only():
    levels = np.ones(1000)
    for at in (200, 215, 230):  # 10 frames loud, 5 quiet (50 ms) between
        levels[at : at + 10] = 100.0
    assert times(run(levels, min_separation_s=0.1)) == [(1.995, 2.395)]
    # A gap of exactly the separation is not closer than it.
    assert times(run(levels, min_separation_s=0.05)) == [
        (1.995, 2.095),
        (2.145, 2.245),
        (2.295, 2.395),
    ]


def test_a_frame_takes_the_noise_of_the_block_centred_nearest_it():
    # Quiet for 3 s, then 20 dB louder. Blocks of 1 s every 0.5 s: frames 275..324
    # take block 250..349 (half and half, median 50.5); frames from 325 on are in louder
    # blocks. So frames 300..324 alone stand 3 dB over their noise.
    levels = np.concatenate((np.ones(300), np.full(300, 100.0)))
    common = {"noise_block_s": 1.0, "noise_percentile": 50.0, "snr_threshold_db": 1.0}
    assert times(run(levels, noise_hop_s=0.5, min_duration_s=0.01, **common)) == [(2.995, 3.245)]
    # Blocks every 1 s: frames 250..349 take block 300..399, all loud: nothing stands out.
    assert run(levels, noise_hop_s=1.0, min_duration_s=0.01, **common).candidates == 0


def test_the_noise_percentile_decides_what_counts_as_background():
    levels = np.ones(1000)
    levels[400:450] = 100.0
    assert len(run(levels, noise_percentile=20.0).events) == 1
    # The loudest 5 % of each 5 s block is the burst itself: nothing is over it.
    assert run(levels, noise_percentile=100.0).candidates == 0


def test_a_recording_shorter_than_a_noise_block_is_one_block():
    levels = np.ones(150)
    levels[50:70] = 100.0
    assert times(run(levels, noise_block_s=10.0, noise_hop_s=1.0)) == [(0.495, 0.695)]


@pytest.mark.parametrize("n", [1, 2, 7, 469])
@pytest.mark.parametrize("q", [0.0, 20.0, 33.3, 50.0, 99.9, 100.0])
def test_the_noise_percentile_is_numpys(rng, n, q):
    values = rng.random(n)
    assert percentile(values, q) == pytest.approx(np.percentile(values, q), rel=1e-12)


def test_digital_silence_is_never_loud():
    assert run(np.zeros(500)).candidates == 0


def test_the_band_stops_at_nyquist_and_a_band_above_it_hears_nothing():
    wide = BandEnergyDetector(
        DetectorPreset(name="bats", band="preset", min_freq_hz=1000.0, max_freq_hz=50_000.0),
        sample_rate=16_000,
    )
    assert (wide.low_hz, wide.high_hz, wide.n_bins) == (1000.0, 8000.0, N_FFT // 2 + 1)
    power = np.ones((400, wide.n_bins), dtype=np.float32)
    power[200:230] *= 1000
    wide.push(power)
    (event,) = wide.finish().events
    assert (event.low_hz, event.high_hz) == (1000.0, 8000.0)
    above = BandEnergyDetector(
        DetectorPreset(name="ultrasound", min_freq_hz=20_000.0, max_freq_hz=50_000.0),
        sample_rate=16_000,
    )
    above.push(power[:, :1])
    assert above.finish() == Detections([], 0)


# --- known signals through the STFT -------------------------------------------------------

SR = 32_000


def tone_burst(rng, *, seconds=12.0, at_s=4.0, length_s=0.4, hz=3000.0, snr_db=20.0):
    """White noise with a tone burst; the tone's power is ``snr_db`` over the noise in 1-10 kHz."""
    noise = rng.standard_normal(round(seconds * SR)) * 0.01
    noise_in_band = 0.01**2 * (10_000 - 1000) / (SR / 2)
    amplitude = np.sqrt(2 * noise_in_band * 10 ** (snr_db / 10))
    t = np.arange(round(length_s * SR)) / SR
    start = round(at_s * SR)
    noise[start : start + len(t)] += amplitude * np.sin(2 * np.pi * hz * t)
    return noise.astype(np.float32)


def wav(samples: np.ndarray) -> io.BytesIO:
    out = io.BytesIO()
    sf.write(out, samples, SR, format="WAV", subtype="FLOAT")
    out.seek(0)
    return out


def test_a_tone_burst_is_found_at_its_times_in_its_energy_band(rng):
    found = detect(wav(tone_burst(rng)), name="burst.wav", presets=[DetectorPreset(name="d")])
    (event,) = found["d"].events
    hop_s = HOP_LENGTH / SR
    assert event.start_s == pytest.approx(4.0, abs=2 * hop_s)
    assert event.end_s == pytest.approx(4.4, abs=2 * hop_s)
    bin_hz = SR / N_FFT
    assert 3000 - 3 * bin_hz <= event.low_hz < 3000 < event.high_hz <= 3000 + 3 * bin_hz
    assert event.peak_snr_db > 15


def test_boxes_are_unreviewed_proposals_named_after_their_preset(rng):
    named = DetectorPreset(name="whistles")
    found = detect(wav(tone_burst(rng)), name="burst.wav", presets=[named])
    (box,) = found["whistles"].boxes(named)
    event = found["whistles"].events[0]
    assert box["source"] == "detector:whistles" and box["review"] is None
    assert box["label"] == "whistles" and box["confidence"] is None
    assert (box["start_s"], box["end_s"]) == (event.start_s, event.end_s)
    assert box["measurements"] == {PEAK_SNR: round(event.peak_snr_db, 2)}


def test_detection_leaves_the_render_byte_for_byte_the_same(rng):
    audio = wav(tone_burst(rng, seconds=8.0))
    plain_tiles: dict[str, bytes] = {}
    plain = render(audio, name="a.wav", tile_sink=lambda k, d: plain_tiles.__setitem__(k, bytes(d)))
    tiles: dict[str, bytes] = {}
    presets = [
        DetectorPreset(name="d"),
        # Listens above the drawing's 10 kHz: the STFT keeps more bins than the render's.
        DetectorPreset(name="high", min_freq_hz=12_000.0, max_freq_hz=16_000.0),
    ]
    audio.seek(0)
    detected = render(
        audio,
        name="a.wav",
        tile_sink=lambda k, d: tiles.__setitem__(k, bytes(d)),
        detectors=presets,
    )
    assert detected.overview_png == plain.overview_png
    assert detected.manifest == plain.manifest
    assert tiles == plain_tiles
    assert plain.detections == {}
    assert len(detected.detections["d"].events) == 1
    assert detected.detections["high"].events == []
    audio.seek(0)
    assert detect(audio, name="a.wav", presets=presets) == detected.detections


def test_detect_refuses_no_presets_and_twin_names(rng):
    with pytest.raises(ValueError, match="at least one preset"):
        detect(wav(tone_burst(rng, seconds=1.0, at_s=0.2)), name="a.wav", presets=[])
    twins = [DetectorPreset(name="d"), DetectorPreset(name="d", min_freq_hz=500.0)]
    with pytest.raises(ValueError, match="distinct names"):
        detect(wav(tone_burst(rng, seconds=1.0, at_s=0.2)), name="a.wav", presets=twins)


def test_detect_stops_at_its_deadline(rng):
    ticks = iter(range(100))
    with pytest.raises(RenderTimeout, match="Detecting in 'a.wav' ran out of time after"):
        detect(
            wav(tone_burst(rng)),
            name="a.wav",
            presets=[DetectorPreset(name="d")],
            deadline=1.0,
            clock=lambda: next(ticks),
        )


def test_energy_bands_of_pooled_spectra_still_bracket_the_tone(rng):
    # A 600 s noise block at 32 kHz waits for ~28,000 frames: the spectra are pooled.
    wide = DetectorPreset(name="d", noise_block_s=600.0, noise_hop_s=300.0)
    detector = BandEnergyDetector(wide, sample_rate=SR)
    assert detector.pooled_bins > 1
    stft = StreamingSTFT(n_bins=detector.n_bins)
    detector.push(stft.push(tone_burst(rng)))
    detector.push(stft.finish())
    (event,) = detector.finish().events
    assert event.low_hz < 3000 < event.high_hz
    assert event.high_hz - event.low_hz <= 2 * detector.pooled_bins * SR / N_FFT + SR / N_FFT


# --- quality -----------------------------------------------------------------------------


def test_the_default_preset_finds_the_labelled_calls_at_10_db_and_more():
    for scored in quality(duration_s=40.0, preset=DetectorPreset(name="default"), snrs_db=(10, 20)):
        assert scored.recall >= TARGET_RECALL, scored
        assert scored.precision >= TARGET_PRECISION, scored


def test_the_parameter_table_in_the_docs_is_the_presets():
    text = (Path(__file__).resolve().parents[2] / "docs" / "detection.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    expected = [
        f"| `{p.name}` | {p.label} | {p.unit} | {p.default:g} | {p.minimum:g} – {p.maximum:g} "
        f"| {p.explanation} |"
        for p in PARAMETERS
    ]
    assert rows == expected


def test_the_bench_children_render_with_the_detector_and_run_it_alone(tmp_path):
    path = ensure(Spec(4.0, 48000, "wav"), tmp_path)
    with_detector = child.measure("detect_tiles", path, warm_up=path)
    alone = child.measure("detect", path, warm_up=path)
    # The bench recording calls every 0.25 s at 60 %: some are proposed, the same each way.
    assert with_detector["proposals"] == alone["proposals"] > 0
    assert with_detector["candidates"] == alone["candidates"]
    assert with_detector["tiles"] > 0 and "tiles" not in alone
    for run in (with_detector, alone):
        assert run["elapsed_s"] > 0 and 10 < run["peak_rss_mb"] < 1000
