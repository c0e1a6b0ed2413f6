"""The local cloud's server: moto's app, as ``moto_server`` runs it, behind the stack's guard.

``python -m infra.local.guarded_moto --port 4566 --ui-origin http://127.0.0.1:5173``

moto answers every origin with permissive CORS (its bucket CORS rules included), and without
that global CORS the browser's presigned POSTs fail. So moto keeps it, and the guard in front
refuses another Host or another page's Origin (infra/local/guard.py) and names the UI's origin
in every CORS answer that is left. A Query reads the queried partition of the table or the
index, as DynamoDB does, not a sorted copy of the whole table (infra/local/partition_query.py).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterable

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from infra.local import partition_query
from infra.local.guard import LOOPBACK, error_body, refusal

CORS_ORIGIN = "access-control-allow-origin"


class LoopbackOnlyApp:
    """A WSGI app that refuses what :func:`refusal` refuses, then lets ``app`` answer."""

    def __init__(self, app: Callable, *, port: int, ui_origin: str) -> None:
        self.app = app
        self.port = port
        self.ui_origin = ui_origin

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        refused = refusal(
            host=environ.get("HTTP_HOST"),
            origin=environ.get("HTTP_ORIGIN"),
            port=self.port,
            ui_origin=self.ui_origin,
        )
        if refused is not None:
            status, message = refused
            body = error_body(message)
            start_response(
                f"{status.value} {status.phrase}",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]

        def start_naming_the_ui(status: str, headers: list[tuple[str, str]], *exc_info):
            named = [
                (name, self.ui_origin if name.lower() == CORS_ORIGIN else value)
                for name, value in headers
            ]
            return start_response(status, named, *exc_info)

        return self.app(environ, start_naming_the_ui)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ui-origin", required=True)
    args = parser.parse_args()
    # As moto_server: the stack stops its children with SIGTERM.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: sys.exit(0))
    partition_query.install()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        LOOPBACK,
        args.port,
        LoopbackOnlyApp(app, port=args.port, ui_origin=args.ui_origin),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
