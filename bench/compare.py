"""Engine vs the reference and vs the floor, in this process, on the same files.

Per file: one untimed run of each (numba's and the allocator's first-use costs, the
file into the page cache; the engine's overview also becomes the floor's image),
then ``repeats`` rounds of engine, floor, reference, interleaved so that a noisy
neighbour slows all three alike. Each is the median of its rounds, in wall-clock
time and in CPU time: the engine decodes and compresses on a second thread while the
floor runs on one, so only CPU time compares the work itself.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from bench import floor, reference
from bench.plan import CACHE, Plan, progress, recording
from bench.report import Row, Target
from chalicelib.spectrogram import render

#: The implementations compared, in the order each round runs them.
NAMES = ("engine", "floor", "reference")


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds (all threads of the process) of one run."""

    wall_s: float
    cpu_s: float


@dataclass(frozen=True)
class Comparison:
    """Every run of each implementation on one file, and the stages of the floor's runs."""

    runs: dict[str, list[Timing]]
    floor_stages: list[dict[str, float]]
    size: tuple[int, int]

    def wall_s(self, name: str) -> float:
        """Median wall-clock seconds of ``name`` (one of :data:`NAMES`)."""
        return statistics.median(run.wall_s for run in self.runs[name])

    def cpu_s(self, name: str) -> float:
        """Median CPU seconds of ``name``: the work, however many threads shared it."""
        return statistics.median(run.cpu_s for run in self.runs[name])

    def floor_stage_s(self) -> dict[str, float]:
        """Median seconds of the floor's decode, FFT and PNG stages."""
        keys = ("decode_s", "fft_s", "png_s")
        return {key: statistics.median(run[key] for run in self.floor_stages) for key in keys}


def _timed(work: Callable[[], object]) -> tuple[Timing, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def compare(path: Path, *, repeats: int) -> Comparison:
    """Time the engine (overview only), the floor and the reference on ``path``.

    Raises
    ------
    RuntimeError
        The reference's PNG is not the engine's overview size: the comparison would
        not be at the same output size.
    """
    overview = render(path, name=path.name)
    image = floor.overview_indices(overview.overview_png)
    floor.run(path, image)
    reference_size = Image.open(io.BytesIO(reference.render(path))).size
    if reference_size != (overview.width, overview.height):
        raise RuntimeError(
            f"reference drew {reference_size}, the engine {(overview.width, overview.height)}"
        )
    work = {
        "engine": lambda: render(path, name=path.name),
        "floor": lambda: floor.run(path, image),
        "reference": lambda: reference.render(path),
    }
    runs: dict[str, list[Timing]] = {name: [] for name in NAMES}
    stages = []
    for _ in range(repeats):
        for name in NAMES:
            timing, result = _timed(work[name])
            runs[name].append(timing)
            if name == "floor":
                stages.append(result)
    return Comparison(runs=runs, floor_stages=stages, size=reference_size)


#: Issue #4's targets.
SPEEDUP_TARGET = Target(">=", 12)
SPEEDUP_TARGET_INPUTS = frozenset({"60 s WAV", "60 s MP3"})
FLOOR_TARGET = Target("<=", 1.3)


def compared_rows(plan: Plan) -> list[Row]:
    progress(f"importing librosa took {reference.import_librosa(CACHE):.1f} s (not timed)")
    rows = []
    for source, repeats in plan.compared:
        label, path = recording(source)
        progress(f"engine, floor and reference on {label}, rounds: {repeats}")
        result = compare(path, repeats=repeats)
        engine_s, floor_s, reference_s = (result.wall_s(name) for name in NAMES)
        engine_cpu_s, floor_cpu_s = result.cpu_s("engine"), result.cpu_s("floor")
        runs = {name: [asdict(run) for run in result.runs[name]] for name in NAMES}
        rows += [
            Row(
                "engine vs reference: speed-up",
                label,
                engine_s,
                "s",
                reference_s,
                "reference",
                reference_s / engine_s,
                SPEEDUP_TARGET if label in SPEEDUP_TARGET_INPUTS else None,
                {"file": path.name, "size_px": result.size, "runs": runs},
            ),
            Row(
                "engine vs floor",
                label,
                engine_s,
                "s",
                floor_s,
                "floor",
                engine_s / floor_s,
                FLOOR_TARGET,
                {"floor_stages_s": result.floor_stage_s()},
            ),
            Row(
                "engine vs floor, CPU time",
                label,
                engine_cpu_s,
                "s",
                floor_cpu_s,
                "floor",
                engine_cpu_s / floor_cpu_s,
            ),
        ]
    return rows
