"""The browser app's built files (frontend/dist) on UI_PORT, with the page's /config.json.

``make run`` builds them first (the Makefile's ``ui`` target); the local stack starts
this as one of its processes. Not built: every page says so, and how to build.
Every answer carries the app's Content-Security-Policy (infra/csp.py), and a request for
another Host is refused (infra/local/guard.py).
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chalicelib.config import Settings
from chalicelib.ui_config import ui_config
from infra.csp import content_security_policy
from infra.local.guard import LoopbackOnly

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"


class UiHandler(LoopbackOnly, SimpleHTTPRequestHandler):
    def __init__(self, *args, config: bytes, policy: str, **kwargs) -> None:
        self.config = config
        self.policy = policy
        super().__init__(*args, directory=str(DIST), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/config.json":
            self.answer(HTTPStatus.OK, "application/json", self.config)
        elif not (DIST / "index.html").is_file():
            self.answer(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                b"The browser app is not built: run `make ui` (make run builds it).\n",
            )
        else:
            super().do_GET()

    def answer(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the stack's own output is for its processes, not each asset request."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    args = parser.parse_args()
    # The stage's settings come in the environment, as the API's and the bridge's do.
    settings = Settings.from_environ()
    config = ui_config(settings, api_url=args.api_url, auth={"kind": "local"})
    policy = content_security_policy(
        api_origin=args.api_url, bucket_origins=[settings.cloud_endpoint]
    )
    handler = partial(UiHandler, config=json.dumps(config).encode(), policy=policy)
    with ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
