"""Cold starts: ``python -c "import X"``, and the CLI, in a fresh process, from the repository root.

Each command runs once untimed, which compiles and caches the bytecode (even where
``PYTHONDONTWRITEBYTECODE`` is set, so that the app's modules are measured like the
installed packages, whose bytecode pip compiled) and reads the files into the page
cache. Then each runs ``repeats`` times, interleaved with the others; the time is
the median wall time of the whole process, interpreter start included (``pass``
measures that part alone).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.plan import CACHE, INPUTS, Plan, progress
from bench.report import Row
from bench.signals import Spec, ensure

ROOT = Path(__file__).resolve().parents[1]

#: What each timed process runs.
STATEMENTS = {
    "python": "pass",
    "boto3": "import boto3",
    "app": "import app",
    "chalicelib.spectrogram": "import chalicelib.spectrogram",
    # librosa loads its submodules on first use: touching one is what costs.
    "librosa": "import librosa; librosa.stft",
}


def _environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def cold_imports(*, repeats: int, cache_dir: Path) -> dict[str, list[float]]:
    """Seconds of each of :data:`STATEMENTS`, ``repeats`` runs each.

    ``cache_dir`` becomes numba's and matplotlib's cache (librosa needs a writable one).
    """
    env = _environment(NUMBA_CACHE_DIR=str(cache_dir), MPLCONFIGDIR=str(cache_dir))
    commands = {name: [sys.executable, "-c", statement] for name, statement in STATEMENTS.items()}
    for command in commands.values():
        _run(command, env)
    runs: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(repeats):
        for name, command in commands.items():
            runs[name].append(_run(command, env))
    return runs


def cold_cli(recording: Path, *, repeats: int) -> list[float]:
    """Seconds of ``sonagram render RECORDING -o DIR`` in a fresh process, ``repeats`` runs.

    The command as a person types it: interpreter start, imports, decode, render and the
    PNG and manifest written.
    """
    sonagram = Path(sys.executable).with_name("sonagram")
    env = _environment()
    with tempfile.TemporaryDirectory(prefix="sonagram-bench-cli-") as out:
        command = [str(sonagram), "render", str(recording), "-o", out]
        _run(command, env)
        return [_run(command, env) for _ in range(repeats)]


def import_rows(plan: Plan) -> list[Row]:
    progress(f"cold imports, rounds: {plan.import_repeats}")
    runs = cold_imports(repeats=plan.import_repeats, cache_dir=CACHE)
    median = {name: statistics.median(times) for name, times in runs.items()}
    python = median["python"]
    cli_runs = cold_cli(ensure(Spec(10, 44100, "wav"), INPUTS), repeats=plan.import_repeats)
    return [
        Row(
            "cold import",
            "app (HTTP API)",
            median["app"],
            "s",
            median["boto3"],
            "import boto3",
            median["app"] / median["boto3"],
            details={"runs_s": runs},
        ),
        Row(
            "cold import",
            "chalicelib.spectrogram",
            median["chalicelib.spectrogram"],
            "s",
            python,
            "python -c pass",
        ),
        Row("cold import", "librosa (reference)", median["librosa"], "s", python, "python -c pass"),
        Row(
            "cold start: sonagram render",
            "10 s WAV",
            statistics.median(cli_runs),
            "s",
            python,
            "python -c pass",
            details={"runs_s": cli_runs},
        ),
    ]
