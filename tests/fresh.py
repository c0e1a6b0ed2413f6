"""What a fresh interpreter loads: import costs and boundaries are only visible there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules_after(code: str, *argv: str) -> set[str]:
    """The names in ``sys.modules`` once a new Python has run ``code`` in the project root."""
    ran = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(list(sys.modules)))"]
        + list(argv),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(ran.stdout.splitlines()[-1]))
