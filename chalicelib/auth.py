"""Local-stage accounts: a username and an HMAC-signed bearer token, no password.

The local stack listens on 127.0.0.1 only, so knowing a username is enough to
act as that user there. In the cloud, Cognito issues the tokens instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, UnauthorizedError

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# What issue_token makes: two base64url parts. Anything else (non-ASCII included, which
# hmac.compare_digest cannot compare) is refused before the signature is checked.
TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, secret: str | None) -> str:
    if secret is None:
        # A deployment bug, not the caller's: refuse every token rather than guess a key.
        raise RuntimeError("no token key: give the API AUTH_SECRET_ARN (the CDK stack does)")
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def check_username(username: object) -> str:
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise BadRequestError(
            "username must be 1-64 characters: lowercase letters, digits, '.', '_' or '-'"
        )
    return username


def issue_token(username: str, *, settings: Settings, now: float) -> str:
    payload = _b64(json.dumps({"sub": username, "exp": int(now) + settings.token_ttl_s}).encode())
    return f"{payload}.{_signature(payload, settings.auth_secret)}"


def user_from_header(header: str | None, *, settings: Settings, now: float) -> str:
    """The username a ``Bearer`` Authorization header proves, or UnauthorizedError."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise UnauthorizedError("sign in first: send 'Authorization: Bearer <token>'")
    token = token.strip()
    if not TOKEN.fullmatch(token):
        raise UnauthorizedError("the token is not valid: sign in again")
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _signature(payload, settings.auth_secret)):
        raise UnauthorizedError("the token is not valid: sign in again")
    try:
        claims = json.loads(_unb64(payload))
    except ValueError as e:
        raise UnauthorizedError("the token is not valid: sign in again") from e
    if claims.get("exp", 0) < now:
        raise UnauthorizedError("the token has expired: sign in again")
    return check_username(claims.get("sub"))
