"""Run one render (or the floor) in a fresh process; report its time and peak memory.

``python -m bench.child MODE AUDIO [--overview PNG] [--warm-up SHORT_AUDIO]``, MODE:

``import``
    Import the engine (and the floor) and exit: the memory every run starts from.
``engine``
    Render the overview only (written to ``--overview`` if given).
``tiles``
    Render the overview and every tile, to a sink that counts the objects and bytes
    and drops them: the upload to storage is not the engine's work, and holding them
    would be the sink's memory, not the engine's.
``detect_tiles``
    As ``tiles``, with the default detector preset in the same pass.
``detect``
    Run the default detector preset alone (``detect``: decoding and the STFT, no drawing),
    as a re-run does.
``floor``
    Do the floor's work (:mod:`bench.floor`), encoding the overview read from
    ``--overview``.
``tile_png``
    Render every tile to objects of tiles in a folder (untimed), then PNG-encode each
    tile's pixels again with the engine's encoder, one after another: ``encode_s`` is
    what encoding the tiles costs at the least, the part of the floor that tiles add.

``measure``
    Measure 1,000 seeded boxes (:func:`bench.measurement.bench_boxes`), made untimed.
``measure_one``
    Measure one box, 2 s over 2-6 kHz in the middle of the recording.

``--warm-up`` first renders (with tiles, and the detector in the detection modes) and
floors a short file, untimed, so that
every child starts in the same, warm, state (imports done, caches and allocator
primed), as a warm Lambda would. The warm-up can only add to the peak memory
reported, never hide any.

The child prints one JSON line: ``elapsed_s`` and ``cpu_s`` (all threads) of the
timed work alone (no imports, no warm-up), what it produced, and ``peak_rss_mb``: the
kernel's high-water mark of its resident memory (``VmHWM``), which no sampling can
miss. Not ``ru_maxrss`` (``wait4``, ``RUSAGE_CHILDREN``): it carries over the memory
the child had between fork and exec, a copy of the parent's, so a parent holding
librosa would be counted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import floor
from chalicelib.detector_presets import DetectorPreset
from chalicelib.spectrogram import detect, render
from chalicelib.spectrogram.png import encode_png

ROOT = Path(__file__).resolve().parents[1]
MODES = (
    "import",
    "engine",
    "tiles",
    "detect_tiles",
    "detect",
    "floor",
    "tile_png",
    "measure",
    "measure_one",
)
#: The preset the detection modes run: the defaults.
DEFAULT_PRESET = DetectorPreset(name="default")


def measure(
    mode: str, audio: Path, *, overview: Path | None = None, warm_up: Path | None = None
) -> dict:
    """Run ``mode`` on ``audio`` in a fresh interpreter; return its report."""
    command = [sys.executable, "-m", "bench.child", mode, str(audio)]
    if overview is not None:
        command += ["--overview", str(overview)]
    if warm_up is not None:
        command += ["--warm-up", str(warm_up)]
    finished = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"bench.child {mode} {audio.name} exited with {finished.returncode}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """This process's peak resident memory since it was exec'd, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("/proc/self/status has no VmHWM line")


def _discard_tile(key: str, data: bytearray) -> None:
    """A tile sink that keeps nothing."""


def _warm_up(audio: Path, mode: str) -> None:
    detectors = [DEFAULT_PRESET] if mode.startswith("detect") else []
    rendering = render(audio, name=audio.name, tile_sink=_discard_tile, detectors=detectors)
    floor.run(audio, floor.overview_indices(rendering.overview_png))


def _job(mode: str, audio: Path, overview: Path | None) -> Callable[[], dict]:
    """The work to time, its inputs already read."""
    if mode == "import":
        return dict
    if mode == "floor":
        image = floor.overview_indices(overview.read_bytes())
        return lambda: floor.run(audio, image)
    if mode == "tile_png":
        return _tile_encoding(audio)
    if mode in ("measure", "measure_one"):
        return _measurement(audio, one=mode == "measure_one")
    if mode == "detect":
        return lambda: _proposals(detect(audio, name=audio.name, presets=[DEFAULT_PRESET]))
    objects: dict[str, int] = {}

    def count_tiles(key: str, data: bytearray) -> None:
        objects[key] = len(data)

    def render_file() -> dict:
        sink = count_tiles if mode in ("tiles", "detect_tiles") else None
        detectors = [DEFAULT_PRESET] if mode == "detect_tiles" else []
        rendering = render(audio, name=audio.name, tile_sink=sink, detectors=detectors)
        if overview is not None:
            overview.write_bytes(rendering.overview_png)
        return {
            "duration_s": rendering.duration_s,
            "width": rendering.width,
            "tiles": len(rendering.manifest["tiles"]),
            "tile_objects": len(objects),
            "tile_bytes": sum(objects.values()),
            "tile_object_bytes": objects,
            "overview_bytes": len(rendering.overview_png),
            "tile_levels": len(rendering.manifest["tile_levels"]),
            **_proposals(rendering.detections),
        }

    return render_file


def _proposals(detections: dict) -> dict:
    """How many proposals and candidates the detectors made."""
    return {
        "proposals": sum(len(found.events) for found in detections.values()),
        "candidates": sum(found.candidates for found in detections.values()),
    }


def _tile_encoding(audio: Path) -> Callable[[], dict]:
    folder = Path(tempfile.mkdtemp(prefix="sonagram-bench-tiles-"))

    def store_tiles(key: str, data: bytearray) -> None:
        (folder / key.replace("/", "-")).write_bytes(data)

    tiles = render(audio, name=audio.name, tile_sink=store_tiles).manifest["tiles"]

    def encode_tiles() -> dict:
        encode_s = 0.0
        for tile in tiles:
            with (folder / tile["object"].replace("/", "-")).open("rb") as level:
                level.seek(tile["offset"])
                pixels = floor.overview_indices(level.read(tile["length"]))
            started = time.perf_counter()
            encode_png(pixels, sub=False)
            encode_s += time.perf_counter() - started
        shutil.rmtree(folder)
        return {"tiles": len(tiles), "encode_s": encode_s}

    return encode_tiles


def _measurement(audio: Path, *, one: bool) -> Callable[[], dict]:
    import soundfile as sf

    from bench.measurement import BOXES, bench_boxes
    from chalicelib.spectrogram.measure import measure_boxes

    info = sf.info(audio)
    if one:
        middle = info.duration / 2
        boxes = [{"start_s": middle, "end_s": middle + 2, "low_hz": 2000.0, "high_hz": 6000.0}]
    else:
        boxes = bench_boxes(info.duration, info.samplerate, BOXES)

    def measure_file() -> dict:
        measured = measure_boxes(audio, name=audio.name, boxes=boxes)
        return {"boxes": len(measured), "with_snr": sum("SNR (dB)" in m for m in measured)}

    return measure_file


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("audio", type=Path)
    parser.add_argument("--overview", type=Path)
    parser.add_argument("--warm-up", type=Path)
    args = parser.parse_args(argv)
    if args.warm_up is not None:
        _warm_up(args.warm_up, args.mode)
    job = _job(args.mode, args.audio, args.overview)
    wall, cpu = time.perf_counter(), time.process_time()
    report = job()
    report["elapsed_s"] = time.perf_counter() - wall
    report["cpu_s"] = time.process_time() - cpu
    print(json.dumps({**report, "peak_rss_mb": peak_rss_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
