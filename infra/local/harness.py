"""Drive the local stack as a user does: started as `make run` starts it, used over HTTP.

The integration tests and the end-to-end benchmark share this.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import requests
from botocore.config import Config

from infra.local.conformance import Conformance

ROOT = Path(__file__).resolve().parents[2]
# LocalStack's first start installs it (about a minute).
READY_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningStack:
    process: subprocess.Popen
    api_url: str
    cloud_url: str
    ui_url: str
    log: list[str]

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.cloud_url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(s3={"addressing_style": "path"}),
        )

    def stored(self, bucket: str, prefix: str) -> list[str]:
        """The keys of the objects under ``prefix`` in ``bucket`` of the local cloud."""
        listing = self.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
        return [o["Key"] for o in listing.get("Contents", [])]


class ApiClient:
    """A client of the HTTP API without a token (someone not signed in, or a test of 401s).

    Every answer is checked against the API's own /openapi.json (infra/local/conformance.py):
    an answer the document does not allow raises AssertionError.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        # This stack's own: another (say with another upload limit) may serve another.
        served = self.session.get(f"{base_url}/openapi.json", timeout=10)
        served.raise_for_status()
        self._document = Conformance(served.json())

    def request(
        self, method: str, path: str, *, timeout: float = 30, **kwargs
    ) -> requests.Response:
        answer = self.session.request(method, self.base_url + path, timeout=timeout, **kwargs)
        # A followed redirect: the API's own answer is the first.
        own = answer.history[0] if answer.history else answer
        self._document.check(method, path, own.status_code, own.headers, own.content)
        return answer


class ApiUser(ApiClient):
    """A signed-in user of the HTTP API."""

    def __init__(self, base_url: str, username: str) -> None:
        super().__init__(base_url)
        self.username = username
        answer = self.request("POST", "/auth/login", json={"username": username})
        assert answer.status_code == 200, answer.text
        self.session.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def upload(
        self,
        filename: str,
        data: bytes,
        content_type: str = "audio/wav",
        *,
        stored_type: str | None = None,
    ) -> dict:
        """POST /recordings, then the presigned POST straight to the bucket, as a browser does.

        ``stored_type`` replaces the type in the form: moto stores it although the
        policy pins another (as a misconfigured bucket would), so tests can plant a bad
        object.
        """
        created = self.request(
            "POST",
            "/recordings",
            json={"filename": filename, "size": len(data), "content_type": content_type},
        )
        assert created.status_code == 201, created.text
        body = created.json()
        form = body["upload"]
        fields = {**form["fields"], **({"Content-Type": stored_type} if stored_type else {})}
        sent = requests.post(form["url"], data=fields, files={"file": (filename, data)}, timeout=60)
        assert sent.status_code in (200, 201, 204), sent.text
        return body["recording"]

    def wait_until_done(self, recording_id: str, timeout_s: float = 120) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            answer = self.request("GET", f"/recordings/{recording_id}/spectrogram/status")
            assert answer.status_code == 200, answer.text
            status = answer.json()
            if status["status"] in ("COMPLETED", "FAILED"):
                return status
            time.sleep(0.25)
        raise AssertionError(f"{recording_id} still {status['status']} after {timeout_s} s")


@contextmanager
def running_stack(**env: str) -> Iterator[RunningStack]:
    """``python -m infra.local`` (what `make run` runs) on free ports, stopped by SIGTERM."""
    cloud_port, api_port, ui_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "LOCAL_CLOUD_PORT": str(cloud_port),
        "API_PORT": str(api_port),
        "UI_PORT": str(ui_port),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    ready = threading.Event()

    def read_output() -> None:
        for line in process.stdout:
            log.append(line)
            sys.stderr.write(line)
            if "ready" in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    if not ready.wait(READY_TIMEOUT_S):
        process.kill()
        raise RuntimeError("the local stack did not print 'ready':\n" + "".join(log))
    try:
        yield RunningStack(
            process,
            f"http://127.0.0.1:{api_port}",
            f"http://127.0.0.1:{cloud_port}",
            f"http://127.0.0.1:{ui_port}",
            log,
        )
    finally:
        # `make run` must stop cleanly on SIGTERM, taking every child with it.
        process.send_signal(signal.SIGTERM)
        stopped = process.wait(30)
    if stopped != 0:
        raise RuntimeError("the local stack did not stop cleanly:\n" + "".join(log[-20:]))
    for port in (cloud_port, api_port, ui_port):
        with socket.socket() as s:
            # SO_REUSEADDR: connections in TIME_WAIT are fine, a listener is not.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
