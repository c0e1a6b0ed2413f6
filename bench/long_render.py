"""A long recording with every tile: peak memory and time against the floor, each in a child.

Per file: ``repeats`` rounds of (engine + tiles, floor), each in a fresh process
warmed up on a short file (see :mod:`bench.child` for why), and one engine run
without tiles to show what the tiles cost, and one that times PNG-encoding the
tiles alone: the floor of a render that must write them. The first round's engine writes the
overview that every floor run encodes.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.child import measure


@dataclass(frozen=True)
class LongRender:
    """Every child's report, by mode (tiles, floor, engine, tile_png, import)."""

    runs: dict[str, list[dict]]

    def median(self, mode: str, key: str = "elapsed_s") -> float:
        """Median of ``key`` (``elapsed_s`` or ``cpu_s``, in seconds) over ``mode``'s runs."""
        return statistics.median(run[key] for run in self.runs[mode])

    @property
    def peak_rss_mb(self) -> float:
        """The highest peak resident memory of the runs with tiles, in MiB."""
        return max(run["peak_rss_mb"] for run in self.runs["tiles"])

    @property
    def import_rss_mb(self) -> float:
        """Peak resident memory of a process that only imported the engine, in MiB."""
        return self.runs["import"][0]["peak_rss_mb"]


def long_render(audio: Path, *, warm_up: Path, repeats: int) -> LongRender:
    """Measure ``audio`` rendered with tiles, against the floor, in child processes."""
    runs: dict[str, list[dict]] = {"tiles": [], "floor": []}
    with tempfile.TemporaryDirectory(prefix="sonagram-bench-") as tmp:
        overview = Path(tmp) / "overview.png"
        for round_no in range(repeats):
            runs["tiles"].append(
                measure(
                    "tiles",
                    audio,
                    overview=overview if round_no == 0 else None,
                    warm_up=warm_up,
                )
            )
            runs["floor"].append(measure("floor", audio, overview=overview, warm_up=warm_up))
    runs["engine"] = [measure("engine", audio, warm_up=warm_up)]
    runs["tile_png"] = [measure("tile_png", audio, warm_up=warm_up)]
    runs["import"] = [measure("import", audio)]
    return LongRender(runs)
