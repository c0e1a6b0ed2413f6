"""Run one render (or the floor) in a fresh process; report its time and peak memory.

``python -m bench.child MODE AUDIO [--overview PNG] [--warm-up SHORT_AUDIO]``, MODE:

``import``
    Import the engine and exit: the memory every render starts from.
``engine``
    Render the overview only (written to ``--overview`` if given).
``tiles``
    Render the overview and every tile, to a sink that counts and drops them: the
    upload to storage is not the engine's work, and holding them would be the
    sink's memory, not the engine's.
``floor``
    Do the floor's work (:mod:`bench.floor`), encoding the overview read from
    ``--overview``.

``--warm-up`` first renders (with tiles) and floors a short file, untimed. Whether
numpy's FFT is fast in a fresh process depends on glibc's malloc: its scratch
buffers are mapped and unmapped on every call (a page fault per 4 KiB, measured 3x
slower) until some earlier multi-megabyte array has been freed, which raises
malloc's mmap threshold. A render does that; the floor alone never does. Warming
every child the same way compares engine and floor in the same state (and can only
add to the peak memory reported, never hide any).

The child prints one JSON line: ``elapsed_s`` of the timed work alone (no imports,
no warm-up), what it produced, and ``peak_rss_mb``: the kernel's high-water mark of
its resident memory (``VmHWM``), which no sampling can miss. Not ``ru_maxrss``
(``wait4``, ``RUSAGE_CHILDREN``): it carries over the memory the child had between
fork and exec, a copy of the parent's, so a parent holding librosa would be counted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("import", "engine", "tiles", "floor")


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


def _discard_tile(key: str, png: bytes) -> None:
    """A tile sink that keeps nothing."""


def _warm_up(audio: Path) -> None:
    from bench import floor
    from chalicelib.spectrogram import render

    rendering = render(audio, name=audio.name, tile_sink=_discard_tile)
    floor.run(audio, floor.overview_indices(rendering.overview_png))


def _work(mode: str, audio: Path, overview: Path | None) -> dict:
    from chalicelib.spectrogram import render

    if mode == "import":
        return {"elapsed_s": 0.0}
    if mode == "floor":
        from bench import floor

        image = floor.overview_indices(overview.read_bytes())
        started = time.perf_counter()
        stages = floor.run(audio, image)
        return {**stages, "elapsed_s": time.perf_counter() - started}
    tiles = {"count": 0, "bytes": 0}

    def count_tile(key: str, png: bytes) -> None:
        tiles["count"] += 1
        tiles["bytes"] += len(png)

    started = time.perf_counter()
    rendering = render(audio, name=audio.name, tile_sink=count_tile if mode == "tiles" else None)
    elapsed = time.perf_counter() - started
    if overview is not None:
        overview.write_bytes(rendering.overview_png)
    return {
        "elapsed_s": elapsed,
        "duration_s": rendering.duration_s,
        "width": rendering.width,
        "tiles": tiles["count"],
        "tile_bytes": tiles["bytes"],
        "tile_levels": len(rendering.manifest["tile_levels"]),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("audio", type=Path)
    parser.add_argument("--overview", type=Path)
    parser.add_argument("--warm-up", type=Path)
    args = parser.parse_args(argv)
    if args.warm_up is not None:
        _warm_up(args.warm_up)
    report = _work(args.mode, args.audio, args.overview)
    print(json.dumps({**report, "peak_rss_mb": peak_rss_mb()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
