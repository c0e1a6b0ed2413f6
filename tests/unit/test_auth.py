"""Who is calling: the local stage's signed tokens (PyJWT) and the cloud's Cognito claims."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from chalice import Chalice, CognitoUserPoolAuthorizer
from chalice.app import Request
from chalice.test import Client

import app
from chalicelib import auth
from chalicelib.config import Settings, get_settings
from chalicelib.errors import (
    BadRequestError,
    NotConfiguredError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)

KEY = "k" * 64  # long enough for HS512 too (RFC 7518: the hash size)
TTL_S = 60
LOCAL = Settings(auth_secret=KEY, token_ttl_s=TTL_S)
CLOUD = Settings(stage="prod", cloud_endpoint=None, dynamodb_endpoint=None)
# What API Gateway's Cognito authorizer hands a route: the ID token's claims, verified.
COGNITO_SUB = "8c7f3e1a-52d4-4b1e-9b7a-0d6c2f4e9a11"
COGNITO_CLAIMS = {
    "sub": COGNITO_SUB,
    "cognito:username": COGNITO_SUB,
    "email": "ana@example.org",
    "aud": "4p1c9qk5v0example",
    "token_use": "id",
}


def request(*, authorization: str | None = None, claims: dict | None = None) -> Request:
    """A request as Chalice builds it from API Gateway's event."""
    context = {"httpMethod": "GET", "resourcePath": "/recordings"}
    if claims is not None:
        context["authorizer"] = {"claims": claims, "principalId": claims.get("sub")}
    headers = {} if authorization is None else {"authorization": authorization}
    return Request(
        {
            "multiValueQueryStringParameters": None,
            "headers": headers,
            "pathParameters": None,
            "requestContext": context,
            "body": None,
            "stageVariables": None,
        }
    )


def bearer(token: str) -> str:
    return f"Bearer {token}"


def signed(claims: dict, key: str = KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def fresh_claims(**changes) -> dict:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + TTL_S, **changes}


def local_user(header: str | None) -> str:
    return auth.user_of(request(authorization=header), settings=LOCAL)


def test_a_token_is_a_jwt_of_the_username_that_lasts_its_ttl():
    now = time.time()
    token = auth.issue_token("alice", settings=LOCAL, now=now)
    assert auth.TOKEN.fullmatch(token)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    assert claims == {"sub": "alice", "iat": int(now), "exp": int(now) + TTL_S}
    assert local_user(bearer(token)) == "alice"


def test_an_expired_token_says_so():
    issued = auth.issue_token("alice", settings=LOCAL, now=time.time() - TTL_S - 5)
    with pytest.raises(UnauthorizedError, match="the token has expired: sign in again"):
        local_user(bearer(issued))


# Built when the test runs: a token built at collection would expire before a long run reaches it.
NOT_OURS = {
    "another key": lambda: signed(fresh_claims(), key="another-key-" + "x" * 32),
    "HS512": lambda: signed(fresh_claims(), algorithm="HS512"),
    "alg none": lambda: jwt.encode(fresh_claims(), None, algorithm="none"),
    "alg none, our signature": lambda: (
        jwt.encode(fresh_claims(), None, algorithm="none") + signed(fresh_claims()).split(".")[2]
    ),
    **{
        f"no {claim}": lambda claim=claim: signed(
            {k: v for k, v in fresh_claims().items() if k != claim}
        )
        for claim in auth.CLAIMS
    },
    "sub not a username": lambda: signed(fresh_claims(sub="Alice/../bob")),
    "sub a number": lambda: signed(fresh_claims(sub=42)),
    "issued in the future": lambda: signed(fresh_claims(iat=int(time.time()) + 3600)),
    "three parts of nothing": lambda: "a.b.c",
    "one part": lambda: "not-a-jwt",
    "not ASCII": lambda: "a.\xe9.b",
    "not ASCII at all": lambda: "\xe9\u2603.x.y",
}


@pytest.mark.parametrize("forgery", NOT_OURS)
def test_a_token_we_did_not_sign_as_it_is_is_not_valid(forgery):
    with pytest.raises(UnauthorizedError, match="the token is not valid: sign in again"):
        local_user(bearer(NOT_OURS[forgery]()))


def test_a_tampered_token_is_not_valid():
    header, _, signature = auth.issue_token("alice", settings=LOCAL, now=time.time()).split(".")
    claims = base64.urlsafe_b64encode(json.dumps(fresh_claims(sub="bob")).encode()).rstrip(b"=")
    with pytest.raises(UnauthorizedError, match="not valid"):
        local_user(bearer(f"{header}.{claims.decode()}.{signature}"))


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer  ", "Basic YWxpY2U6eA==", "alice"])
def test_a_request_without_a_bearer_token_is_told_to_sign_in(header):
    with pytest.raises(UnauthorizedError, match="sign in first"):
        local_user(header)


@pytest.mark.parametrize("name", ["", "Alice", "a/b", "a" * 65, 42, None, "alice\n"])
def test_usernames_are_checked(name):
    with pytest.raises(BadRequestError):
        auth.check_username(name)


