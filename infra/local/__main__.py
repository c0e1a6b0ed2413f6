"""``make run``: the whole local stack in the foreground.

Starts the local cloud (a moto server process, or LocalStack for S3 and SQS with
``LOCAL_CLOUD=localstack``), wires it like AWS, then the bridge (bucket notification
queue -> spectrogram function), the HTTP API (`chalice local`) and the browser app's
static server (infra/local/ui.py), prints one line containing ``ready`` with the URLs,
and stops every process it started on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from chalicelib.config import Settings, SettingsError
from infra.local import localstack
from infra.local.cloud import moto_command, provision, wait_until_up
from infra.local.token_key import token_key

ROOT = Path(__file__).resolve().parents[2]
# What the local stack keeps between runs (gitignored): logs, LocalStack's data, the token key.
STATE_DIR = ROOT / ".local-cloud"
TOKEN_KEY_FILE = STATE_DIR / "auth-secret"
STOP_GRACE_S = 10.0
# A bridge that dies sooner than this after starting is failing to start: stop.
BRIDGE_MIN_LIFE_S = 10.0
# Real credentials must never be sent to the local cloud. LocalStack checks presigned
# GET signatures against its default secret, "test".
LOCAL_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "SONAGRAM_STAGE": "local",
}


def _die_with_parent() -> None:
    """Children get SIGTERM if this process dies without cleaning up (Linux)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Stack:
    def __init__(self, environ: dict[str, str]) -> None:
        self.env = {**environ, **LOCAL_AWS_ENV, "PYTHONUNBUFFERED": "1"}
        self.kind = self.env.get("LOCAL_CLOUD", "moto")
        if self.kind not in ("moto", "localstack"):
            raise SystemExit(f"LOCAL_CLOUD must be moto or localstack, not {self.kind!r}")
        self.api_port = int(self.env.get("API_PORT", "8000"))
        self.ui_port = int(self.env.get("UI_PORT", "5173"))
        self.cloud_port = int(self.env.get("LOCAL_CLOUD_PORT", "4566"))
        if self.kind == "localstack":
            tables_port = int(self.env.get("LOCAL_DYNAMODB_PORT", self.cloud_port + 1))
            self.env["AWS_ENDPOINT_URL_DYNAMODB"] = f"http://127.0.0.1:{tables_port}"
        try:
            self.settings = Settings.from_environ(self.env)
        except SettingsError as e:
            raise SystemExit(str(e)) from None
        self.processes: list[subprocess.Popen] = []

    def start(
        self, name: str, command: list[str], env: dict[str, str] | None = None, quiet: bool = False
    ) -> subprocess.Popen:
        """Start a child; a ``quiet`` one (the local cloud's request log) logs to STATE_DIR."""
        output = None
        if quiet:
            STATE_DIR.mkdir(exist_ok=True)
            log_path = STATE_DIR / f"{name.split()[0]}-{len(self.processes)}.log"
            output = log_path.open("w")
            name = f"{name}, log in {log_path.relative_to(ROOT)}"
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=output,
            stderr=output,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        print(f"started {name} (pid {process.pid})", flush=True)
        self.processes.append(process)
        return process

    def up(self) -> None:
        self.start_cloud()
        os.environ.update(LOCAL_AWS_ENV)
        provision(self.settings)
        self.start_bridge()
        api = self.start(
            "API",
            [sys.executable, "-m", "infra.local.api", "local", "--host", "127.0.0.1"]
            + ["--port", str(self.api_port), "--stage", "local", "--no-autoreload"],
            # Only the API signs and checks tokens.
            env={"AUTH_SECRET": token_key(TOKEN_KEY_FILE)},
        )
        api_url = f"http://127.0.0.1:{self.api_port}"
        ui = self.start(
            "UI",
            [sys.executable, "-m", "infra.local.ui", "--port", str(self.ui_port)]
            + ["--api-url", api_url],
        )
        ui_url = f"http://127.0.0.1:{self.ui_port}"
        wait_until_up(api_url + "/health", process=api)
        wait_until_up(ui_url + "/config.json", process=ui)
        print(
            f"Sonagram ready: UI {ui_url} | API {api_url}"
            f" | local cloud {self.settings.cloud_endpoint}",
            flush=True,
        )

    def start_bridge(self) -> None:
        self.bridge = self.start("bridge", [sys.executable, "-m", "infra.local.bridge"])
        self.bridge_started = time.monotonic()

    def restart_dead_bridge(self) -> bool:
        """Start the bridge again if it died (it holds no state: the queue does).

        False when it died young, which another start would only repeat.
        """
        if self.bridge.poll() is None:
            return True
        if time.monotonic() - self.bridge_started < BRIDGE_MIN_LIFE_S:
            return False
        print(f"bridge exited with {self.bridge.returncode}: starting it again", flush=True)
        self.processes.remove(self.bridge)
        self.start_bridge()
        return True

    def start_cloud(self) -> None:
        if self.kind == "moto":
            cloud = self.start(
                "moto (S3, SQS, DynamoDB)",
                moto_command(self.cloud_port, self.settings.ui_origin),
                quiet=True,
            )
            wait_until_up(self.settings.cloud_endpoint, process=cloud)
            return
        data_dir = STATE_DIR / f"localstack-{self.cloud_port}"
        command, env = localstack.command_and_env(self.cloud_port, data_dir)
        cloud = self.start("localstack (S3, SQS)", command, env, quiet=True)
        tables_url = self.settings.dynamodb_endpoint
        tables_port = int(tables_url.rsplit(":", 1)[1])
        tables = self.start(
            "moto (DynamoDB)", moto_command(tables_port, self.settings.ui_origin), quiet=True
        )
        wait_until_up(self.settings.cloud_endpoint + "/_localstack/health", process=cloud)
        wait_until_up(tables_url, process=tables)

    def down(self) -> None:
        # One at a time, last started first: the bridge stops its jobs before the cloud goes.
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> int:
    stack = Stack(dict(os.environ))
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        stack.up()
        while not stopping.wait(0.5):
            if not stack.restart_dead_bridge():
                print("the bridge keeps exiting: stopping", flush=True)
                return 1
            dead = [p for p in stack.processes if p.poll() is not None]
            if dead:
                print(f"{dead[0].args[0]} exited with {dead[0].returncode}: stopping", flush=True)
                return 1
        return 0
    finally:
        stack.down()
        print("Sonagram stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
