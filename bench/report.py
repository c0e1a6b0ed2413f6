"""Benchmark results: rows with their targets, the Markdown table, results.json."""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHEMA_VERSION = 1
#: How to read the table; written under it in results.md.
LEGEND = """\
Times are medians of interleaved rounds after an untimed warm-up; the 60-minute runs
each ran in a fresh process. *Speed-up* is the reference's time over the engine's
(librosa + matplotlib drawing the same overview, `bench/reference.py`). *vs floor* is
the engine's time over the floor's (decode + FFT + PNG encode of the overview and
nothing else, `bench/floor.py`), in wall-clock time; the floor runs on one thread
while the engine decodes and compresses on a second one, so the *CPU time* rows
compare the work itself. End-to-end latencies are read by polling the list of
recordings: each is late by at most the poll interval shown beside it. Targets are
the issues'; a MISS is reported, not an error.
"""
_OPERATORS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq}
_SYMBOLS = {"<=": "≤", ">=": "≥", "==": "="}


@dataclass(frozen=True)
class Target:
    """A bound on a row's ``ratio`` (``of="ratio"``) or on its ``measured`` value."""

    op: str
    bound: float
    of: str = "ratio"

    def __post_init__(self):
        if self.op not in _OPERATORS or self.of not in ("ratio", "measured"):
            raise ValueError(f"bad target {self.op!r} on {self.of!r}")


@dataclass
class Row:
    """One line of the table.

    ``measured`` is the engine's (or the system's) number in ``unit``; ``baseline``,
    in the same unit, is what it is compared with; ``ratio`` is defined by the
    section (a speed-up over the reference, a multiple of the floor, ...).
    """

    section: str
    case: str
    measured: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    target: Target | None = None
    details: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        """True or False against the target; None when the row is for information."""
        if self.target is None:
            return None
        value = self.ratio if self.target.of == "ratio" else self.measured
        return value is not None and _OPERATORS[self.target.op](value, self.target.bound)

    def as_json(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100), interpolated linearly between ranks.

    The method of ``numpy.percentile``'s default and ``statistics.quantiles(...,
    method="inclusive")``: p50 is the median; p95 of 50 values lies between the 47th
    and the 48th smallest.
    """
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def format_value(value: float, unit: str) -> str:
    """``0.0652 s`` -> ``65.2 ms``; ``167.6 MB`` -> ``168 MB``; ``0.4213 $`` -> ``$0.421``;
    ``0.0756 dB`` -> ``0.08 dB``; counts stay counts."""
    if unit == "s":
        return f"{value * 1000:.3g} ms" if value < 1 else f"{value:.3g} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "/s":
        return f"{value:.3g}/s"
    if unit == "$":
        return f"${value:.3f}"
    if unit == "dB":
        return f"{value:.2f} dB"
    return f"{value:g}{unit}"


def _target_text(row: Row) -> str:
    if row.target is None:
        return "—"
    bound = (
        f"{row.target.bound:g}×"
        if row.target.of == "ratio"
        else format_value(row.target.bound, row.unit)
    )
    return f"{_SYMBOLS[row.target.op]} {bound}"


def _result_text(row: Row) -> str:
    return {None: "info", True: "PASS", False: "MISS"}[row.passed]


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| Benchmark | Input | Measured | Compared with | Ratio | Target | Result |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for row in rows:
        compared = (
            f"{row.baseline_name} {format_value(row.baseline, row.unit)}"
            if row.baseline is not None
            else row.baseline_name or "—"
        )
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        cells = (
            row.section,
            row.case,
            format_value(row.measured, row.unit),
            compared,
            ratio,
            _target_text(row),
            _result_text(row),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def results_document(
    *, mode: str, machine: dict, started_at: str, runtime_s: float, rows: list[Row], errors: list
) -> dict:
    """The content of results.json (see :func:`write`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "mode": mode,
        "started_at": started_at,
        "runtime_s": runtime_s,
        "machine": machine,
        "summary": {
            "passed": sum(row.passed is True for row in rows),
            "missed": sum(row.passed is False for row in rows),
            "info": sum(row.passed is None for row in rows),
            "errors": len(errors),
        },
        "rows": [row.as_json() for row in rows],
        "errors": errors,
    }


def write(folder: Path, document: dict, rows: list[Row]) -> None:
    """Write ``results.json`` and ``results.md`` (machine, table, errors) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(document, indent=1) + "\n")
    machine = document["machine"]
    lines = [
        f"# Sonagram benchmarks ({document['mode']} run, {document['started_at']})",
        "",
        f"{machine['cpu_model']}, {machine['logical_cores']} cores, "
        f"{machine['ram_gb']:.0f} GB RAM; Python {machine['python']}, numpy {machine['numpy']}; "
        f"commit {machine['commit']}. Whole run: {document['runtime_s']:.0f} s.",
        "",
        markdown_table(rows),
        LEGEND,
    ]
    for error in document["errors"]:
        lines += [f"**Error in {error['section']}:** `{error['error']}`", ""]
    (folder / "results.md").write_text("\n".join(lines))
