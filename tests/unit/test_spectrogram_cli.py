"""``sonagram render`` on files and folders."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from fresh import modules_after
from PIL import Image

from chalicelib import formats
from chalicelib.spectrogram.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_and_the_engine_stand_alone_without_the_domain():
    loaded = modules_after("import chalicelib.spectrogram.cli")
    domain = {m for m in loaded if m.startswith("chalicelib.")} - {
        m for m in loaded if m.startswith("chalicelib.spectrogram")
    }
    assert domain == set()


def test_a_folder_with_a_bad_file_renders_the_good_ones_and_fails(
    tmp_path, write_audio, make_tone, capsys
):
    folder = tmp_path / "field"
    folder.mkdir()
    good = write_audio("good.wav", make_tone(1000, 2.0, 16000), 16000)
    good.rename(folder / "good.wav")
    (folder / "nested").mkdir()
    write_audio("frog.flac", make_tone(700, 1.0, 22050), 22050).rename(folder / "nested/frog.flac")
    (folder / "broken.wav").write_text("not audio")
    (folder / "notes.txt").write_text("ignored: not an audio extension")
    out = tmp_path / "out"

    status = main(["render", str(folder), "-o", str(out)])

    assert status == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "frog.json",
        "frog.png",
        "good.json",
        "good.png",
    ]
    manifest = json.loads((out / "good.json").read_text())
    assert manifest["duration_s"] == 2.0 and manifest["overview"]["key"] == "good.png"
    assert Image.open(out / "good.png").size == (manifest["width"], 400)
    printed = capsys.readouterr()
    errors = printed.err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("error: 'broken.wav' is not an audio file")
    assert printed.out == f"2 rendered, 1 failed, in {out}\n"


def test_tiles_are_written_next_to_the_manifest_that_lists_them(tmp_path, write_audio, make_tone):
    path = write_audio("owl.ogg", make_tone(500, 20.0, 16000), 16000)
    out = tmp_path / "out"

    assert main(["render", str(path), "--output", str(out), "--tiles"]) == 0

    manifest = json.loads((out / "owl.json").read_text())
    written = sorted(str(p.relative_to(out)) for p in (out / "owl.tiles").iterdir())
    assert written == sorted(key for level in manifest["tile_levels"] for key in level["objects"])
    assert written[0] == "owl.tiles/0-0.pngs"
    tile = manifest["tiles"][0]
    level = (out / tile["object"]).read_bytes()
    first = np.asarray(
        Image.open(io.BytesIO(level[tile["offset"] : tile["offset"] + tile["length"]]))
    )
    assert first.shape == (400, tile["width"])


def test_missing_paths_and_same_stems_are_reported_and_kept_apart(
    tmp_path, write_audio, make_tone, capsys
):
    wav = write_audio("dawn.wav", make_tone(1000, 1.0, 8000), 8000)
    flac = write_audio("dawn.flac", make_tone(2000, 1.0, 8000), 8000)
    out = tmp_path / "out"

    status = main(["render", str(wav), str(flac), str(tmp_path / "gone.wav"), "-o", str(out)])

    assert status == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "dawn.json",
        "dawn.png",
        "dawn_2.json",
        "dawn_2.png",
    ]
    assert "gone.wav' does not exist" in capsys.readouterr().err


def test_what_the_mp3_decoder_prints_is_one_warning_naming_the_file(tmp_path, capfd):
    # libmpg123 writes a line to stderr for each of 13 frames of the shared recording it
    # finds damaged; the file still renders.
    sample = ROOT / "samples" / "XC249066_Willisornis_poecilinotus.mp3"
    assert main(["render", str(sample), "--output", str(tmp_path)]) == 0
    printed = capfd.readouterr()
    assert printed.err.splitlines() == [
        "warning: 'XC249066_Willisornis_poecilinotus.mp3': its decoder said (13 times): "
        "[src/libmpg123/layer3.c:INT123_do_layer3():1804] error: dequantization failed!"
    ]
    assert printed.out == f"1 rendered, 0 failed, in {tmp_path}\n"
    # The process's stderr is its own again.
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def burst(seconds: float, at_s: float, hz: float, sample_rate: int) -> np.ndarray:
    """Quiet noise with a loud 0.3 s tone at ``at_s``, faded in and out over 30 ms (an abrupt
    onset would click across every band)."""
    samples = np.random.default_rng(17).standard_normal(round(seconds * sample_rate)) * 0.001
    t = np.arange(round(0.3 * sample_rate)) / sample_rate
    fade = np.clip(np.minimum(t, 0.3 - t) / 0.03, 0, 1)
    start = round(at_s * sample_rate)
    samples[start : start + len(t)] += (
        0.2 * np.sin(np.pi / 2 * fade) ** 2 * np.sin(2 * np.pi * hz * t)
    )
    return samples


def test_detect_writes_a_raven_table_of_proposals_per_file(tmp_path, write_audio, capsys):
    folder = tmp_path / "field"
    folder.mkdir()
    write_audio("dawn.wav", burst(8.0, 3.0, 4000, 22050), 22050).rename(folder / "dawn.wav")
    (folder / "broken.flac").write_text("not audio")
    out = tmp_path / "out"

    status = main(["detect", str(folder), "-o", str(out)])

    assert status == 1
    assert [p.name for p in out.iterdir()] == ["dawn.Table.1.selections.txt"]
    found, boxes = formats.read((out / "dawn.Table.1.selections.txt").read_bytes())
    assert found == "raven" and len(boxes) == 1
    box = boxes[0].box
    assert box["label"] == "default"
    assert box["start_s"] == pytest.approx(3.0, abs=0.05)
    assert box["end_s"] == pytest.approx(3.3, abs=0.05)
    assert box["low_hz"] < 4000 < box["high_hz"]
    assert box["measurements"]["Peak SNR (dB)"] > 20
    printed = capsys.readouterr()
    assert printed.err.startswith("error: 'broken.flac' is not an audio file")
    assert printed.out == f"1 searched, 1 failed, in {out}\n"


def test_detect_runs_every_preset_of_a_preset_file(tmp_path, write_audio):
    path = write_audio("dusk.wav", burst(6.0, 2.0, 3000, 16000), 16000)
    presets = tmp_path / "presets.json"
    presets.write_text(
        json.dumps(
            [
                {"name": "low", "min_freq_hz": 2000, "max_freq_hz": 4000, "band": "preset"},
                {"name": "high", "min_freq_hz": 5000, "max_freq_hz": 8000},
                {"name": "all", "min_freq_hz": 500},
            ]
        )
    )

    assert main(["detect", str(path), "-o", str(tmp_path), "--preset", str(presets)]) == 0

    _, boxes = formats.read((tmp_path / "dusk.Table.1.selections.txt").read_bytes())
    assert sorted(b.box["label"] for b in boxes) == ["all", "low"]
    low = next(b.box for b in boxes if b.box["label"] == "low")
    assert (low["low_hz"], low["high_hz"]) == (2000.0, 4000.0)


def test_detect_refuses_a_preset_file_that_holds_no_preset(tmp_path, write_audio, capsys):
    path = write_audio("dusk.wav", burst(2.0, 1.0, 3000, 16000), 16000)
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "snr_threshold_db": -3}')

    assert main(["detect", str(path), "-o", str(tmp_path / "out"), "--preset", str(bad)]) == 2

    assert "snr_threshold_db must be a number from 0 to 100 dB" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
