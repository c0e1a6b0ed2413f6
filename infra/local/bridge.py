"""The local stand-in for S3 -> Lambda: long-poll the jobs queue, run the real handler.

The queue carries the bucket's upload events and the worker's tasks (chalicelib/tasks.py),
each message's body handed to the handler as Lambda would hand it the event.

Each job runs in its own process, like a Lambda invocation: at most
``concurrency`` at once, killed when it overruns the function's timeout, and
its message deleted only on success, so a failed job is delivered again (and
after MAX_RECEIVES tries lands in the dead-letter queue).

Run as ``python -m infra.local.bridge`` (``make run`` does).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib import clients, events, tasks
from chalicelib.config import Settings, get_settings

logger = logging.getLogger("sonagram.bridge")

CONCURRENCY = 2
# Back off redeliveries a little: an immediate retry of a storage hiccup often fails again.
RETRY_DELAY_S = 2


class LocalContext:
    """The part of Lambda's context object the handlers read (Powertools reads the names)."""

    function_name = "sonagram-local"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:sonagram-local"
    memory_limit_in_mb = 0

    def __init__(self, budget_s: float) -> None:
        self._deadline = time.monotonic() + budget_s
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def invoke_worker(event: dict, budget_s: float) -> None:
    """Child-process entry: the spectrogram function with the real S3 event or task."""
    from functions.spectrogram_worker import handler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    result = handler(event, LocalContext(budget_s))
    for outcome in result["outcomes"]:
        logger.info("%(status)s %(key)s %(detail)s", outcome)


def sweep_with_handler() -> dict:
    """The sweeper function, as its schedule invokes it in AWS."""
    from functions.sweeper import handler

    return handler({}, LocalContext(get_settings().job_timeout_s))


@dataclass
class Running:
    process: multiprocessing.process.BaseProcess
    receipt: str
    started: float = field(default_factory=time.monotonic)


class Bridge:
    def __init__(
        self,
        *,
        settings: Settings,
        queue_url: str,
        concurrency: int = CONCURRENCY,
        target: Callable[[dict, float], None] = invoke_worker,
        sweep: Callable[[], dict] | None = None,
    ) -> None:
        """``target(event, budget_s)`` runs in each job's process (the worker, or a test's);
        ``sweep()`` runs every ``settings.sweep_every_s`` (default: the sweeper function)."""
        self._settings = settings
        self._queue_url = queue_url
        self._concurrency = concurrency
        self._target = target
        self._sweep_every_s = settings.sweep_every_s
        self._sweep_function = sweep or sweep_with_handler
        self._sqs = clients.sqs(settings)
        # A fork server with the worker preloaded starts each job in milliseconds,
        # without inheriting this process's threads or sockets.
        self._processes = multiprocessing.get_context("forkserver")
        self._processes.set_forkserver_preload(["functions.spectrogram_worker"])
        self._running: list[Running] = []

    def serve(self, stop: threading.Event) -> None:
        last_sweep = 0.0
        while not stop.is_set():
            try:
                self._reap()
                free = self._concurrency - len(self._running)
                if free > 0:
                    self._receive(free)
                else:
                    stop.wait(0.05)
                if time.monotonic() - last_sweep > self._sweep_every_s:
                    last_sweep = time.monotonic()
                    self._sweep()
            except Exception:
                # The bridge stands in for AWS, which does not stop delivering because
                # one call failed: a busy local cloud or a sweep that raised is logged,
                # and the loop goes on.
                logger.exception("bridge step failed; going on")
                stop.wait(1.0)
        for job in self._running:
            job.process.kill()

    def _receive(self, count: int) -> None:
        answer = self._sqs.receive_message(
            QueueUrl=self._queue_url, MaxNumberOfMessages=count, WaitTimeSeconds=1
        )
        for message in answer.get("Messages", []):
            event = json.loads(message["Body"])
            if tasks.task_of(event) is None and not events.uploads(event):
                # The s3:TestEvent sent when the notification is wired, or a non-upload event.
                self._delete(message["ReceiptHandle"])
                continue
            process = self._processes.Process(
                target=self._target, args=(event, self._settings.job_timeout_s), daemon=True
            )
            process.start()
            self._running.append(Running(process, message["ReceiptHandle"]))

    def _reap(self) -> None:
        for job in list(self._running):
            overrun = time.monotonic() - job.started > self._settings.job_timeout_s
            if job.process.is_alive() and not overrun:
                continue
            if job.process.is_alive():
                logger.warning(
                    "job overran the %.0f s budget: killed", self._settings.job_timeout_s
                )
                job.process.kill()
            job.process.join()
            self._running.remove(job)
            if job.process.exitcode == 0:
                self._delete(job.receipt)
            else:
                logger.warning("job failed (exit %s): it will be redelivered", job.process.exitcode)
                self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url,
                    ReceiptHandle=job.receipt,
                    VisibilityTimeout=RETRY_DELAY_S,
                )

    def _delete(self, receipt: str) -> None:
        self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=receipt)

    def _sweep(self) -> None:
        swept = self._sweep_function()
        for action, recording_ids in swept.items():
            if recording_ids:
                logger.info("sweeper %s: %s", action, ", ".join(recording_ids))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bridge %(message)s")
    settings = get_settings()
    queue_url = clients.sqs(settings).get_queue_url(QueueName=settings.jobs_queue)["QueueUrl"]
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    logger.info("polling %s, %d jobs at a time", queue_url, CONCURRENCY)
    Bridge(settings=settings, queue_url=queue_url).serve(stop)


if __name__ == "__main__":
    main()
