"""The local stack answers Sonagram's UI and the developer's own tools, not other pages.

Any page open in the developer's browser may send requests to 127.0.0.1: another page's Origin
is refused by the API and the local cloud (and gets no CORS answer to read), and a Host other
than the server's own (a page's domain re-pointed at 127.0.0.1: DNS rebinding) by all three.
The API also answers a method of no route as API Gateway does (405), not with chalice local's 501.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from infra.local.harness import RunningStack

PAGE_ELSEWHERE = "http://attacker.example"
CORS_ORIGIN = "Access-Control-Allow-Origin"


def served(stack: RunningStack) -> dict[str, str]:
    """A URL on each server that answers 200 to its own tools."""
    return {
        "API": f"{stack.api_url}/health",
        "UI": f"{stack.ui_url}/config.json",
        "cloud": f"{stack.cloud_url}/recordings",
    }


@pytest.mark.parametrize("server", ["API", "UI", "cloud"])
@pytest.mark.parametrize("name", ["rebound.example", "localhost"])
def test_a_request_for_another_host_is_refused(stack: RunningStack, server: str, name: str):
    url = served(stack)[server]
    port = urlsplit(url).port
    assert requests.get(url, timeout=10).status_code == 200
    answer = requests.get(url, headers={"Host": f"{name}:{port}"}, timeout=10)
    assert answer.status_code == 421, answer.text
    assert answer.json() == {
        "error": f"this server answers to 127.0.0.1:{port} only, not to Host "
        f"'{name}:{port}': open http://127.0.0.1:{port}/"
    }


@pytest.mark.parametrize("server", ["API", "cloud"])
@pytest.mark.parametrize("preflight", [False, True], ids=["GET", "preflight"])
def test_another_page_is_refused_and_gets_no_cors_answer(
    stack: RunningStack, server: str, preflight: bool
):
    url = served(stack)[server]
    method, asks = (
        ("OPTIONS", {"Access-Control-Request-Method": "POST"}) if preflight else ("GET", {})
    )
    answer = requests.request(method, url, headers={"Origin": PAGE_ELSEWHERE, **asks}, timeout=10)
    assert answer.status_code == 403, answer.text
    assert not [name for name in answer.headers if name.lower().startswith("access-control")]
    assert answer.json() == {
        "error": f"pages from {PAGE_ELSEWHERE} may not use this server: only Sonagram's UI "
        f"at {stack.ui_url}"
    }
    # The UI's own requests are answered, naming the UI (never "*").
    answer = requests.request(method, url, headers={"Origin": stack.ui_url, **asks}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers[CORS_ORIGIN] == stack.ui_url


def test_tools_that_send_no_origin_are_answered_naming_the_ui(stack: RunningStack):
    for server in ("API", "cloud"):
        answer = requests.get(served(stack)[server], timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.headers[CORS_ORIGIN] == stack.ui_url, server


def test_another_page_cannot_sign_in_with_a_body_it_may_send_unasked(stack: RunningStack):
    # fetch(api + "/auth/login", {method: "POST", body: '{"username":"alice"}'}) on any page:
    # text/plain needs no CORS preflight.
    answer = requests.post(
        f"{stack.api_url}/auth/login",
        data='{"username":"alice"}',
        headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": PAGE_ELSEWHERE},
        timeout=10,
    )
    assert answer.status_code == 403, answer.text
    assert CORS_ORIGIN not in answer.headers
    assert "token" not in answer.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("TRACE", "/recordings", "GET, OPTIONS, POST"),
        ("PROPFIND", "/recordings/r-1/annotations", "GET, OPTIONS, PATCH, PUT"),
        ("TRACE", "/no/such/route", ""),
    ],
)
def test_a_method_of_no_route_is_not_allowed(stack: RunningStack, method, path, allowed):
    answer = requests.request(method, stack.api_url + path, timeout=10)
    assert answer.status_code == 405, answer.text
    assert answer.headers["Allow"] == allowed
    assert answer.json() == {"error": f"{method} is not a method of this API"}
