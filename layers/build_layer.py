"""Build the spectrogram worker's Lambda layer and check that it fits and loads.

``python -m layers.build_layer [--out DIR]`` from the repository root installs the ``worker``
extra of pyproject.toml as manylinux wheels for the worker's runtime (python3.12, x86_64) into
``DIR/python/``, prunes what is never imported, writes ``DIR/worker-layer.zip`` and prints what
it weighs against Lambda's limits. It runs under the project's CPython 3.12 (the venv's), which
also byte-compiles and smoke-tests the layer. It exits non-zero when the layer is over budget,
fails the smoke run (layers/smoke.py) or needs a newer glibc than the runtime has. The smoke run
imports the wheels, so it needs Linux on x86_64 with the glibc they need; elsewhere (a Mac, an
ARM laptop) it is skipped with the reason printed, and every other check still runs.
"""

import argparse
import csv
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE.parent / "pyproject.toml"
SMOKE = HERE / "smoke.py"
ZIP_NAME = "worker-layer.zip"
LAMBDA_LAYER_PATH = "/opt/python"

# The worker runs on python3.12 (layers/README.md): Amazon Linux 2023, glibc 2.34. python3.11
# ran on Amazon Linux 2 (glibc 2.26), too old for the pinned wheels, and is deprecated.
PYTHON_VERSION = "3.12"
RUNTIME = f"python{PYTHON_VERSION}"
RUNTIME_OS = "Amazon Linux 2023"
RUNTIME_GLIBC = (2, 34)
# pip does not widen a manylinux tag to older ones, so every tag the runtime accepts is listed,
# newest (preferred) first: a wheel tagged only manylinux_2_17 (soundfile 0.12) would otherwise
# lose to its pure sibling, which lacks libsndfile. The glibc check below still judges the
# installed wheels' own tags.
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(RUNTIME_GLIBC[1], 4, -1)] + [
    f"manylinux{year}_x86_64" for year in (2014, 2010, 1)
]

MIB = 1024 * 1024
# Lambda's "250 MB" is the byte count its error message quotes: 250 MiB.
LAMBDA_UNZIPPED_LIMIT = 262_144_000
LAYER_BUDGET = 210 * MIB

# Never imported at run time: test suites, type stubs, C/Cython/Fortran sources and headers
# for building against numpy or PyAV, and console scripts whose shebang names this machine's
# interpreter. pip's timestamped bytecode goes too: it is rebuilt below.
PRUNED_DIRS = {"tests", "__pycache__"}
PRUNED_SUFFIXES = {".pyi", ".pxd", ".pyx", ".h", ".c", ".f", ".f90"}

LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


@dataclass(frozen=True)
class Report:
    zip_path: Path
    left_to_runtime: list[str]
    unzipped: dict[str, int]
    glibc: dict[str, tuple[int, int] | None]
    zipped: int
    # The smoke run's result, or why this machine cannot run it.
    smoke: subprocess.CompletedProcess | str

    @property
    def total(self) -> int:
        return sum(self.unzipped.values())

    @property
    def glibc_needed(self) -> tuple[int, int]:
        return glibc_needed(self.glibc)

    @property
    def fits(self) -> bool:
        return self.total <= LAYER_BUDGET

    @property
    def loads_on_runtime(self) -> bool:
        return self.glibc_needed <= RUNTIME_GLIBC

    @property
    def smoke_skipped(self) -> bool:
        return isinstance(self.smoke, str)

    @property
    def smoke_ok(self) -> bool:
        return self.smoke_skipped or self.smoke.returncode == 0

    @property
    def ok(self) -> bool:
        return self.fits and self.loads_on_runtime and self.smoke_ok


def wrong_python(implementation: str, version: tuple[int, int]) -> str | None:
    """Why this interpreter cannot build the layer, or None when it can.

    The wheels are cp312 builds: their extension modules load only in a CPython 3.12, and
    bytecode is version-specific, so the smoke run and compileall need one.
    """
    found = f"{implementation} {version[0]}.{version[1]}"
    if found == f"cpython {PYTHON_VERSION}":
        return None
    return (
        f"the layer is built for {RUNTIME}: run this with CPython {PYTHON_VERSION} (the "
        f"project's venv, as `make layer` does), not {found}"
    )


# The python3.12 runtime ships boto3 and botocore with their dependencies. The layer must not
# carry copies: /opt/python comes before the runtime's own on sys.path, so a layer botocore
# would shadow the runtime's and run under the runtime's boto3, which it was not released with.
# pip resolves the worker's pins with them (pynamodb needs botocore, any version since
# 1.12.54), then leave_to_runtime deletes them: the layer carries pynamodb alone.
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "urllib3", "six"}
)