@pytest.mark.parametrize(
    "label", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_a_sign_in_labelled_json_is_read(label):
    auth.check_sign_in_label(label)


@pytest.mark.parametrize(
    ("label", "named"),
    [
        # What a page elsewhere may send without asking the API first (no CORS preflight).
        ("text/plain;charset=UTF-8", "not 'text/plain;charset=UTF-8'"),
        ("application/x-www-form-urlencoded", "not 'application/x-www-form-urlencoded'"),
        ("multipart/form-data; boundary=x", "not 'multipart/form-data; boundary=x'"),
        # fetch() with a Blob of no type sends no label at all.
        (None, "it has none"),
        ("application/jsonp", "not 'application/jsonp'"),
    ],
)
def test_a_sign_in_not_labelled_json_is_refused_saying_why(label, named):
    with pytest.raises(UnsupportedMediaTypeError, match="'Content-Type: application/json'") as e:
        auth.check_sign_in_label(label)
    assert e.value.status_code == 415
    assert e.value.message.endswith(f"({named})")


def test_a_local_api_without_a_key_neither_issues_nor_checks_tokens():
    keyless = Settings.from_environ({})
    token = auth.issue_token("alice", settings=LOCAL, now=time.time())
    for attempt in (
        lambda: auth.issue_token("alice", settings=keyless, now=time.time()),
        lambda: auth.user_of(request(authorization=bearer(token)), settings=keyless),
    ):
        with pytest.raises(NotConfiguredError, match="start it with make run") as refused:
            attempt()
        assert refused.value.status_code == 503


@pytest.fixture
def keyless_api(monkeypatch):
    """app.py as `chalice local` serves it when started without the local stack."""
    monkeypatch.delenv("AUTH_SECRET", raising=False)
    get_settings.cache_clear()
    yield app.app
    get_settings.cache_clear()


def test_a_local_api_started_without_the_stack_says_how_to_start_it(keyless_api):
    with Client(keyless_api) as client:
        answer = client.http.post(
            "/auth/login",
            body=json.dumps({"username": "alice"}),
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 503
    assert answer.json_body == {
        "error": "the local stack gave the API no token key: start it with make run"
    }


def test_the_cloud_user_is_the_verified_cognito_sub():
    assert auth.user_of(request(claims=COGNITO_CLAIMS), settings=CLOUD) == COGNITO_SUB


def test_the_cloud_ignores_the_authorization_header_api_gateway_already_checked():
    # The header is the ID token API Gateway verified; the route reads its claims, not the
    # header, which a local token could not pass for.
    local_token = bearer(auth.issue_token("alice", settings=LOCAL, now=time.time()))
    verified = request(authorization=local_token, claims=COGNITO_CLAIMS)
    assert auth.user_of(verified, settings=CLOUD) == COGNITO_SUB
    with pytest.raises(UnauthorizedError, match="sign in first"):
        auth.user_of(request(authorization=local_token), settings=CLOUD)


@pytest.mark.parametrize("claims", [{}, {"email": "ana@example.org"}, {"sub": ""}, {"sub": 7}])
def test_a_cloud_request_without_a_usable_sub_acts_for_no_one(claims):
    with pytest.raises(UnauthorizedError, match="sign in first"):
        auth.user_of(request(claims=claims), settings=CLOUD)


def test_the_local_stage_ignores_claims_in_the_request_context():
    # chalice local's imitation of Cognito would put an unverified token's claims there.
    with pytest.raises(UnauthorizedError, match="sign in first"):
        auth.user_of(request(claims=COGNITO_CLAIMS), settings=LOCAL)


def test_chalice_local_lets_the_local_check_answer_every_token():
    # With a bare CognitoUserPoolAuthorizer, chalice local fails on a token that is not a JWT
    # (the client sees a dropped connection) and trusts the claims of one that is.
    local = Chalice("users-only")
    users = auth.GatewayOnly(CognitoUserPoolAuthorizer("users", provider_arns=["arn:example"]))

    @local.route("/me", authorizer=users)
    def me():
        try:
            return {"user": auth.user_of(local.current_request, settings=LOCAL)}
        except UnauthorizedError as e:
            return {"error": e.message}

    forged = jwt.encode({"sub": "bob", "cognito:username": "bob"}, "guessed" * 8, algorithm="HS256")
    answers = {}
    with Client(local) as client:
        for header in ("Bearer not-a-jwt", "Bearer a.\xe9.b", "Bearer a.WzFd.b", bearer(forged)):
            with pytest.warns(UserWarning, match="not a supported in local mode"):
                answers[header] = client.http.get("/me", headers={"Authorization": header})
        good = bearer(auth.issue_token("alice", settings=LOCAL, now=time.time()))
        with pytest.warns(UserWarning):
            answers[good] = client.http.get("/me", headers={"Authorization": good})
    assert {header: answer.json_body for header, answer in answers.items()} == {
        **{header: {"error": auth.INVALID} for header in list(answers)[:4]},
        good: {"user": "alice"},
    }
