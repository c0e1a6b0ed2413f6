"""What each server of the local stack refuses before it answers: the API, the UI and the cloud.

Every page the developer visits runs in the same browser as Sonagram's UI, and may send requests
to 127.0.0.1. Two kinds are refused:

- a ``Host`` other than the server's own ``127.0.0.1:<port>`` (421): a page whose domain has been
  re-pointed at 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the stack;
- an ``Origin`` other than the UI's (403), on the servers the UI calls across origins (the API
  and the cloud): another page's request is not carried out at all, rather than only kept
  unreadable. Requests without an ``Origin`` (curl, boto3, the tests) are not a page's.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

LOOPBACK = "127.0.0.1"


def refusal(
    *, host: str | None, origin: str | None, port: int, ui_origin: str | None
) -> tuple[HTTPStatus, str] | None:
    """Why a request to the server on ``port`` is refused, or None.

    ``ui_origin`` None: any Origin may ask (the UI server: what it serves is public).
    """
    own = f"{LOOPBACK}:{port}"
    if host != own:
        return (
            HTTPStatus.MISDIRECTED_REQUEST,
            f"this server answers to {own} only, not to Host {host!r}: open http://{own}/",
        )
    if ui_origin is not None and origin is not None and origin != ui_origin:
        return (
            HTTPStatus.FORBIDDEN,
            f"pages from {origin} may not use this server: only Sonagram's UI at {ui_origin}",
        )
    return None


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


class LoopbackOnly(BaseHTTPRequestHandler):
    """A handler that refuses, before anything else, what :func:`refusal` refuses.

    ``ui_origin``: the one page origin allowed to ask, or None for any.
    """

    ui_origin: str | None = None

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        refused = refusal(
            host=self.headers.get("Host"),
            origin=self.headers.get("Origin"),
            port=self.server.server_address[1],
            ui_origin=self.ui_origin,
        )
        if refused is not None:
            self.refuse(*refused)
            return False
        return True

    def refuse(
        self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None
    ) -> None:
        """Answer ``{"error": message}`` and close the connection (the body is left unread)."""
        body = error_body(message)
        self.send_response(status)
        for name, value in {
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            "Connection": "close",
            **(headers or {}),
        }.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True
