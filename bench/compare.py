"""Engine vs the reference and vs the floor, in this process, on the same files.

Per file: one untimed run of each (numba's and the allocator's first-use costs, the
file into the page cache; the engine's overview also becomes the floor's image),
then ``repeats`` rounds of engine, floor, reference, interleaved so that a noisy
neighbour slows all three alike. Each is the median of its rounds.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from bench import floor, reference
from chalicelib.spectrogram import render


@dataclass(frozen=True)
class Comparison:
    """Median seconds of each implementation on one file, and the stages of the floor."""

    engine_s: float
    floor_s: float
    reference_s: float
    floor_stages: dict[str, float]
    size: tuple[int, int]
    runs: dict[str, list[float]]


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def compare(path: Path, *, repeats: int) -> Comparison:
    """Time the engine (overview only), the floor and the reference on ``path``.

    Raises
    ------
    AssertionError
        The reference's PNG is not the engine's overview size: the comparison would
        not be at the same output size.
    """
    overview = render(path, name=path.name)
    image = floor.overview_indices(overview.overview_png)
    floor.run(path, image)
    reference_size = Image.open(io.BytesIO(reference.render(path))).size
    if reference_size != (overview.width, overview.height):
        raise AssertionError(
            f"reference drew {reference_size}, the engine {(overview.width, overview.height)}"
        )
    runs: dict[str, list[float]] = {"engine": [], "floor": [], "reference": []}
    stages: list[dict[str, float]] = []
    for _ in range(repeats):
        runs["engine"].append(_timed(lambda: render(path, name=path.name)))
        started = time.perf_counter()
        stages.append(floor.run(path, image))
        runs["floor"].append(time.perf_counter() - started)
        runs["reference"].append(_timed(lambda: reference.render(path)))
    return Comparison(
        engine_s=statistics.median(runs["engine"]),
        floor_s=statistics.median(runs["floor"]),
        reference_s=statistics.median(runs["reference"]),
        floor_stages={
            key: statistics.median(stage[key] for stage in stages)
            for key in ("decode_s", "fft_s", "png_s")
        },
        size=reference_size,
        runs=runs,
    )
