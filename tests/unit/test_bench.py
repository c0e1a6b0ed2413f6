"""The benchmark's building blocks on tiny inputs: right sizes, same frames, sound results.

Nothing here asserts a speed; ``make bench`` measures.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
import soundfile as sf
from PIL import Image

from bench import child, floor, imports, reference, report
from bench.report import Row, Target
from bench.signals import Spec, chunks, ensure
from chalicelib.spectrogram import render


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
    # The same loudest cell means the same frames, windowed and transformed alike.
    assert 10 * math.log10(stages["peak_power"]) == pytest.approx(
        engine.manifest["db_range"]["max_db"], abs=1e-3
    )
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


def test_child_reports_time_and_peak_memory(inputs, tmp_path):
    path = ensure(Spec(1.0, 48000, "wav"), inputs)
    overview = tmp_path / "overview.png"
    tiles = child.measure("tiles", path, overview=overview, warm_up=path)
    assert tiles["tiles"] == 1 and tiles["tile_bytes"] > 0
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
