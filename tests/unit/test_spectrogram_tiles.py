"""The tile pyramid: coverage, sizes, the manifest, and agreement with the overview."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from chalicelib.spectrogram import render
from chalicelib.spectrogram.axes import AxisMap
from chalicelib.spectrogram.tiles import TILE_WIDTH, TilePyramid


def _decode(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.mode == "L"
    return np.asarray(image)


@pytest.fixture(scope="module", params=[44100, 8000])
def tiled(request, tmp_path_factory):
    """A 40 s recording with calls and clicks, rendered with tiles, and the tiles."""
    sample_rate = request.param
    rng = np.random.default_rng(7)
    t = np.arange(40 * sample_rate) / sample_rate
    y = 0.003 * rng.standard_normal(len(t))
    y += 0.2 * np.sin(2 * np.pi * (1500 + 800 * np.sin(2 * np.pi * 0.3 * t)) * t) * (t % 5 < 1)
    for at in rng.uniform(0, 40, 12):
        start = int(at * sample_rate)
        y[start : start + sample_rate // 100] += 0.5 * rng.standard_normal(sample_rate // 100)
    path = tmp_path_factory.mktemp("tiles") / "calls.flac"
    sf.write(path, y.clip(-1, 1), sample_rate)
    tiles: dict[str, bytes] = {}

    def sink(key: str, png: bytes) -> None:
        assert key not in tiles
        tiles[key] = png

    return render(path, name="calls.flac", tile_sink=sink), tiles


def _level_image(manifest, tiles, level) -> np.ndarray:
    entries = [tile for tile in manifest["tiles"] if tile["level"] == level]
    return np.concatenate([_decode(tiles[tile["key"]]) for tile in entries], axis=1)


def test_finest_level_has_at_least_200_px_per_s_and_levels_halve(tiled):
    rendering, _ = tiled
    levels = rendering.manifest["tile_levels"]
    assert [level["level"] for level in levels] == list(range(len(levels)))
    assert levels[0]["px_per_s"] >= 200
    for finer, coarser in zip(levels, levels[1:], strict=False):
        assert coarser["px_per_s"] == finer["px_per_s"] / 2
        assert coarser["width"] == (finer["width"] + 1) // 2
        assert finer["width"] > TILE_WIDTH
    assert levels[-1]["tiles"] == 1 and levels[-1]["width"] <= TILE_WIDTH


def test_every_tile_is_listed_delivered_and_at_most_4096_by_400(tiled):
    rendering, tiles = tiled
    listed = rendering.manifest["tiles"]
    assert sorted(tile["key"] for tile in listed) == sorted(tiles)
    for tile in listed:
        assert tile["key"] == f"tiles/{tile['level']}/{tile['index']:06d}.png"
        assert 0 < tile["width"] <= TILE_WIDTH and tile["height"] == 400
        assert _decode(tiles[tile["key"]]).shape == (400, tile["width"])


def test_each_level_covers_the_whole_recording_without_gaps(tiled):
    rendering, _ = tiled
    manifest = rendering.manifest
    for level in manifest["tile_levels"]:
        entries = [tile for tile in manifest["tiles"] if tile["level"] == level["level"]]
        assert [tile["index"] for tile in entries] == list(range(level["tiles"]))
        assert entries[0]["start_s"] <= 0
        assert entries[-1]["end_s"] >= manifest["duration_s"]
        # ...and by at most the last frame's span plus a pixel.
        hop_s = manifest["hop_length"] / manifest["sample_rate"]
        assert entries[-1]["end_s"] <= manifest["duration_s"] + hop_s + 1 / level["px_per_s"]
        for before, after in zip(entries, entries[1:], strict=False):
            assert after["start_s"] == pytest.approx(before["end_s"], abs=1e-9)
        widths = [tile["width"] for tile in entries]
        assert sum(widths) == level["width"]
        assert all(width == TILE_WIDTH for width in widths[:-1])
        for tile in entries:
            span = tile["end_s"] - tile["start_s"]
            assert span == pytest.approx(tile["width"] / tile["px_per_s"])


def test_coarser_levels_are_the_max_of_pixel_pairs(tiled):
    rendering, tiles = tiled
    manifest = rendering.manifest
    for level in manifest["tile_levels"][1:]:
        finer = _level_image(manifest, tiles, level["level"] - 1)
        if finer.shape[1] % 2:
            finer = np.concatenate((finer, finer[:, -1:]), axis=1)
        expected = np.maximum(finer[:, 0::2], finer[:, 1::2])
        np.testing.assert_array_equal(_level_image(manifest, tiles, level["level"]), expected)


def test_tile_values_agree_with_the_overview(tiled):
    rendering, tiles = tiled
    manifest = rendering.manifest
    db_range = manifest["db_range"]
    level0 = _level_image(manifest, tiles, 0)
    frame_rate = manifest["sample_rate"] / manifest["hop_length"]
    n_frames = 1 + manifest["n_samples"] // manifest["hop_length"]
    # Level-0 pixel x shows frame floor((x + 0.5) * frame_rate / px_per_s).
    pixel = np.arange(level0.shape[1])
    shown = np.floor((pixel + 0.5) * frame_rate / manifest["tile_levels"][0]["px_per_s"])
    shown_frames, first_pixel = np.unique(shown, return_index=True)
    assert (shown_frames[:n_frames] == np.arange(n_frames)).all()
    frames = level0[:, first_pixel[:n_frames]]
    frame_s = np.arange(n_frames) / frame_rate
    pixels = AxisMap(frame_s * manifest["px_per_s"], manifest["width"]).apply(frames, axis=1)
    level_db = db_range["tile_db_at_0"] + pixels * db_range["tile_db_step"] - db_range["max_db"]
    floor = db_range["floor_db"]
    expected = np.clip(np.floor((level_db - floor) / -floor * 256), 0, 255)
    shown = np.asarray(Image.open(io.BytesIO(rendering.overview_png)))
    # Tiles are quantised to 0.625 dB, two overview colours.
    assert np.abs(shown - expected).max() <= 2
    assert (shown > 128).mean() > 0.01


def test_without_a_sink_there_are_no_tiles(write_audio, make_tone):
    rendering = render(write_audio("a.wav", make_tone(1000, 1.0, 16000), 16000), name="a.wav")
    assert rendering.manifest["tiles"] == [] and rendering.manifest["tile_levels"] == []


def test_a_deep_pyramid_keeps_a_one_column_call_visible_at_every_level():
    tiles: dict[str, bytes] = {}
    # At 102.4 kHz a frame is exactly one level-0 pixel (200 px/s).
    pyramid = TilePyramid(tiles.__setitem__, sample_rate=102_400, hop_length=512)
    columns = np.zeros((100_001, 400), dtype=np.uint8)
    columns[77_777, 123] = 200
    for start in range(0, len(columns), 9_999):
        pyramid.push(columns[start : start + 9_999])
    levels = pyramid.finish(duration_s=(100_001 - 0.5) / 200)
    pyramid.close()
    assert [level["width"] for level in levels] == [100_001, 50_001, 25_001, 12_501, 6_251, 3_126]
    assert len(tiles) == sum(level["tiles"] for level in levels) == 25 + 13 + 7 + 4 + 2 + 1
    for level in levels:
        column = 77_777 >> level["level"]
        tile = _decode(tiles[f"tiles/{level['level']}/{column // TILE_WIDTH:06d}.png"])
        assert tile[399 - 123, column % TILE_WIDTH] == 200
        assert np.count_nonzero(tile) == 1
