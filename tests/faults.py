"""Fault injection at the HTTP layer of real botocore clients.

moto cannot be made to throttle or to fail a copy. These helpers answer chosen calls
of a real client with a real AWS error (or run an action just before a call is sent);
botocore parses, retries and raises exactly as it would for AWS, and everything above
it (PynamoDB, our adapters, the job) runs unchanged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from botocore.awsrequest import AWSResponse

from chalicelib import database
from chalicelib.models import RecordingModel, SpectrogramModel

# Calls from parallel threads (the job's puts) are counted one at a time.
_COUNTING = threading.Lock()


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_):
        yield self._data


def _error_response(client, url: str, code: str, status: int) -> AWSResponse:
    if client.meta.service_model.protocol == "json":
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": code})
        headers = {"Content-Type": "application/x-amz-json-1.0"}
    else:
        body = f"<Error><Code>{code}</Code><Message>{code}</Message></Error>"
        headers = {"Content-Type": "application/xml"}
    return AWSResponse(url, status, headers, _Body(body.encode()))


@contextmanager
def failing(
    client,
    operation: str,
    code: str,
    *,
    status: int = 400,
    when: Callable[[object], bool] = lambda request: True,
    times: int | None = None,
    failed: list | None = None,
) -> Iterator[list]:
    """While the block runs, ``operation`` calls answer ``code`` (only the first ``times``
    of them, if given: a fault that passes); yields the list of calls failed (``failed``,
    if given: several clients may share one count).

    Each try of botocore's retries is a call: a request retried after two faults is three.
    """
    failed = [] if failed is None else failed
    event = f"before-send.{client.meta.service_model.endpoint_prefix}.{operation}"

    def answer(request, **_):
        if not when(request):
            return None
        with _COUNTING:
            if times is not None and len(failed) >= times:
                return None
            failed.append(request.url)
        return _error_response(client, request.url, code, status)

    client.meta.events.register_first(event, answer)
    try:
        yield failed
    finally:
        client.meta.events.unregister(event, answer)


@contextmanager
def before_first(client, operation: str, action: Callable[[], None]) -> Iterator[None]:
    """Run ``action`` once, just before the first ``operation`` call is sent."""
    done = threading.Lock()
    event = f"before-send.{client.meta.service_model.endpoint_prefix}.{operation}"

    def run(**_):
        if done.acquire(blocking=False):
            action()

    client.meta.events.register_first(event, run)
    try:
        yield
    finally:
        client.meta.events.unregister(event, run)


@contextmanager
def watching(client, operation: str) -> Iterator[list]:
    """Yields a list that collects the URL of every ``operation`` call sent meanwhile."""
    sent: list = []
    event = f"before-send.{client.meta.service_model.endpoint_prefix}.{operation}"

    def note(request, **_):
        sent.append(request.url)

    client.meta.events.register_first(event, note)
    try:
        yield sent
    finally:
        client.meta.events.unregister(event, note)


def dynamodb_clients() -> list:
    """Every client our code writes DynamoDB through: the models' and the transactions'."""
    meta = SpectrogramModel.Meta
    return [
        SpectrogramModel._get_connection().connection.client,
        RecordingModel._get_connection().connection.client,
        database._connection(meta.region, meta.host, meta.max_retry_attempts).client,
    ]


@contextmanager
def dynamodb_failing(operation: str, code: str, *, times: int | None = None) -> Iterator[list]:
    """``operation`` answers ``code`` on every DynamoDB client of this process (the first
    ``times`` calls of them all, if given); yields the calls failed."""
    failed: list = []
    with ExitStack() as stack:
        for client in dynamodb_clients():
            stack.enter_context(failing(client, operation, code, times=times, failed=failed))
        yield failed
