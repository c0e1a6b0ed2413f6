"""Fixtures: the local stack (as `make run` starts it) and signed-in users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local.harness import ApiUser, RunningStack, running_stack

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    with running_stack() as running:
        yield running


@pytest.fixture(scope="session")
def alice(stack: RunningStack) -> ApiUser:
    return ApiUser(stack.api_url, "alice")


@pytest.fixture(scope="session")
def bob(stack: RunningStack) -> ApiUser:
    return ApiUser(stack.api_url, "bob")
