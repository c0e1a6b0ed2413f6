"""``sonagram measure``: an annotation table in, a Raven table with measurements out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chalicelib.formats import read
from chalicelib.measurement_names import NAMES
from chalicelib.spectrogram.cli import main
from chalicelib.spectrogram.measure import measure_boxes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotations"
SR = 24_000
RAVEN = (
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"
    "\tAnnotation\tPeak Freq (Hz)\tAvg Power Density (dB FS/Hz)\r\n"
    "1\tSpectrogram 1\t1\t1.0\t2.0\t2000\t4000\ttone\t99\t-60.5\r\n"
    "2\tSpectrogram 1\t1\t4.0\t5.5\t0\t12000\tnoise\t\t\r\n"
)


@pytest.fixture
def audio(write_audio, rng) -> Path:
    """7 s of quiet noise with a 3 kHz tone from 1 to 2 s."""
    t = np.arange(7 * SR) / SR
    samples = 0.01 * rng.standard_normal(len(t))
    samples += np.where((t >= 1) & (t < 2), 0.3 * np.sin(2 * np.pi * 3000 * t), 0)
    return write_audio("dawn.wav", samples.astype(np.float32), SR)


def boxes_of(path: Path) -> list[dict]:
    return [entry.box for entry in read(path.read_bytes())[1]]


def test_a_raven_table_comes_back_with_the_measurements_of_each_box(audio, tmp_path, capsys):
    table = tmp_path / "dawn.Table.1.selections.txt"
    table.write_text(RAVEN)
    out = tmp_path / "measured.txt"

    assert main(["measure", str(audio), str(table), "-o", str(out)]) == 0

    assert "2 boxes measured" in capsys.readouterr().out
    header = out.read_bytes().decode().split("\r\n")[0].split("\t")
    assert header[8:] == [*NAMES, "Avg Power Density (dB FS/Hz)"]
    tone, noise = boxes_of(out)
    computed = measure_boxes(audio, name=audio.name, boxes=boxes_of(table))
    # The table's own Peak Freq is replaced; its other measurement kept.
    assert tone["measurements"] == pytest.approx(
        {**computed[0], "Avg Power Density (dB FS/Hz)": -60.5}, rel=1e-6
    )
    assert tone["label"] == "tone" and abs(tone["measurements"]["Peak Freq (Hz)"] - 3000) < 12
    assert noise["measurements"] == pytest.approx(computed[1], rel=1e-6)


def test_an_audacity_label_track_is_measured_over_the_whole_band(audio, tmp_path):
    table = tmp_path / "dawn.txt"
    table.write_text("1.0\t2.0\ttone\n3.0\t3.0\tpoint\n")
    out = tmp_path / "measured.txt"

    assert main(["measure", str(audio), str(table), "-o", str(out)]) == 0

    tone, point = boxes_of(out)
    assert (tone["low_hz"], tone["high_hz"]) == (0.0, SR / 2)
    assert tone["measurements"]["Delta Freq (Hz)"] == SR / 2
    assert point["measurements"]["Delta Time (s)"] == 0
    assert "Peak Freq (Hz)" in point["measurements"]


def test_a_birdnet_table_is_written_to_a_folder_by_the_recordings_name(audio, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    table = FIXTURES / "birdnet_newer.BirdNET.selection.table.txt"

    assert main(["measure", str(audio), str(table), "-o", str(out)]) == 0

    wren, nocall = boxes_of(out / "dawn.Table.1.selections.txt")
    assert wren["label"] == "Eurasian Wren" and wren["confidence"] == 0.8123
    assert wren["measurements"]["Delta Time (s)"] == 3.0
    assert set(NAMES) - set(nocall["measurements"]) <= {"SNR (dB)"}


def test_a_table_that_is_not_one_fails_naming_it(audio, tmp_path, capsys):
    table = tmp_path / "notes.txt"
    table.write_text("nothing to see here\n")

    assert main(["measure", str(audio), str(table), "-o", str(tmp_path / "out.txt")]) == 1

    assert f"error: '{table}' could not be read" in capsys.readouterr().err
    assert not (tmp_path / "out.txt").exists()


def test_audio_that_is_not_fails_naming_it(tmp_path, capsys):
    audio = tmp_path / "broken.wav"
    audio.write_text("not audio")
    table = tmp_path / "t.txt"
    table.write_text(RAVEN)

    assert main(["measure", str(audio), str(table), "-o", str(tmp_path / "out.txt")]) == 1

    assert "error: 'broken.wav' is not an audio file" in capsys.readouterr().err


def test_a_box_the_measurement_refuses_fails_naming_the_table(audio, tmp_path, capsys):
    table = tmp_path / "t.txt"
    table.write_text(RAVEN.replace("\t2000\t4000\t", "\t4000\t2000\t"))

    assert main(["measure", str(audio), str(table), "-o", str(tmp_path / "out.txt")]) == 1

    assert f"error: '{table}': a box's high frequency" in capsys.readouterr().err


def test_the_output_is_required(audio, tmp_path):
    with pytest.raises(SystemExit) as exit:
        main(["measure", str(audio), str(tmp_path / "t.txt")])
    assert exit.value.code == 2
