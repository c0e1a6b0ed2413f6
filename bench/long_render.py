"""A long recording with every tile: peak memory and time against the floor, each in a child.

Per file: ``repeats`` rounds of (engine + tiles, floor), each in a fresh process
warmed up on a short file (see :mod:`bench.child` for why), and one engine run
without tiles to show what the tiles cost. The first round's engine writes the
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
    """Medians (s) of the timed work, the peak RSS (MB) over the tile runs, and the runs."""

    tiles_s: float
    floor_s: float
    overview_only_s: float
    peak_rss_mb: float
    import_rss_mb: float
    runs: dict[str, list[dict]]


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
    runs["import"] = [measure("import", audio)]
    return LongRender(
        tiles_s=statistics.median(run["elapsed_s"] for run in runs["tiles"]),
        floor_s=statistics.median(run["elapsed_s"] for run in runs["floor"]),
        overview_only_s=runs["engine"][0]["elapsed_s"],
        peak_rss_mb=max(run["peak_rss_mb"] for run in runs["tiles"]),
        import_rss_mb=runs["import"][0]["peak_rss_mb"],
        runs=runs,
    )
