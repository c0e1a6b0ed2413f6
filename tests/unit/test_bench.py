"""The benchmark's building blocks on tiny inputs: right sizes, same frames, sound results.

Nothing here asserts a speed; ``make bench`` measures.
"""

from __future__ import annotations

import io
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from bench import annotations as annotations_bench
from bench import banding, child, e2e, floor, imports, reference, report, review_ui, viewer
from bench import review as review_bench
from bench.report import Row, Target, percentile
from bench.signals import Spec, chunks, ensure
from chalicelib.annotations import Bounds, check_box
from chalicelib.audio_types import AUDIO_TYPES
from chalicelib.spectrogram import render
from chalicelib.spectrogram.colormap import VIRIDIS
from chalicelib.spectrogram.decode import open_audio
from chalicelib.spectrogram.stft import StreamingSTFT, band


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bench-inputs")


@pytest.mark.parametrize(
    ("spec", "width"),
    [
        (Spec(1.0, 22050, "wav"), 800),
        (Spec(4.0025, 16000, "wav"), 801),
        (Spec(5, 44100, "mp3"), 1000),
        # The AAC encoder pads the end: 4.5 s decode to 4.503 s, 901 px.
        (Spec(4.5, 44100, "m4a"), 901),
    ],
)
def test_reference_draws_the_engines_overview_size(inputs, tmp_path, spec, width):
    path = ensure(spec, inputs)
    reference.import_librosa(tmp_path)
    engine = render(path, name=path.name)
    assert (engine.width, engine.height) == (width, 400)
    assert Image.open(io.BytesIO(reference.render(path))).size == (width, 400)


@pytest.mark.parametrize("spec", [Spec(3, 44100, "wav"), Spec(2, 48000, "mp3")])
def test_floor_transforms_the_engines_frames(inputs, spec):
    path = ensure(spec, inputs)
    engine = render(path, name=path.name)
    stages = floor.run(path, floor.overview_indices(engine.overview_png))
    # The same loudest bin means the same frames, windowed and transformed alike.
    audio = open_audio(path, name=path.name, max_duration_s=60)
    stft = StreamingSTFT(n_bins=band(audio.sample_rate)[1])
    peak = max(float(power.max()) for power in (*map(stft.push, audio.blocks), stft.finish()))
    assert 10 * math.log10(stages["peak_power"]) == pytest.approx(10 * math.log10(peak), abs=1e-3)
    assert stages["total_s"] == pytest.approx(
        stages["decode_s"] + stages["fft_s"] + stages["png_s"]
    )


def test_the_cli_cold_start_runs_the_installed_command(inputs):
    runs = imports.cold_cli(ensure(Spec(1, 22050, "wav"), inputs), repeats=2)
    assert len(runs) == 2 and min(runs) > 0


def test_recordings_are_made_once_and_chunk_by_chunk(inputs):
    spec = Spec(3.5, 8000, "wav", seed=7)
    path = ensure(spec, inputs)
    written = path.stat().st_mtime_ns
    assert ensure(spec, inputs) == path
    assert path.stat().st_mtime_ns == written
    assert sf.info(path).frames == spec.n_samples == sum(len(c) for c in chunks(spec))
    assert ensure(Spec(3.5, 8000, "wav", seed=8), inputs) != path


@pytest.mark.parametrize(
    "spec",
    [
        Spec(1.5, 48000, "wav", channels=2),
        Spec(1.5, 48000, "flac"),
        Spec(1.5, 44100, "ogg"),
        Spec(1.5, 44100, "mp3", channels=2),
        Spec(1.5, 48000, "m4a", channels=2),
    ],
)
def test_recordings_in_every_burst_format_decode(inputs, spec):
    path = ensure(spec, inputs)
    audio = open_audio(path, name=path.name, max_duration_s=60)
    assert (audio.sample_rate, audio.channels) == (spec.sample_rate, spec.channels)
    decoded_s = sum(len(block) for block in audio.blocks) / audio.sample_rate
    # Lossy encoders pad a little at the ends.
    assert decoded_s == pytest.approx(spec.duration_s, abs=0.06)
    assert spec.label.endswith(" stereo") == (spec.channels == 2)


def test_specs_reject_what_cannot_be_written():
    with pytest.raises(ValueError, match="aiff"):
        Spec(1, 44100, "aiff")
    with pytest.raises(ValueError, match="mono or stereo"):
        Spec(1, 44100, "wav", channels=6)


