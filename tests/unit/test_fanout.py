"""The fan-out model: concurrency caps, throttled retries, prefix and partition loads, cost."""

from __future__ import annotations

import pytest

from bench.fanout import Limits, Prices, Render, project

HOUR = Render(
    seconds=10.0,
    memory_mb=2048,
    s3_puts=20,
    s3_gets=1,
    dynamodb_writes=4,
    dynamodb_reads=2,
    index_writes=2,
    stored_bytes=150_000_000,
)


def test_renders_that_all_fit_run_at_once_and_take_one_render():
    projection = project(1000, HOUR, Limits(s3_prefixes=1000, index_partitions=10))
    assert projection.peak_concurrency == 1000
    assert projection.throttled_invocations == 0
    assert projection.wall_s == pytest.approx(10.0, abs=0.2)


def test_reserved_concurrency_throttles_the_rest_and_lambda_retries_them_later():
    projection = project(1000, HOUR, Limits(reserved_concurrency=500, s3_prefixes=1000))
    assert projection.peak_concurrency == 500
    assert projection.throttled_invocations >= 500
    # The second half starts at the first retry after the first half ends (at 15 s: 1+2+4+8).
    assert 20.0 <= projection.wall_s <= 30.0


def test_one_prefix_for_every_key_slows_every_render_down():
    spread = project(1000, HOUR, Limits(s3_prefixes=1000))
    one = project(1000, HOUR, Limits(s3_prefixes=1))
    # 1,000 renders x 20 PUTs / 10 s = 2,000 PUT/s: within one prefix's 3,500.
    assert one.s3_prefix_load == pytest.approx(2000 / 3500)
    heavy = Render(**{**HOUR.__dict__, "s3_puts": 353})
    slowed = project(1000, heavy, Limits(s3_prefixes=1))
    assert slowed.s3_prefix_load == pytest.approx(1000 * 353 / 10 / 3500)
    assert slowed.wall_s > 9 * spread.wall_s


def test_an_index_with_few_key_values_is_over_its_partition_limit():
    hot = project(1000, HOUR, Limits(s3_prefixes=1000, index_partitions=1))
    assert hot.index_partition_load > 1
    cool = project(1000, HOUR, Limits(s3_prefixes=1000, index_partitions=100))
    assert cool.index_partition_load == pytest.approx(hot.index_partition_load / 100)


def test_cost_adds_up_each_service_at_list_price():
    projection = project(1000, HOUR, Limits(s3_prefixes=1000), Prices())
    assert projection.cost["Lambda compute"] == pytest.approx(1000 * 2 * 10 * 0.0000166667)
    assert projection.cost["S3 requests"] == pytest.approx(1000 * (20 * 5e-6 + 1 * 4e-7))
    assert projection.cost["DynamoDB"] == pytest.approx(1000 * (4 * 0.625e-6 + 2 * 0.125e-6))
    assert projection.total_cost == pytest.approx(sum(projection.cost.values()))
    assert projection.storage_per_month == pytest.approx(150 * 0.023)
