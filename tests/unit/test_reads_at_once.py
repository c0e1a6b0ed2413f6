"""database.at_once: independent reads run side by side, answers in the order asked."""

from __future__ import annotations

import threading

import pytest

from chalicelib import database
from chalicelib.errors import StorageError


def test_reads_run_at_once_and_answer_in_order():
    # Each read waits for the other: run one after the other, they would never return.
    both = threading.Barrier(2, timeout=5)

    def read(answer):
        both.wait()
        return answer

    assert database.at_once(lambda: read("recordings"), lambda: read("statuses")) == [
        "recordings",
        "statuses",
    ]


def test_a_failed_read_fails_the_request():
    def failing():
        raise StorageError("could not read the recordings: 500", retryable=True)

    with pytest.raises(StorageError, match="could not read the recordings"):
        database.at_once(lambda: 1, failing)