def test_burst_mix_is_every_format_at_every_length_and_the_shared_recording(tmp_path):
    shared = tmp_path / "shared.mp3"
    mix = e2e.burst_mix(50, shared)
    generated = mix[:-1]
    assert len(mix) == 50 and mix[-1] == shared
    assert mix == e2e.burst_mix(50, shared)
    grid = {((s.ext, s.sample_rate, s.channels), s.duration_s) for s in generated}
    assert len(grid) == 49 == len(e2e.BURST_FORMATS) * len(e2e.BURST_LENGTHS_S)
    assert len({s.seed for s in generated}) == 49
    assert {s.channels for s in generated} == {1, 2}
    assert min(s.duration_s for s in generated) == 1 and max(s.duration_s for s in generated) == 60
    assert all(f".{s.ext}" in AUDIO_TYPES for s in generated)
    # A small burst (the quick run) still mixes every format.
    quick = e2e.burst_mix(8, shared)
    assert {(s.ext, s.sample_rate, s.channels) for s in quick[:-1]} == set(e2e.BURST_FORMATS)
    assert quick[-1] == shared
    assert e2e.burst_mix(1, shared) == [shared]
    assert e2e.burst_mix(0, shared) == []


def test_percentiles_interpolate_between_ranks():
    values = [float(v) for v in range(1, 51)]  # 1 .. 50, in any order
    shuffled = values[25:] + values[:25]
    assert percentile(shuffled, 50) == statistics.median(values) == 25.5
    assert percentile(shuffled, 95) == pytest.approx(47.55)
    assert percentile(values, 95) == pytest.approx(
        statistics.quantiles(values, n=20, method="inclusive")[-1]
    )
    assert percentile(values, 0) == 1 and percentile(values, 100) == 50
    assert percentile([0.3], 95) == 0.3
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile(values, 101)


def test_child_reports_time_and_peak_memory(inputs, tmp_path):
    path = ensure(Spec(1.0, 48000, "wav"), inputs)
    overview = tmp_path / "overview.png"
    tiles = child.measure("tiles", path, overview=overview, warm_up=path)
    assert (tiles["tiles"], tiles["tile_objects"]) == (1, 1) and tiles["tile_bytes"] > 0
    assert Image.open(overview).size == (800, 400)
    floor_run = child.measure("floor", path, overview=overview)
    for run in (tiles, floor_run):
        assert run["elapsed_s"] > 0
        assert 10 < run["peak_rss_mb"] < 1000


def test_rows_pass_or_miss_their_targets():
    faster = Row("engine vs floor", "60 s WAV", 0.1, "s", 0.09, "floor", 1.11, Target("<=", 1.3))
    slower = Row("engine vs floor", "60 s MP3", 0.2, "s", 0.1, "floor", 2.0, Target("<=", 1.3))
    memory = Row("peak RSS", "60 min WAV", 300.0, "MB", target=Target("<=", 250, "measured"))
    info = Row("cold import", "app", 0.2, "s", 0.2, "import boto3", 1.0)
    assert [faster.passed, slower.passed, memory.passed, info.passed] == [True, False, False, None]
    with pytest.raises(ValueError, match="bad target"):
        Target("<", 1)


def test_results_json_and_markdown(tmp_path):
    speed_up = Row("speed-up", "60 s WAV", 0.065, "s", 0.8, "reference", 12.3, Target(">=", 12))
    memory = Row("peak RSS", "60 min WAV", 170.0, "MB", target=Target("<=", 250, "measured"))
    rows = [speed_up, memory, Row("e2e: burst, lost", "20 uploads", 0, "")]
    machine = {
        "cpu_model": "Test CPU",
        "logical_cores": 2,
        "ram_gb": 24.0,
        "python": "3.11",
        "numpy": "2",
        "commit": "abc",
    }
    errors = [{"section": "end to end", "error": "TimeoutError()", "traceback": "..."}]
    document = report.results_document(
        mode="quick",
        machine=machine,
        started_at="2026-11-25T00:00:00+00:00",
        runtime_s=1.0,
        rows=rows,
        errors=errors,
    )
    report.write(tmp_path, document, rows)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["schema_version"] == report.SCHEMA_VERSION
    assert saved["summary"] == {"passed": 2, "missed": 0, "info": 1, "errors": 1}
    assert saved["machine"] == machine
    assert saved["rows"][0] == {
        "section": "speed-up",
        "case": "60 s WAV",
        "measured": 0.065,
        "unit": "s",
        "baseline": 0.8,
        "baseline_name": "reference",
        "ratio": 12.3,
        "target": {"op": ">=", "bound": 12, "of": "ratio"},
        "details": {},
        "passed": True,
    }
    table = (tmp_path / "results.md").read_text().splitlines()
    assert "| speed-up | 60 s WAV | 65 ms | reference 800 ms | 12.30× | ≥ 12× | PASS |" in table
    assert "| peak RSS | 60 min WAV | 170 MB | — | — | ≤ 250 MB | PASS |" in table
    assert "| e2e: burst, lost | 20 uploads | 0 | — | — | — | info |" in table
    assert "**Error in end to end:** `TimeoutError()`" in table


