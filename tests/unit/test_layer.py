"""The worker's Lambda layer: built from the pins, it fits the budget and works on its own.

Builds with ``python -m layers.build_layer`` (pip fetches ~60 MB of wheels; ~15 s here) into a
temporary folder, then checks the zip itself, the artefact Lambda receives. The layer is built
for python3.12 (cp312 wheels) by the venv's own Python, which is 3.12 too.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from layers import build_layer

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


pytestmark = pytest.mark.timeout(300)


def run_smoke(pythonpath: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-S", "-s", "-P", "-B", str(ROOT / "layers" / "smoke.py")],
        env={"PYTHONPATH": str(pythonpath)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("layer")
    result = subprocess.run(
        [sys.executable, "-m", "layers.build_layer", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    return result, out / "worker-layer.zip"


def test_layer_fits_the_lambda_budget(build):
    result, zip_path = build
    with zipfile.ZipFile(zip_path) as zf:
        entries = zf.infolist()
    unzipped = sum(entry.file_size for entry in entries)
    assert unzipped <= build_layer.LAYER_BUDGET, result.stdout
    assert all(entry.filename.startswith("python/") for entry in entries)
    assert "budget 210.0 MiB: ok" in result.stdout


def test_layer_is_pruned_of_tests_and_stubs(build):
    _, zip_path = build
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
    assert "python/numpy/__init__.py" in names
    assert not [name for name in names if "/tests/" in name or name.endswith((".pyi", ".h"))]


def test_layer_carries_pynamodb_and_powertools_but_neither_pillow_nor_the_runtimes_sdk(build):
    # The engine writes its own PNGs; boto3, botocore and their dependencies (jmespath, which
    # Powertools imports, too) come with the runtime, and a copy in the layer would shadow the
    # runtime's botocore under its boto3.
    _, zip_path = build
    with zipfile.ZipFile(zip_path) as zf:
        top = {name.split("/")[1] for name in zf.namelist()}
    dists = {build_layer.dist_name(Path(name)) for name in top if name.endswith(".dist-info")}
    assert {"pynamodb", "aws-lambda-powertools"} <= dists
    sdk = {"boto3", "botocore", "s3transfer", "urllib3", "jmespath"}
    assert dists.isdisjoint({"pillow", "python-dateutil", *sdk})
    assert top.isdisjoint({"PIL", "dateutil", "six.py", *sdk})


def test_layer_is_built_for_python312(build):
    # Extension modules and bytecode are per Python version: 3.11 ones would be dead weight.
    _, zip_path = build
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
    assert "python/numpy/__pycache__/__init__.cpython-312.pyc" in names
    assert not [name for name in names if "cpython-311" in name]


def test_unzipped_layer_decodes_audio_without_site_packages(build, tmp_path):
    _, zip_path = build
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp_path)
    smoke = run_smoke(tmp_path / "python")
    assert smoke.returncode == 0, smoke.stderr
    assert "WAV, MP3 and M4A decoded" in smoke.stdout


def test_smoke_fails_without_the_layer(tmp_path):
    # Guards the isolation: were an installed numpy visible, the smoke would prove nothing.
    smoke = run_smoke(tmp_path)
    assert smoke.returncode != 0
    assert "ModuleNotFoundError" in smoke.stderr


def test_build_passes_every_check(build):
    # Budget, smoke and glibc: python3.12 (Amazon Linux 2023) has glibc 2.34; the wheels need 2.28.
    result, _ = build
    assert result.returncode == 0, result.stdout + result.stderr
    assert "python3.12 (Amazon Linux 2023) has 2.34: ok" in result.stdout


@pytest.mark.parametrize(
    ("implementation", "version"), [("cpython", (3, 11)), ("cpython", (3, 13)), ("pypy", (3, 12))]
)
def test_only_cpython_312_builds_the_layer(implementation, version):
    assert build_layer.wrong_python(implementation, version) is not None


def test_the_venv_python_builds_the_layer():
    assert build_layer.wrong_python(sys.implementation.name, sys.version_info[:2]) is None


@pytest.mark.parametrize(
    ("system", "machine", "libc", "reason"),
    [
        ("Darwin", "arm64", ("", ""), "Darwin arm64"),
        ("Darwin", "x86_64", ("", ""), "Darwin x86_64"),
        ("Linux", "aarch64", ("glibc", "2.36"), "Linux aarch64"),
        ("Linux", "x86_64", ("glibc", "2.26"), "need glibc 2.28 or newer"),
        ("Linux", "x86_64", ("", ""), "no glibc"),
    ],
)
def test_the_smoke_run_says_why_a_machine_cannot_load_the_wheels(system, machine, libc, reason):
    assert reason in build_layer.why_smoke_cannot_run(system, machine, libc, (2, 28))


def test_linux_x86_64_with_a_new_enough_glibc_runs_the_smoke():
    assert build_layer.why_smoke_cannot_run("Linux", "x86_64", ("glibc", "2.34"), (2, 28)) is None


def skipped_report(total: int) -> build_layer.Report:
    return build_layer.Report(
        zip_path=Path("worker-layer.zip"),
        left_to_runtime=["botocore"],
        unzipped={"numpy": total},
        glibc={"numpy": (2, 28)},
        zipped=total // 3,
        smoke="this machine is Darwin arm64: ...",
    )


def test_a_skipped_smoke_run_is_printed_and_the_size_still_decides():
    report = skipped_report(100 * MIB)
    assert report.ok
    assert "smoke: skipped, this machine is Darwin arm64" in build_layer.render(report)
    too_big = skipped_report(build_layer.LAYER_BUDGET + 1)
    assert not too_big.ok
    assert "budget 210.0 MiB: FAIL" in build_layer.render(too_big)
