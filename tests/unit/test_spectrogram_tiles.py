"""The tile pyramid: coverage, sizes, the manifest, and agreement with the overview."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from chalicelib.spectrogram import render
from chalicelib.spectrogram.axes import AxisMap
from chalicelib.spectrogram.tiles import (
    LEVEL_STEP,
    OBJECT_BYTES,
    TILE_WIDTH,
    TilePyramid,
    level_object,
)


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
    objects = TileObjects()
    return render(path, name="calls.flac", tile_sink=objects.store), objects


class TileObjects(dict):
    """A tile sink keeping every object, refusing to store one twice."""

    def store(self, key: str, data: bytearray) -> None:
        assert key not in self, f"{key} stored twice"
        self[key] = data


def _tile_png(objects: dict[str, bytes], tile: dict) -> bytes:
    """The tile's bytes, as an HTTP Range request of its byte range reads them."""
    first, last = tile["offset"], tile["offset"] + tile["length"] - 1
    return objects[tile["object"]][first : last + 1]


def _level_image(manifest, objects, level) -> np.ndarray:
    entries = [tile for tile in manifest["tiles"] if tile["level"] == level]
    return np.concatenate([_decode(_tile_png(objects, tile)) for tile in entries], axis=1)


def test_finest_level_has_one_pixel_a_frame_and_each_level_merges_four(tiled):
    rendering, _ = tiled
    manifest = rendering.manifest
    levels = manifest["tile_levels"]
    assert [level["level"] for level in levels] == list(range(len(levels)))
    # 86.1 px/s at 44.1 kHz, 15.6 at 8 kHz: the viewer stretches it.
    assert levels[0]["px_per_s"] == manifest["sample_rate"] / manifest["hop_length"]
    for finer, coarser in zip(levels, levels[1:], strict=False):
        assert coarser["px_per_s"] == finer["px_per_s"] / 4
        assert coarser["width"] == -(-finer["width"] // 4)
        assert finer["width"] > TILE_WIDTH
    assert levels[-1]["tiles"] == 1 and levels[-1]["width"] <= TILE_WIDTH


def _assert_objects_hold_tiles_back_to_back(levels, tiles, objects, object_bytes):
    """Each level's tiles fill its objects in order, each object up to ``object_bytes``
    (or one tile), the next starting with the tile that would not fit."""
    assert sorted(objects) == sorted(key for level in levels for key in level["objects"])
    for level in levels:
        assert level["objects"] == [
            level_object(level["level"], n) for n in range(len(level["objects"]))
        ]
        assert level["bytes"] == sum(len(objects[key]) for key in level["objects"])
        entries = [tile for tile in tiles if tile["level"] == level["level"]]
        for key in level["objects"]:
            inside = [tile for tile in entries if tile["object"] == key]
            ends = [tile["offset"] + tile["length"] for tile in inside]
            assert [tile["offset"] for tile in inside] == [0, *ends[:-1]]
            assert ends[-1] == len(objects[key])
            assert len(objects[key]) <= object_bytes or len(inside) == 1
        firsts = [n for n, tile in enumerate(entries) if tile["offset"] == 0]
        for first in firsts[1:]:
            previous = len(objects[entries[first - 1]["object"]])
            assert previous + entries[first]["length"] > object_bytes


def test_each_level_is_objects_of_its_tiles_back_to_back(tiled):
    rendering, objects = tiled
    manifest = rendering.manifest
    levels = manifest["tile_levels"]
    _assert_objects_hold_tiles_back_to_back(levels, manifest["tiles"], objects, OBJECT_BYTES)
    # 40 s make a few hundred kB of tiles: one object a level.
    assert [len(level["objects"]) for level in levels] == [1] * len(levels)


def test_a_level_larger_than_an_object_fills_several_in_order():
    rng = np.random.default_rng(5)
    # Noise of 16 values: ~830 kB a level-0 tile, so 2 MB objects hold 2 whole tiles (the
    # last, 100 px wide, fits beside them).
    columns = rng.integers(0, 16, (6 * TILE_WIDTH + 100, 400), dtype=np.uint8)
    levels, tiles, objects = _pyramid(columns, sample_rate=48_000, object_bytes=2_000_000)
    _assert_objects_hold_tiles_back_to_back(levels, tiles, objects, 2_000_000)
    assert [tile["object"] for tile in tiles if tile["level"] == 0] == [
        level_object(0, n) for n in (0, 0, 1, 1, 2, 2, 2)
    ]
    np.testing.assert_array_equal(_level_image({"tiles": tiles}, objects, 0), columns[:, ::-1].T)


def test_each_byte_range_is_exactly_its_tile_png_at_most_4096_by_400(tiled):
    rendering, objects = tiled
    for tile in rendering.manifest["tiles"]:
        png = _tile_png(objects, tile)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
        assert 0 < tile["width"] <= TILE_WIDTH and tile["height"] == 400
        assert _decode(png).shape == (400, tile["width"])


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


def test_coarser_levels_are_the_max_of_four_pixels_and_of_the_last_few():
    rng = np.random.default_rng(3)
    # Widths 20_003, 5_001, 1_251: a last group of 3 pixels, then of 1.
    columns = rng.integers(0, 4, (20_003, 400), dtype=np.uint8) * 60
    levels, tiles, objects = _pyramid(columns, sample_rate=48_000)
    manifest = {"tiles": tiles}
    assert [level["width"] for level in levels] == [20_003, 5_001, 1_251]
    for level in levels[1:]:
        finer = _level_image(manifest, objects, level["level"] - 1)
        # Repeating the last pixel fills the last group without changing its maximum.
        finer = np.concatenate((finer, finer[:, [-1] * (-finer.shape[1] % 4)]), axis=1)
        expected = finer.reshape(400, -1, 4).max(axis=2)
        np.testing.assert_array_equal(_level_image(manifest, objects, level["level"]), expected)


def test_tile_values_agree_with_the_overview(tiled):
    rendering, objects = tiled
    manifest = rendering.manifest
    db_range = manifest["db_range"]
    level0 = _level_image(manifest, objects, 0)
    n_frames = 1 + manifest["n_samples"] // manifest["hop_length"]
    # Level-0 pixel x is frame x; pixels past the last frame repeat it.
    assert level0.shape[1] >= n_frames
    frames = level0[:, :n_frames]
    assert (level0[:, n_frames:] == frames[:, -1:]).all()
    frame_rate = manifest["sample_rate"] / manifest["hop_length"]
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


def _pyramid(frames: np.ndarray, *, sample_rate: int, block: int = 9_999, **options):
    """Frames pushed in blocks; the levels, the tiles listed, and the objects of tiles."""
    objects = TileObjects()
    pyramid = TilePyramid(objects.store, sample_rate=sample_rate, hop_length=512, **options)
    for start in range(0, len(frames), block):
        pyramid.push(frames[start : start + block])
    frame_rate = sample_rate / 512
    levels = pyramid.finish(duration_s=(len(frames) - 1) / frame_rate)
    pyramid.close()
    return levels, pyramid.tiles, objects


def test_a_deep_pyramid_keeps_a_one_column_call_visible_at_every_level():
    columns = np.zeros((100_001, 400), dtype=np.uint8)
    columns[77_777, 123] = 200
    levels, tiles, objects = _pyramid(columns, sample_rate=102_400)
    assert [level["width"] for level in levels] == [100_001, 25_001, 6_251, 1_563]
    assert len(tiles) == sum(level["tiles"] for level in levels) == 25 + 7 + 2 + 1
    assert len(objects) == len(levels)
    for level in levels:
        column = 77_777 // LEVEL_STEP ** level["level"]
        (tile,) = [
            t for t in tiles if t["level"] == level["level"] and t["index"] == column // TILE_WIDTH
        ]
        image = _decode(_tile_png(objects, tile))
        assert image[399 - 123, column % TILE_WIDTH] == 200
        assert np.count_nonzero(image) == 1


def test_a_level_ending_on_a_whole_tile_is_listed_whole():
    # 48 kHz: 93.75 px/s; 4 * 4096 frames make four whole level-0 tiles and one level-1 tile.
    levels, tiles, objects = _pyramid(
        np.full((4 * TILE_WIDTH, 400), 9, dtype=np.uint8), sample_rate=48_000, block=TILE_WIDTH
    )
    assert [level["px_per_s"] for level in levels] == [93.75, 23.4375]
    assert [level["tiles"] for level in levels] == [4, 1]
    assert sorted(objects) == ["tiles/0-0.pngs", "tiles/1-0.pngs"]
    assert [len(objects[level["objects"][0]]) for level in levels] == [
        level["bytes"] for level in levels
    ]
    assert len(tiles) == 5