def test_the_benchmarks_boxes_are_ones_the_api_accepts():
    duration_s, nyquist_hz = 102.0, 22050.0
    made = annotations_bench.boxes(500, duration_s, nyquist_hz)
    bounds = Bounds(duration_s=duration_s, nyquist_hz=nyquist_hz, channels=1)
    for i, box in enumerate(made):
        check_box(box, where=f"box {i}", bounds=bounds)
    assert len({box["id"] for box in made}) == 500


def test_the_stripe_measure_ignores_slopes_and_sees_alternating_rows():
    slope = np.linspace(-30, -10, 400)[:, None] + np.zeros((400, 50))
    assert banding.row_ripple_db(slope) == pytest.approx(0, abs=1e-9)
    # Rows 1 dB above and below, alternately: 15 rows around one hold one more of the others.
    stripes = slope + np.where(np.arange(400) % 2, 1.0, -1.0)[:, None]
    assert banding.row_ripple_db(stripes) == pytest.approx(16 / 15)


def test_overview_colours_read_back_as_the_db_they_stand_for():
    indices = np.arange(256, dtype=np.uint8).repeat(2).reshape(16, 32)
    palette_png = io.BytesIO()
    image = Image.fromarray(indices, mode="P")
    image.putpalette(VIRIDIS.tobytes())
    image.save(palette_png, format="PNG")
    rgb_png = io.BytesIO()
    image.convert("RGB").save(rgb_png, format="PNG")
    expected = (indices + 0.5) * 80 / 256 - 80
    np.testing.assert_allclose(banding.overview_db(palette_png.getvalue()), expected)
    # Viridis repeats two colours (entries 112 and 113, 129 and 130): one step at most.
    read = banding.overview_db(rgb_png.getvalue())
    assert np.abs(read - expected).max() == pytest.approx(80 / 256)


def test_measurement_boxes_are_seeded_mixed_and_inside_the_recording():
    from bench.measurement import bench_boxes

    boxes = bench_boxes(60.0, 48000, 500)
    assert boxes == bench_boxes(60.0, 48000, 500)
    assert all(0 <= b["start_s"] <= b["end_s"] <= 60.0 for b in boxes)
    assert all(b["high_hz"] is None or 0 <= b["low_hz"] < b["high_hz"] <= 24000 for b in boxes)
    assert any(b["start_s"] == b["end_s"] for b in boxes)
    assert any(b["low_hz"] is None for b in boxes) and any(b["low_hz"] for b in boxes)
    assert max(b["end_s"] - b["start_s"] for b in boxes) > 5


@pytest.mark.parametrize("mode", ["measure", "measure_one"])
def test_the_measurement_child_measures_every_box(inputs, mode):
    path = ensure(Spec(3, 48000, "wav"), inputs)
    run = child.measure(mode, path)
    assert run["boxes"] == (1000 if mode == "measure" else 1)
    assert run["elapsed_s"] > 0 and run["peak_rss_mb"] > 0


def test_the_review_bench_s_boxes_are_valid_seeded_and_distinct():
    made = review_bench.boxes_of(3, 50)
    assert made == review_bench.boxes_of(3, 50) != review_bench.boxes_of(4, 50)
    assert len({box["id"] for box in made}) == 50
    assert {box["label"] for box in made} <= set(review_bench.SPECIES)
    assert all(0 <= box["confidence"] <= 1 and box["end_s"] <= 60 for box in made)


def _viewer_timings(frames: list[tuple[str, float]], boxes: int = 5000) -> viewer.ViewerTimings:
    return viewer.ViewerTimings(
        first_view_ms=500.0,
        changes=[("pan", 40.0), ("zoom in", 120.0)],
        tiles=443,
        manifest_bytes=300_000,
        frames=frames,
        boxes=boxes,
    )


def test_dropped_frames_count_the_display_frames_missed_between_animation_frames():
    # At 60 Hz: on time (16.6-16.8 ms on a clock rounded to 0.1 ms), one missed, two missed.
    assert viewer.dropped_frames([0.0166, 0.0168, 0.0167]) == 0
    assert viewer.dropped_frames([0.0334, 0.0167]) == 1
    assert viewer.dropped_frames([0.05, 0.0333]) == 3


