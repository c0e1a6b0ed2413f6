"""``chalice local`` as the local stage's API Gateway: ``python -m infra.local.api local ...``.

The same command and server, with what the local stage needs beyond chalice local:

- a listen backlog of 128: chalice local's threaded server keeps socketserver's 5, so a page
  (or a benchmark) that opens dozens of requests at once has some connections reset before a
  thread could take them;
- requests from other pages, or to another Host, refused (infra/local/guard.py), and its CORS
  answers naming the UI's origin only: /auth/login gives a token to whoever asks, so on this
  stage a page that may read the API's answers may act as anyone;
- 405 for a method no route has (TRACE, say), as API Gateway refuses it, where chalice local
  answers 501;
- answers sent without Nagle's delay: chalice local writes the headers and the body apart,
  and on a kept-alive connection the body then waited for the client's delayed ACK, 40 ms
  on every request (GET /health took 44 ms p50, now 1 ms).
"""

from __future__ import annotations

import functools
import os
import sys
from http import HTTPStatus

from chalice import local
from chalice.cli import main

from chalicelib.config import Settings
from infra.local.guard import LoopbackOnly

LISTEN_BACKLOG = 128
CORS_ORIGIN = "Access-Control-Allow-Origin"


class LocalGatewayHandler(LoopbackOnly, local.ChaliceRequestHandler):
    disable_nagle_algorithm = True

    def __init__(self, *args, app_object, ui_origin: str, **kwargs) -> None:
        self.routes = app_object.routes
        self.ui_origin = ui_origin
        super().__init__(*args, app_object=app_object, **kwargs)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if hasattr(self, f"do_{self.command}"):
            return True
        self.refuse(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{self.command} is not a method of this API",
            {"Allow": ", ".join(self.methods_of(self.path))},
        )
        return False

    def methods_of(self, path: str) -> list[str]:
        """The methods the route of ``path`` answers (none for a path of no route)."""
        try:
            route = local.RouteMatcher(list(self.routes)).match_route(path).route
        except ValueError:
            return []
        return sorted({*self.routes[route], "OPTIONS"})

    def _send_http_response(self, code, headers, body) -> None:
        # The app declares every origin (API Gateway's answer in the cloud); here, the UI's.
        if CORS_ORIGIN in headers:
            headers[CORS_ORIGIN] = self.ui_origin
        super()._send_http_response(code, headers, body)


class LocalGateway(local.LocalDevServer):
    def __init__(self, app_object, config, host: str, port: int) -> None:
        handler = functools.partial(
            LocalGatewayHandler, ui_origin=Settings.from_environ(os.environ).ui_origin
        )
        super().__init__(app_object, config, host, port, handler_cls=handler)


if __name__ == "__main__":
    local.ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    local.LocalDevServer = LocalGateway
    sys.exit(main())
