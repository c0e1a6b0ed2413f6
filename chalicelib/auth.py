"""Who is calling: one answer on both stages (:func:`user_of`).

Cloud stage: API Gateway's Cognito user-pool authorizer verifies the ID token before a route
runs and hands the route its claims; the user is the claim ``sub``.

Local stage: ``POST /auth/login`` issues a signed token (HS256 JWT) for a username, with no
password: the local stack listens on 127.0.0.1 only, so knowing a username is enough to act as
that user there. The key is the one the local stack generated on its first run. Other pages in
the developer's browser may send requests to 127.0.0.1 too: the sign-in takes a body labelled
``application/json`` only, which a page may send across origins only with the API's leave (a
CORS preflight, which the local stack gives the UI's origin alone: infra/local/api.py).
"""

from __future__ import annotations

import re

from chalice.app import Authorizer, Request

from chalicelib.config import Settings
from chalicelib.errors import (
    BadRequestError,
    NotConfiguredError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# What issue_token makes: a JWT, three base64url parts.
TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
ALGORITHM = "HS256"
CLAIMS = ["sub", "iat", "exp"]

# The authorizer's name in the API definition; infra/api.py gives it the user pool's ARN,
# which does not exist yet when app.py is imported.
AUTHORIZER = "users"
USER_POOL_PLACEHOLDER = "arn:aws:cognito-idp:region:account:userpool/set-by-infra-stack"

SIGN_IN = "sign in first: send 'Authorization: Bearer <token>'"
EXPIRED = "the token has expired: sign in again"
INVALID = "the token is not valid: sign in again"


class GatewayOnly(Authorizer):
    """``authorizer`` as API Gateway gets it; to ``chalice local``, one it lets through.

    chalice local (1.34, local.py) imitates a CognitoUserPoolAuthorizer by trusting the claims
    of whatever token it is sent, unverified, and drops the connection on one that is not a JWT.
    Authorizers of other types it admits with a warning, so the local stage's own check
    (:func:`user_of`) decides there, on every request alike.
    """

    def __init__(self, authorizer: Authorizer) -> None:
        self.name = authorizer.name
        self.scopes = authorizer.scopes
        self._authorizer = authorizer

    def to_swagger(self) -> dict:
        return self._authorizer.to_swagger()


def check_sign_in_label(content_type: str | None) -> None:
    """A sign-in's body must say it is JSON: a page elsewhere may send text/plain unasked."""
    if (content_type or "").partition(";")[0].strip().lower() != "application/json":
        given = f"not {content_type!r}" if content_type else "it has none"
        raise UnsupportedMediaTypeError(
            f"send the sign-in as JSON, labelled 'Content-Type: application/json' ({given})"
        )


def check_username(username: object) -> str:
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise BadRequestError(
            "username must be 1-64 characters: lowercase letters, digits, '.', '_' or '-'"
        )
    return username


def _key(settings: Settings) -> str:
    if settings.auth_secret is None:
        # The stack's fault, not the caller's: no key is ever guessed.
        raise NotConfiguredError(
            "the local stack gave the API no token key: start it with make run"
        )
    return settings.auth_secret


def issue_token(username: str, *, settings: Settings, now: float) -> str:
    import jwt  # local stage only: see user_from_header

    claims = {"sub": username, "iat": int(now), "exp": int(now) + settings.token_ttl_s}
    return jwt.encode(claims, _key(settings), algorithm=ALGORITHM)


def user_from_header(header: str | None, *, settings: Settings) -> str:
    """The username a ``Bearer`` token of :func:`issue_token` proves, or UnauthorizedError.

    PyJWT checks the signature (HS256 only: no ``none``, no other algorithm), the claims
    ``sub``, ``iat`` and ``exp``, and the expiry against the system clock.
    """
    # Imported here: only the local stage checks tokens itself, and PyJWT (with the
    # cryptography package it loads where installed) costs a cold start ~40 ms.
    import jwt

    key = _key(settings)
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError(SIGN_IN)
    try:
        claims = jwt.decode(token.strip(), key, algorithms=[ALGORITHM], options={"require": CLAIMS})
    except jwt.ExpiredSignatureError as e:
        raise UnauthorizedError(EXPIRED) from e
    except jwt.InvalidTokenError as e:
        raise UnauthorizedError(INVALID) from e
    if not isinstance(claims["sub"], str) or not USERNAME.fullmatch(claims["sub"]):
        raise UnauthorizedError(INVALID)
    return claims["sub"]


def _cognito_user(request: Request) -> str:
    """The Cognito user API Gateway verified: the claim ``sub``.

    ``sub`` is the user's permanent id in the pool: a username or an email may change, and may
    be given to someone else once its account is deleted; ``sub`` never is. It is also safe as
    the owner's S3 prefix (lowercase hex and hyphens).
    """
    claims = (request.context.get("authorizer") or {}).get("claims") or {}
    sub = claims.get("sub")
    if not isinstance(sub, str) or not USERNAME.fullmatch(sub):
        # A route deployed without the authorizer: it must not act for anyone.
        raise UnauthorizedError(SIGN_IN)
    return sub


def user_of(request: Request, *, settings: Settings) -> str:
    """The user a request acts for, on either stage, or UnauthorizedError.

    On the local stage any claims in the request context are ignored: chalice local's
    imitation of Cognito would put there whatever a token says, unverified.
    """
    if settings.is_local:
        return user_from_header(request.headers.get("authorization"), settings=settings)
    return _cognito_user(request)
