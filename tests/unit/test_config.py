"""Settings from the environment: the token key, which only the local API gets."""

from __future__ import annotations

from chalicelib.config import Settings


def test_the_api_takes_the_token_key_it_is_given():
    assert Settings.from_environ({"AUTH_SECRET": "k" * 43}).auth_secret == "k" * 43


def test_without_a_key_there_is_none_never_a_default():
    # The worker, the sweeper and the cloud API check no tokens of ours; a local API started
    # without the stack refuses them (tests/unit/test_auth.py).
    for stage in ("local", "prod"):
        assert Settings.from_environ({"SONAGRAM_STAGE": stage}).auth_secret is None
        assert (
            Settings.from_environ({"SONAGRAM_STAGE": stage, "AUTH_SECRET": ""}).auth_secret is None
        )
