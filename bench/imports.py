"""Cold import times: ``python -c "import X"`` in a fresh interpreter, from the repository root.

Each statement runs once untimed, which compiles and caches the bytecode (even where
``PYTHONDONTWRITEBYTECODE`` is set, so that the app's modules are measured like the
installed packages, whose bytecode pip compiled) and reads the files into the page
cache. Then each runs ``repeats`` times, interleaved with the others; the time is
the median wall time of the whole process, interpreter start included (``pass``
measures that part alone).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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


def _run(statement: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def cold_imports(*, repeats: int, cache_dir: Path) -> dict[str, list[float]]:
    """Seconds of each of :data:`STATEMENTS`, ``repeats`` runs each.

    ``cache_dir`` becomes numba's and matplotlib's cache (librosa needs a writable one).
    """
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache_dir), "MPLCONFIGDIR": str(cache_dir)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for statement in STATEMENTS.values():
        _run(statement, env)
    runs: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(repeats):
        for name, statement in STATEMENTS.items():
            runs[name].append(_run(statement, env))
    return runs