def test_frame_rows_pass_at_sixty_frames_a_second_and_miss_when_frames_drop():
    smooth = [("wheel zoom", 16.7)] * 60 + [("Shift+drag pan", 16.6)] * 40
    rows = viewer.frame_rows("4 h MP3", _viewer_timings(smooth))
    p95 = next(row for row in rows if row.section == "viewer, 5,000 boxes: pan/zoom frame time p95")
    assert p95.passed and p95.measured == pytest.approx(0.0167)
    assert [row.section for row in rows[2:]] == [
        "viewer, 5,000 boxes: wheel zoom frame time p95",
        "viewer, 5,000 boxes: Shift+drag pan frame time p95",
    ]
    # One frame in ten dropped: the p95 is a frame that waited for the next display frame.
    janky = [("Shift+wheel pan", 33.4 if i % 10 == 0 else 16.7) for i in range(100)]
    rows = viewer.frame_rows("4 h MP3", _viewer_timings(janky, boxes=0))
    assert rows[1].section == "viewer: pan/zoom frame time p95" and rows[1].passed is False
    assert rows[1].details["dropped"] == 10
    assert "10 dropped" in rows[2].case


def test_view_change_rows_name_the_boxes_and_keep_the_target():
    rows = viewer.view_change_rows("4 h MP3", _viewer_timings([]))
    assert rows[2].section == "viewer, 5,000 boxes: zoom or pan → drawn p95"
    assert rows[2].target == viewer.VIEW_CHANGE_TARGET and rows[2].passed


def test_review_proposals_are_birdnet_boxes_with_ids_unique_across_the_project():
    duration_s, nyquist_hz = 30.0, 24000.0
    made = [
        box
        for number, count in enumerate(review_ui.shares(50, 3))
        for box in review_ui.proposals(number, count, duration_s, nyquist_hz)
    ]
    assert review_ui.shares(50, 3) == [17, 17, 16] and review_ui.shares(48, 2) == [24, 24]
    assert len(made) == 50 and len({box["id"] for box in made}) == 50
    bounds = Bounds(duration_s=duration_s, nyquist_hz=nyquist_hz, channels=1)
    for i, box in enumerate(made):
        check_box(box, where=f"box {i}", bounds=bounds)
        assert box["source"] == "birdnet" and box["review"] is None
        assert 0 <= box["confidence"] <= 1
    keys = review_ui.keys(500)
    assert keys == review_ui.keys(500) and set(keys) == {"a", "r"}
    assert 0.55 < keys.count("a") / 500 < 0.8


def test_pacing_reads_the_rate_kept_and_the_latest_key():
    on_time = [1000.0 + 250 * i for i in range(9)]
    assert review_ui.pacing(on_time, per_s=4) == review_ui.Pacing(per_s=4.0, latest_ms=0.0)
    # The fifth key 120 ms late and the last 40 ms late: 8 intervals over 2.04 s.
    late = [*on_time[:4], on_time[4] + 120, *on_time[5:8], on_time[8] + 40]
    paced = review_ui.pacing(late, per_s=4)
    assert paced.latest_ms == pytest.approx(120) and paced.per_s == pytest.approx(8 / 2.04)
    with pytest.raises(ValueError, match="two keys"):
        review_ui.pacing([1.0], per_s=4)


def test_a_decision_is_lost_unless_the_server_holds_its_last_state():
    def decided(key: str, box: str) -> review_ui.Decision:
        return review_ui.Decision(key=key, annotation_id=box, pressed_ms=0.0, shown_ms=50.0)

    decisions = [decided("a", "b1"), decided("r", "b2"), decided("a", "b3"), decided("r", "b3")]
    saved = {"b1": "accepted", "b2": "rejected", "b3": "rejected"}
    assert review_ui.lost(decisions, saved) == []
    assert review_ui.lost(decisions, {**saved, "b3": "accepted"}) == ["b3"]
    assert review_ui.lost(decisions, {"b1": "accepted"}) == ["b2", "b3"]


def test_review_rows_hold_the_issues_targets():
    decisions = [
        review_ui.Decision(key="a", annotation_id=f"b{i}", pressed_ms=250.0 * i, shown_ms=60.0)
        for i in range(20)
    ]
    timings = review_ui.ReviewTimings(
        proposals=20,
        page_size=24,
        first_page_ms=800.0,
        pages_ms=[200.0, 250.0],
        decisions=decisions,
        saved={f"b{i}": "accepted" for i in range(19)},
        saved_in_page=19,
    )
    rows = {row.section: row for row in review_ui.decision_rows(timings)}
    assert rows["review: key → next clip shown p95"].passed
    assert rows["review: decisions a second, kept up"].measured == pytest.approx(4.0)
    assert rows["review: decisions saved on the server"].passed is False
    assert rows["review: decisions lost"].details["lost"] == ["b19"]
    pages = review_ui.page_rows(timings)
    assert pages[1].passed and pages[1].case == "2 pages of 24 clips"
