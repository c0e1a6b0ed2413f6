"""The account a project's owner adds as a member, found by the name they know it by.

The local stage has no accounts: any valid username is one, and it "exists" from the
moment someone signs in with it (no password), so adding a name nobody used yet is allowed.
The cloud's accounts are the Cognito user pool's: the owner gives a member's Cognito
username or e-mail, which must belong to an account that signed up already (adding
creates none); the member is stored by the account's ``sub``, the id every request of
theirs carries (chalicelib/auth.py), with the name they were added by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import auth, clients
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, NotConfiguredError, NotFoundError, StorageError

# Cognito's usernames and e-mail addresses, without the quote and backslash its ListUsers
# filter would need escaped, or any control or space character.
ACCOUNT_NAME = re.compile(r"[^\s\"\\\x00-\x1f\x7f]{1,128}")
# What an account's name is compared with, in the order tried.
FILTERED_BY = ("username", "email")
# Cognito codes that trying again later may answer differently.
RETRYABLE = frozenset({"TooManyRequestsException", "InternalErrorException"})


@dataclass(frozen=True)
class Account:
    """A user as requests name them (``username``: the local username, or the Cognito
    ``sub``) and as people know them (``name``: None on the local stage)."""

    username: str
    name: str | None


def find(given: object, *, settings: Settings) -> Account:
    """The account ``given`` names: a local username, or a Cognito username or e-mail.

    Raises BadRequestError for a name no account can have, NotFoundError when no account of
    the cloud's user pool has it.
    """
    if settings.is_local:
        return Account(auth.check_username(given), None)
    if not isinstance(given, str) or not ACCOUNT_NAME.fullmatch(given):
        raise BadRequestError(
            "username must be a member's username or e-mail address: 1 to 128 characters, "
            "no spaces, quotes or backslashes"
        )
    if settings.user_pool_id is None:
        raise NotConfiguredError("this stage names no user pool (USER_POOL_ID) to find members in")
    for attribute in FILTERED_BY:
        for user in _users_where(attribute, given, settings):
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            sub = attributes.get("sub", "")
            if auth.USERNAME.fullmatch(sub):
                return Account(sub, given)
    raise NotFoundError(
        f"no user {given!r} in this deployment: they must sign up first, then be added by "
        "the username or e-mail they signed up with"
    )


def _users_where(attribute: str, value: str, settings: Settings) -> list[dict]:
    try:
        answer = clients.cognito_idp(settings).list_users(
            UserPoolId=settings.user_pool_id,
            Filter=f'{attribute} = "{value}"',
            AttributesToGet=["sub"],
            Limit=2,
        )
    except ClientError as e:
        code = e.response.get("Error", {}).get("Code")
        raise StorageError(
            f"could not look up {value!r}: {code}", retryable=code in RETRYABLE
        ) from e
    except BotoCoreError as e:
        raise StorageError(f"could not look up {value!r}: {e}", retryable=True) from e
    return answer.get("Users", [])
