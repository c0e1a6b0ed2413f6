"""What every server of the local stack refuses before it answers (infra/local/guard.py)."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from infra.local.guard import refusal

PORT = 8000
UI = "http://127.0.0.1:5173"


def test_its_own_loopback_name_and_the_ui_are_answered():
    for origin in (None, UI):
        assert refusal(host="127.0.0.1:8000", origin=origin, port=PORT, ui_origin=UI) is None


@pytest.mark.parametrize(
    "host",
    [
        "rebound.example:8000",  # DNS rebinding: a page's own name, re-pointed at 127.0.0.1
        "localhost:8000",  # another origin than the UI's calls, to a browser
        "127.0.0.1:8001",
        "127.0.0.1",
        "[::1]:8000",
        None,
    ],
)
def test_another_host_is_misdirected_and_told_where_to_go(host):
    status, message = refusal(host=host, origin=None, port=PORT, ui_origin=UI)
    assert status == HTTPStatus.MISDIRECTED_REQUEST
    assert message.endswith("open http://127.0.0.1:8000/")


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://localhost:5173", "https://127.0.0.1:5173"]
)
def test_another_page_is_forbidden_where_only_the_ui_may_ask(origin):
    status, message = refusal(host="127.0.0.1:8000", origin=origin, port=PORT, ui_origin=UI)
    assert status == HTTPStatus.FORBIDDEN
    assert message == f"pages from {origin} may not use this server: only Sonagram's UI at {UI}"
    assert refusal(host="127.0.0.1:8000", origin=origin, port=PORT, ui_origin=None) is None
