"""LocalStack as the local S3 and SQS (``LOCAL_CLOUD=localstack``).

Unlike moto, LocalStack enforces presigned POST policies (key, content type,
size range, expiry, signature), so it is the local cloud that can prove our
upload URLs refuse what they should. It needs Python 3.13 (localstack-core does
not run on 3.11), so it lives in its own virtual environment, made on first
use; its DynamoDB does not run offline, so the tables stay on a moto server.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".local-cloud" / "localstack-venv"
REQUIREMENTS = [
    "localstack-core[runtime]==2026.3.0",
    "cbor2<6",
    "pyopenssl<25",
    "service_identity",
]


def find_python() -> str:
    """A Python 3.13: ``LOCALSTACK_PYTHON``, one on PATH, or pyenv's."""
    candidates = [os.environ.get("LOCALSTACK_PYTHON"), shutil.which("python3.13")]
    candidates += sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.13*/bin/python3.13")))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError(
        "LocalStack needs Python 3.13: install it (e.g. `pyenv install 3.13`) "
        "or set LOCALSTACK_PYTHON to its path"
    )


def ensure_installed() -> Path:
    """The venv's python, installing LocalStack when the pins changed."""
    python = VENV / "bin" / "python"
    stamp = VENV / "installed.txt"
    wanted = "\n".join(REQUIREMENTS)
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    subprocess.run([find_python(), "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True)
    stamp.write_text(wanted)
    return python


def command_and_env(port: int, data_dir: Path) -> tuple[list[str], dict[str, str]]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "GATEWAY_LISTEN": f"127.0.0.1:{port}",
        "LOCALSTACK_HOST": f"127.0.0.1:{port}",
        "SERVICES": "s3,sqs",
        "GATEWAY_SERVER": "hypercorn",
        "SQS_ENDPOINT_STRATEGY": "path",
        "DNS_ADDRESS": "0",
        "DISABLE_EVENTS": "1",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "S3_SKIP_SIGNATURE_VALIDATION": "0",
        "FILESYSTEM_ROOT": str(data_dir),
        "TMPDIR": str(data_dir),
    }
    return [str(ensure_installed()), "-m", "localstack.runtime.main"], env
