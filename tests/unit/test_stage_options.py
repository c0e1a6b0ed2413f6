"""A deployment's choices from CDK context: parsed from the command line's strings, checked."""

from __future__ import annotations

import re

import pytest

from infra.options import OptionError, StageOptions


def from_context(**given: object) -> StageOptions:
    return StageOptions.from_context(given.get)


def test_the_defaults_host_the_ui_and_let_two_stages_share_the_account():
    options = from_context()
    assert (options.stage, options.host_ui, options.worker_concurrency) == ("prod", True, 300)
    # Two stages reserve 300 each: 400 stay unreserved, both APIs' bursts of 200.
    assert options.stages_in_account == 2
    assert options.unreserved_concurrency == 400 == 2 * options.api_burst_limit


def test_a_stage_alone_in_its_account_may_reserve_800():
    options = from_context(stages_in_account="1", worker_concurrency="800")
    assert options.unreserved_concurrency == 200 == options.api_burst_limit
    assert (options.log_retention_days, options.alarm_email) == (30, None)


def test_command_line_strings_become_numbers_and_flags():
    chosen = {
        "stage": "lab",
        "host_ui": False,
        "ui_origin": "https://ui.example.org",
        "worker_concurrency": 50,
        "stages_in_account": 3,
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
        # The default two stages with 800 each: what broke Lambda's 100 unreserved.
        ({"worker_concurrency": "800"}, "in each of 2 stages (stages_in_account) leaves -600"),
        ({"worker_concurrency": "301"}, "give worker_concurrency 300 or less"),
        (
            {"stages_in_account": "1", "worker_concurrency": "900"},
            "leaves 100 of account_concurrency 1000 unreserved",
        ),
        ({"stages_in_account": "1", "worker_concurrency": "950"}, "Lambda keeps at least 100"),
        ({"stages_in_account": "0"}, "must count this stage"),
        ({"ui_origin": "http://ui.example.org"}, "must be https"),
        ({"ui_origin": "http://localhost:5173"}, "allow_localhost_ui=true"),
        ({"ui_origin": "https://127.0.0.1:5173"}, "allow_localhost_ui=true"),
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
    with pytest.raises(OptionError, match=re.escape(message)):
        from_context(**given)


@pytest.mark.parametrize(
    "origin", ["http://localhost:5173", "http://127.0.0.1:5173", "http://[::1]:8080"]
)
def test_a_developer_may_allow_a_ui_on_their_own_machine(origin):
    options = from_context(ui_origin=origin, allow_localhost_ui="true")
    assert options.ui_origin == origin
