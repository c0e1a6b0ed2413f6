import pytest

from chalicelib import auth
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, UnauthorizedError

SETTINGS = Settings(auth_secret="test-secret", token_ttl_s=60)


def test_a_token_proves_its_username_until_it_expires():
    token = auth.issue_token("alice", settings=SETTINGS, now=1000.0)
    assert auth.user_from_header(f"Bearer {token}", settings=SETTINGS, now=1059.0) == "alice"
    with pytest.raises(UnauthorizedError, match="expired"):
        auth.user_from_header(f"Bearer {token}", settings=SETTINGS, now=1061.0)


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Basic YWxpY2U6eA==", "Bearer a.b", "Bearer a.\xe9", "Bearer \xe9.\u2603"],
)
def test_missing_or_malformed_tokens_are_refused(header):
    with pytest.raises(UnauthorizedError):
        auth.user_from_header(header, settings=SETTINGS, now=1000.0)


def test_a_token_signed_with_another_secret_is_refused():
    other = Settings(auth_secret="another-secret")
    token = auth.issue_token("alice", settings=other, now=1000.0)
    with pytest.raises(UnauthorizedError, match="not valid"):
        auth.user_from_header(f"Bearer {token}", settings=SETTINGS, now=1000.0)


@pytest.mark.parametrize("name", ["", "Alice", "a/b", "a" * 65, 42, None, "alice\n"])
def test_usernames_are_checked(name):
    with pytest.raises(BadRequestError):
        auth.check_username(name)


def test_an_api_deployed_without_its_token_key_checks_no_token():
    keyless = Settings.from_environ({"SONAGRAM_STAGE": "prod"})
    token = auth.issue_token("alice", settings=Settings(), now=0)
    with pytest.raises(RuntimeError, match="no token key"):
        auth.user_from_header(f"Bearer {token}", settings=keyless, now=0)
