"""Settings from the environment: the token key, which only the local API gets, the upload
limit of each stage, and how often AWS requests are tried."""

from __future__ import annotations

import pytest

from chalicelib.config import Settings, SettingsError, get_settings, readable_bytes
from functions import spectrogram_worker, sweeper
from infra.local.__main__ import Stack
from infra.options import OptionError, StageOptions


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


MIB, GIB = 2**20, 2**30


def test_the_upload_limit_is_100_mib_unless_the_stage_says_otherwise():
    assert Settings.from_environ({}).max_upload_bytes == 100 * MIB
    assert Settings.from_environ({"MAX_UPLOAD_BYTES": str(2 * GIB)}).max_upload_bytes == 2 * GIB


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        (str(2 * GIB + 1), f"MAX_UPLOAD_BYTES must be 1 to {2 * GIB} (2 GiB), not {2 * GIB + 1}"),
        ("0", f"MAX_UPLOAD_BYTES must be 1 to {2 * GIB} (2 GiB), not 0"),
        ("-5", f"MAX_UPLOAD_BYTES must be 1 to {2 * GIB} (2 GiB), not -5"),
        ("1.5e9", "MAX_UPLOAD_BYTES must be a whole number, not '1.5e9'"),
    ],
)
def test_an_upload_limit_out_of_range_is_refused_with_a_sentence(value, sentence):
    with pytest.raises(SettingsError) as refused:
        Settings.from_environ({"MAX_UPLOAD_BYTES": value})
    assert str(refused.value) == sentence


def test_a_deploy_takes_an_upload_limit_up_to_2_gib_from_its_context():
    # make deploy STAGE=lab CDK_ARGS='-c max_upload_bytes=…': the stage's own limit.
    assert (
        StageOptions.from_context({"max_upload_bytes": str(2 * GIB)}.get).max_upload_bytes
        == 2 * GIB
    )
    with pytest.raises(OptionError) as refused:
        StageOptions.from_context({"max_upload_bytes": str(3 * GIB)}.get)
    assert str(refused.value) == (
        f"max_upload_bytes: MAX_UPLOAD_BYTES must be 1 to {2 * GIB} (2 GiB), not {3 * GIB}"
    )


def test_the_local_stack_refuses_to_start_with_a_bad_limit_and_says_why():
    with pytest.raises(SystemExit) as refused:
        Stack({"MAX_UPLOAD_BYTES": str(3 * GIB)})
    assert str(refused.value) == f"MAX_UPLOAD_BYTES must be 1 to {2 * GIB} (2 GiB), not {3 * GIB}"


@pytest.mark.parametrize(
    ("size", "said"), [(100 * MIB, "100 MiB"), (2 * GIB, "2 GiB"), (1000, "1000 bytes")]
)
def test_sizes_are_said_as_people_say_them(size, said):
    assert readable_bytes(size) == said


def test_aws_requests_are_tried_5_times_unless_the_environment_says_otherwise():
    assert Settings.from_environ({}).max_attempts == 5
    assert Settings.from_environ({"AWS_MAX_ATTEMPTS": "2"}).max_attempts == 2
    with pytest.raises(SettingsError, match="AWS_MAX_ATTEMPTS must be 1 or more, not 0"):
        Settings.from_environ({"AWS_MAX_ATTEMPTS": "0"})


@pytest.mark.parametrize("unset", [None, ""])
def test_a_function_with_no_stage_refuses_to_start(monkeypatch, unset):
    # Not the local stage by default: a cloud function would take tokens without a password.
    if unset is None:
        monkeypatch.delenv("SONAGRAM_STAGE", raising=False)
    else:
        monkeypatch.setenv("SONAGRAM_STAGE", unset)
    get_settings.cache_clear()
    spectrogram_worker.job.cache_clear()
    try:
        for start in (
            get_settings,
            lambda: sweeper.handler({}, None),
            lambda: spectrogram_worker.job("sonagram-worker"),
        ):
            with pytest.raises(SettingsError, match="SONAGRAM_STAGE is not set"):
                start()
    finally:
        get_settings.cache_clear()


def test_the_worker_sends_its_own_tasks_to_itself_in_aws_and_to_the_queue_locally(monkeypatch):
    spectrogram_worker.get_settings.cache_clear()
    try:
        monkeypatch.setenv("SONAGRAM_STAGE", "prod")
        assert spectrogram_worker.settings_of("w1").worker_function == "w1"
        monkeypatch.setenv("WORKER_FUNCTION", "named")
        spectrogram_worker.get_settings.cache_clear()
        assert spectrogram_worker.settings_of("w1").worker_function == "named"
        monkeypatch.delenv("WORKER_FUNCTION")
        monkeypatch.setenv("SONAGRAM_STAGE", "local")
        spectrogram_worker.get_settings.cache_clear()
        assert spectrogram_worker.settings_of("sonagram-local").worker_function is None
    finally:
        spectrogram_worker.get_settings.cache_clear()


def test_a_function_reads_the_stage_it_is_given(monkeypatch):
    monkeypatch.setenv("SONAGRAM_STAGE", "prod")
    get_settings.cache_clear()
    try:
        assert get_settings().stage == "prod"
    finally:
        get_settings.cache_clear()
