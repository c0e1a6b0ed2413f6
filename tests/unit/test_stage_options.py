"""A deployment's choices from CDK context: parsed from the command line's strings, checked."""

from __future__ import annotations

import pytest

from infra.options import OptionError, StageOptions


def from_context(**given: object) -> StageOptions:
    return StageOptions.from_context(given.get)


def test_the_defaults_host_the_ui_and_reserve_800_for_the_worker():
    options = from_context()
    assert (options.stage, options.host_ui, options.worker_concurrency) == ("prod", True, 800)
    assert options.unreserved_concurrency == 200 >= options.api_burst_limit
    assert (options.log_retention_days, options.alarm_email) == (30, None)


def test_command_line_strings_become_numbers_and_flags():
    chosen = {
        "stage": "lab",
        "host_ui": False,
        "ui_origin": "https://ui.example.org",
        "worker_concurrency": 50,
        "account_concurrency": 400,
        "api_rate_limit": 20,
        "api_burst_limit": 40,
        "log_retention_days": 90,
        "alarm_email": "lab@example.org",
    }
    strings = {
        name: str(value).lower() if value is False else str(value) for name, value in chosen.items()
    }
    assert from_context(**strings) == StageOptions(**chosen)


def test_none_reserves_nothing_for_an_account_with_a_small_quota():
    options = from_context(
        worker_concurrency="none",
        account_concurrency="10",
        api_rate_limit="5",
        api_burst_limit="10",
    )
    assert options.worker_concurrency is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"worker_concurrency": "900"}, "leaves 100 of account_concurrency 1000 unreserved"),
        ({"worker_concurrency": "950"}, "Lambda keeps at least 100"),
        ({"worker_concurrency": "0"}, "would stop every render"),
        ({"worker_concurrency": "many"}, "whole number, not 'many'"),
        ({"host_ui": "false"}, "pass -c ui_origin="),
        ({"host_ui": "yes"}, "true or false, not 'yes'"),
        ({"ui_origin": "https://ui.example.org/app"}, "no path"),
        ({"stage": "local"}, "not 'local'"),
        ({"stage": "Lab_1"}, "lowercase"),
        ({"log_retention_days": "31"}, "not one CloudWatch offers"),
        ({"api_rate_limit": "300"}, "at most api_burst_limit 200"),
        ({"alarm_email": "lab"}, "not an email address"),
    ],
)
def test_a_value_the_stack_cannot_use_is_named_with_the_reason(given, message):
    with pytest.raises(OptionError, match=message.replace("(", r"\(")):
        from_context(**given)