def project_name(requirement: str) -> str:
    """The normalized distribution name of a requirement such as ``"PyNamoDB==6.1.0"``."""
    return re.split(r"[^A-Za-z0-9._-]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def worker_pins() -> list[str]:
    """What the worker imports: the base dependencies but the runtime's, and the worker extra."""
    with PYPROJECT.open("rb") as f:
        project = tomllib.load(f)["project"]
    base = [pin for pin in project["dependencies"] if project_name(pin) not in RUNTIME_PROVIDED]
    return base + project["optional-dependencies"]["worker"]


def install(site: Path, pins: list[str]) -> None:
    # This interpreter is the runtime's version (checked in main), so pip's default Python
    # version, ABI and environment markers are the runtime's; only the platform differs.
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile"]
    command += ["--disable-pip-version-check", "--root-user-action=ignore"]
    command += ["--target", str(site), "--only-binary=:all:"]
    command += [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    subprocess.run([*command, *pins], check=True)


def prune(site: Path) -> None:
    shutil.rmtree(site / "bin", ignore_errors=True)
    for root, dirs, files in os.walk(site):
        # Wheels keep licences (some named *.h or *.c) inside .dist-info: leave those whole.
        if Path(root).name.endswith(".dist-info"):
            dirs.clear()
            continue
        for name in [d for d in dirs if d in PRUNED_DIRS]:
            shutil.rmtree(Path(root, name))
            dirs.remove(name)
        for name in files:
            if Path(name).suffix in PRUNED_SUFFIXES:
                Path(root, name).unlink()


def compile_bytecode(site: Path) -> None:
    # Lambda mounts layers read-only, so modules without bytecode are compiled on every cold
    # start (~0.2 s more for these four imports, measured here). Bytecode is per Python version
    # (cpython-312.pyc): this interpreter is the runtime's version. Unchecked-hash .pyc stay
    # valid whatever mtimes the zip round trip leaves. Paths are recorded as Lambda mounts the
    # layer, which also keeps the zip's bytes independent of --out.
    command = [sys.executable, "-I", "-m", "compileall", "-q", "-j", "0"]
    command += ["--invalidation-mode", "unchecked-hash", "-s", str(site), "-p", LAMBDA_LAYER_PATH]
    if subprocess.run([*command, str(site)]).returncode != 0:
        raise RuntimeError(f"byte-compiling {site} failed")


def write_zip(out: Path, site: Path) -> Path:
    # Fixed timestamps and sorted entries: the same pins give the same bytes, so deploying an
    # unchanged layer publishes no new layer version.
    zip_path = out / ZIP_NAME
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"python/{path.relative_to(site).as_posix()}")
            info.external_attr = (path.stat().st_mode & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return zip_path


def dist_name(dist_info: Path) -> str:
    return project_name(dist_info.name.split("-")[0])


def distribution_of_files(site: Path) -> dict[str, str]:
    """Map each installed path (relative to ``site``) to its distribution's name."""
    owner = {}
    for dist_info in site.glob("*.dist-info"):
        with (dist_info / "RECORD").open(newline="") as f:
            for row in csv.reader(f):
                owner[row[0]] = dist_name(dist_info)
    return owner


def leave_to_runtime(site: Path) -> list[str]:
    """Delete the installed distributions the runtime provides; return their names."""
    site = site.resolve()
    left = set()
    for path, owner in distribution_of_files(site).items():
        # RECORD also lists console scripts outside the target (../../bin): never touch those.
        if owner in RUNTIME_PROVIDED and (site / path).resolve().is_relative_to(site):
            (site / path).unlink(missing_ok=True)
            left.add(owner)
    for folder in sorted((p for p in site.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return sorted(left)


def glibc_of_tag(platform: str) -> tuple[int, int] | None:
    """The oldest glibc a wheel platform tag runs on; None for a tag that needs no glibc."""
    base = platform.removesuffix("_x86_64")
    if match := re.fullmatch(r"manylinux_(\d+)_(\d+)", base):
        return int(match[1]), int(match[2])
    return LEGACY_MANYLINUX.get(base)


def wheel_glibc(site: Path) -> dict[str, tuple[int, int] | None]:
    """Per distribution, the oldest glibc any of its installed wheel's tags accepts."""
    needed = {}
    for dist_info in site.glob("*.dist-info"):
        tags = [
            line.split(":", 1)[1].strip().rsplit("-", 1)[1]
            for line in (dist_info / "WHEEL").read_text().splitlines()
            if line.startswith("Tag:")
        ]
        floors = [glibc_of_tag(tag) for tag in tags]
        needed[dist_name(dist_info)] = None if None in floors else min(floors)
    return needed


def measure(zip_path: Path, site: Path) -> dict[str, int]:
    """Unzipped bytes per distribution, as Lambda counts them: from the zip's entries."""
    owner = distribution_of_files(site)
    sizes: dict[str, int] = defaultdict(int)
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            path = info.filename.removeprefix("python/")
            # Bytecode belongs to its source's distribution (RECORD lists pip's, not ours).
            source = re.sub(r"__pycache__/([^/]+)\.cpython-\d+\.pyc$", r"\1.py", path)
            sizes[owner.get(path) or owner.get(source) or "(unowned)"] += info.file_size
    return dict(sizes)


def glibc_needed(glibc: dict[str, tuple[int, int] | None]) -> tuple[int, int]:
    """The newest glibc any of the wheels needs (manylinux1's 2.5 when none says)."""
    return max((v for v in glibc.values() if v), default=(2, 5))


def why_smoke_cannot_run(
    system: str, machine: str, libc: tuple[str, str], needed: tuple[int, int]
) -> str | None:
    """Why this machine cannot import the layer's wheels, or None when it can.

    They are manylinux x86_64 builds, as Lambda runs them: their extension modules load only on
    Linux x86_64 (``platform.system()``, ``platform.machine()``) with a glibc
    (``platform.libc_ver()``) at least as new as theirs.
    """
    if system != "Linux" or machine.lower() not in ("x86_64", "amd64"):
        return (
            f"this machine is {system} {machine}: the layer's x86_64 Linux wheels load only on "
            "Linux x86_64 (a Linux x86_64 machine or CI runner, or a linux/amd64 container)"
        )
    name, version = libc
    found = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if name != "glibc" or found < needed:
        return (
            f"this Linux has {name or 'no glibc'} {version}: the layer's wheels need glibc "
            f"{glibc_text(needed)} or newer"
        )
    return None


def smoke(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-S", "-s", "-P", "-B", str(SMOKE)],
        env={"PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def build(out: Path) -> Report:
    site = out / "python"
    shutil.rmtree(site, ignore_errors=True)
    (out / ZIP_NAME).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    install(site, worker_pins())
    left_to_runtime = leave_to_runtime(site)
    prune(site)
    compile_bytecode(site)
    zip_path = write_zip(out, site)
    glibc = wheel_glibc(site)
    cannot_run = why_smoke_cannot_run(
        platform.system(), platform.machine(), platform.libc_ver(), glibc_needed(glibc)
    )
    return Report(
        zip_path=zip_path,
        left_to_runtime=left_to_runtime,
        unzipped=measure(zip_path, site),
        glibc=glibc,
        zipped=zip_path.stat().st_size,
        smoke=cannot_run or smoke(site),
    )


def mib(n: int) -> str:
    return f"{n / MIB:7.1f} MiB"


def glibc_text(version: tuple[int, int] | None) -> str:
    return "any" if version is None else ".".join(map(str, version))


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAIL"


def smoke_text(report: Report) -> str:
    if report.smoke_skipped:
        return f"skipped, {report.smoke}; the size and glibc checks above still hold"
    return report.smoke.stdout.strip() if report.smoke_ok else "FAIL"


def render(report: Report) -> str:
    lines = [f"{report.zip_path} ({RUNTIME}, x86_64)", f"{'package':20} {'unzipped':>11}  glibc"]
    for name, size in sorted(report.unzipped.items(), key=lambda item: -item[1]):
        lines.append(f"{name:20} {mib(size)}  {glibc_text(report.glibc.get(name))}")
    lines += [
        f"{'total unzipped':20} {mib(report.total)}  budget {mib(LAYER_BUDGET).strip()}: "
        + verdict(report.fits),
        f"{'zipped':20} {mib(report.zipped)}",
        f"{'left to the runtime':20} {', '.join(report.left_to_runtime) or 'nothing'}",
        f"{'left for function':20} {mib(LAMBDA_UNZIPPED_LIMIT - report.total)}"
        f"  of {mib(LAMBDA_UNZIPPED_LIMIT).strip()} (layers + function code, unzipped)",
        f"glibc: layer needs {glibc_text(report.glibc_needed)}, {RUNTIME} ({RUNTIME_OS}) has "
        f"{glibc_text(RUNTIME_GLIBC)}: " + verdict(report.loads_on_runtime),
        "smoke: " + smoke_text(report),
    ]
    if not report.smoke_ok:
        lines.append(report.smoke.stderr.strip())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "build", help="default: layers/build")
    args = parser.parse_args()
    if problem := wrong_python(sys.implementation.name, sys.version_info[:2]):
        parser.error(problem)
    report = build(args.out.resolve())
    print(render(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
