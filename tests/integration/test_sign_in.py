"""Sign-in on the local stack: every route that needs a token refuses a request without a valid
one, and a token outlives a restart of the stack.

The routes come from the served /openapi.json (its operations with the ``bearer`` security), so
a new route is covered as soon as it is documented; tests/unit/test_openapi.py keeps the
document equal to app.py's routes.
"""

from __future__ import annotations

import re
import stat
import time
import uuid

import jwt
import pytest

from infra.local.__main__ import TOKEN_KEY_FILE
from infra.local.harness import ApiClient, ApiUser, RunningStack, running_stack

SIGN_IN = "sign in first"
INVALID = "the token is not valid: sign in again"
EXPIRED = "the token has expired: sign in again"


def signed(key: str, algorithm: str = "HS256", **changes) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "alice", "iat": now, "exp": now + 60, **changes}, key, algorithm)


def refusals() -> dict[str, tuple[dict, str]]:
    """Requests that must be refused: their headers and the reason the answer gives."""
    key = TOKEN_KEY_FILE.read_text().strip()
    an_hour_ago = int(time.time()) - 3600
    return {
        "no token": ({}, SIGN_IN),
        "not bearer": ({"Authorization": "Basic YWxpY2U6eA=="}, SIGN_IN),
        "not a JWT": ({"Authorization": "Bearer not-a-jwt"}, INVALID),
        "not ASCII": ({"Authorization": "Bearer a.\xe9.b"}, INVALID),
        "another key": ({"Authorization": f"Bearer {signed('guessed' * 8)}"}, INVALID),
        "alg none": ({"Authorization": f"Bearer {signed(None, 'none')}"}, INVALID),
        "expired": (
            {"Authorization": f"Bearer {signed(key, iat=an_hour_ago, exp=an_hour_ago + 60)}"},
            EXPIRED,
        ),
    }


def path_with_ids(path: str, operation: dict, known: dict[str, str]) -> str:
    """``path`` with each parameter filled by a real id (``known``) or a new one of its shape."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        value = known.get(parameter["name"], str(uuid.uuid4()))
        pattern = parameter["schema"].get("pattern")
        assert pattern is None or re.search(pattern, value), (
            f"{parameter['name']}: give this test a real id of the shape {pattern}"
        )
        path = path.replace("{" + parameter["name"] + "}", value)
    return path


@pytest.fixture(scope="module")
def served_document(stack: RunningStack) -> dict:
    answer = ApiClient(stack.api_url).request("GET", "/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def test_every_route_that_needs_a_token_refuses_a_request_without_a_valid_one(
    stack: RunningStack, alice: ApiUser, served_document: dict
):
    # alice's own recording: the token alone is why a request is refused.
    created = alice.request(
        "POST", "/recordings", json={"filename": "guarded.wav", "size": 10, "content_type": ""}
    )
    known = {"recording_id": created.json()["recording"]["id"]}
    secured = [
        (method, path, operation)
        for path, operations in served_document["paths"].items()
        for method, operation in operations.items()
        if {"bearer": []} in operation.get("security", served_document["security"])
    ]
    assert len(secured) >= 8  # the recordings routes, at least
    wrong = []
    visitor = ApiClient(stack.api_url)
    for method, path, operation in secured:
        filled = path_with_ids(path, operation, known)
        for name, (headers, reason) in refusals().items():
            answer = visitor.request(method, filled, headers=headers)
            if answer.status_code != 401 or reason not in answer.json().get("error", ""):
                wrong.append(
                    f"{method.upper()} {path} with {name}: {answer.status_code} {answer.text}"
                )
    assert wrong == []
    # And the routes do answer alice, with her token.
    assert alice.request("GET", f"/recordings/{known['recording_id']}").status_code == 200


def test_a_token_outlives_a_restart_of_the_stack():
    with running_stack() as first:
        carol = ApiUser(first.api_url, "carol")
        assert carol.request("GET", "/recordings").status_code == 200
    with running_stack() as second:
        answer = ApiClient(second.api_url).request(
            "GET", "/recordings", headers={"Authorization": carol.session.headers["Authorization"]}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["recordings"] == []  # a new local cloud, the same key
    assert stat.S_IMODE(TOKEN_KEY_FILE.stat().st_mode) == 0o600


@pytest.mark.parametrize("label", ["text/plain;charset=UTF-8", None])
def test_a_sign_in_not_labelled_json_is_refused(stack: RunningStack, label: str | None):
    # What a page may send across origins without the API's leave; None: a Blob of no type.
    answer = ApiClient(stack.api_url).request(
        "POST",
        "/auth/login",
        data=b'{"username": "alice"}',
        headers={"Content-Type": label} if label else {},
    )
    assert answer.status_code == 415, answer.text
    assert "labelled 'Content-Type: application/json'" in answer.json()["error"]
