"""What the numbers were measured on: hardware, interpreter, libraries, code."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
_LIBRARIES = ("numpy", "soundfile", "av", "pillow", "librosa", "matplotlib", "scipy", "boto3")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    # Uncommitted engine changes would make the numbers describe code no commit has.
    dirty = git("status", "--porcelain", "--", "chalicelib", "app.py", "functions")
    return f"{head}+dirty" if dirty else head


def _blas() -> dict:
    from threadpoolctl import threadpool_info

    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    keys = ("internal_api", "architecture", "num_threads")
    return {key: pools[0].get(key) for key in keys} if pools else {}


def info() -> dict:
    """A JSON-serialisable description of this machine and software."""
    return {
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gb": psutil.virtual_memory().total / 2**30,
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "libraries": {name: metadata.version(name) for name in _LIBRARIES},
        # Recorded, never changed: these select OpenBLAS kernels (FFTs do not use BLAS).
        "openblas_env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "blas": _blas(),
        "commit": _commit(),
    }
