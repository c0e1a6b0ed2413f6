"""What ships: the HTTP functions' dependencies, what app.py imports, the sample recording."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from fresh import modules_after

ROOT = Path(__file__).resolve().parents[2]


def test_chalice_requirements_are_the_http_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pinned = [line for line in lines if line and not line.startswith("#")]
    assert pinned == project["dependencies"]
    assert not any(name.startswith(("numpy", "soundfile", "av", "pillow")) for name in pinned)


@pytest.mark.parametrize("module", ["app", "functions.sweeper"])
def test_the_http_app_and_the_sweeper_never_import_numpy_or_the_engine(module):
    heavy = {
        name
        for name in modules_after(f"import {module}")
        if name.split(".")[0] in ("numpy", "soundfile", "av", "PIL")
        or name.startswith("chalicelib.spectrogram")
    }
    assert heavy == set()


def test_the_walk_through_uploads_the_sample_that_ships_with_its_credit():
    walk_through = (ROOT / "docs" / "api.md").read_text()
    sample = ROOT / re.search(r"^FILE=(\S+)$", walk_through, re.MULTILINE)[1]
    assert sample.parent == ROOT / "samples" and sample.is_file()
    credit = (ROOT / "samples" / "README.md").read_text()
    assert sample.name in credit and "CC BY-SA 4.0" in credit and "Niels Krabbe" in credit
