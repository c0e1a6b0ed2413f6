"""DynamoDB errors translated once, for every caller: a condition that did not hold, a
hiccup worth retrying, or a bug.

PynamoDB raises one exception type per operation (GetError, UpdateError, ...) whatever
the cause; what a caller must do depends only on the cause. Deciding it here keeps a
throttled write from being read as "the recording was deleted".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ParamValidationError
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PynamoDBException, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.errors import ConflictError, NotFoundError, StorageError
from chalicelib.models import SpectrogramModel

CONDITION_FAILED = "ConditionalCheckFailedException"
# Transaction cancellation reasons name conditions without the "Exception" suffix.
CANCELLED_BY_CONDITION = "ConditionalCheckFailed"
# Codes DynamoDB answers when trying again later may succeed (AWS's retry guidance).
RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ProvisionedThroughputExceeded",
        "ThrottlingException",
        "ThrottlingError",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
        "TransactionConflict",
        "TransactionInProgressException",
        "LimitExceededException",
    }
)


class ConditionFailed(ConflictError):
    """The item was not in the state the write required (or does not exist)."""


def _cancellation_codes(e: PynamoDBException) -> set[str]:
    if not isinstance(e, TransactWriteError):
        return set()
    return {reason.code for reason in e.cancellation_reasons if reason is not None}


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Run a PynamoDB call; raise ConditionFailed, NotFoundError or StorageError instead.

    ``action`` completes "could not ..." in the message.
    """
    try:
        yield
    except DoesNotExist as e:
        raise NotFoundError(f"could not {action}: it does not exist") from e
    except PynamoDBException as e:
        code = e.cause_response_code
        reasons = _cancellation_codes(e)
        if code == CONDITION_FAILED or CANCELLED_BY_CONDITION in reasons:
            raise ConditionFailed(f"could not {action}: it changed meanwhile") from e
        # No response code: the request never got an answer (connection, timeout), unless
        # botocore refused to send it (a bug in what we built).
        retryable = not isinstance(e.cause, ParamValidationError) and (
            code is None or code in RETRYABLE or bool(reasons & RETRYABLE)
        )
        raise StorageError(f"could not {action}: {code or e}", retryable=retryable) from e


def owned(model: type[Model], key: str, owner: str, *, what: str, issued: re.Pattern) -> Model:
    """The row ``key`` of ``model`` if ``owner`` has it, read consistently.

    Otherwise NotFoundError "no <what> '<key>'": another user's row is answered exactly as
    one that does not exist.
    """
    # DynamoDB refuses some keys (empty, over 2048 bytes): ask only for ids we issue.
    if issued.fullmatch(key):
        try:
            with translated(f"read the {what}"):
                row = model.get(key, consistent_read=True)
        except NotFoundError:
            pass
        else:
            if row.owner == owner:
                return row
    raise NotFoundError(f"no {what} {key!r}")


def save_missing(rows: Iterable[Model], *, condition, what: str) -> int:
    """Save each row where ``condition`` holds (none with its key yet): a backfill, which
    running again writes nothing. How many were written."""
    written = 0
    for row in rows:
        try:
            with translated(f"write {what}"):
                row.save(condition=condition)
        except ConditionFailed:
            continue  # it has one
        written += 1
    return written


def at_once(*reads: Callable[[], Any]) -> list[Any]:
    """The answers of ``reads``, each read in a thread of its own: a request waits for the
    slowest of its independent reads, not for their sum."""
    with ThreadPoolExecutor(len(reads), thread_name_prefix="sonagram-read") as pool:
        running = [pool.submit(read) for read in reads]
    return [read.result() for read in running]


def transaction() -> TransactWrite:
    """A TransactWrite on the host and region the models are bound to, retried as they are."""
    meta = SpectrogramModel.Meta
    return TransactWrite(connection=_connection(meta.region, meta.host, meta.max_retry_attempts))


@functools.cache
def _connection(region: str, host: str | None, max_retry_attempts: int) -> Connection:
    # Transactions do not use the models' connections; building a client costs ~30 ms.
    return Connection(region=region, host=host, max_retry_attempts=max_retry_attempts)
