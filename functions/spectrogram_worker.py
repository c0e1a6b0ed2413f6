"""Lambda entry point: S3 ObjectCreated on `recordings` -> spectrogram in `spectrograms`, and
the worker's tasks (chalicelib/tasks.py: measure, detect, detect a project's recordings).

The same handler runs in AWS (invoked by the bucket notification, or asynchronously with a
task) and locally (called by infra/local/bridge.py with the real event from the queue). It
tells the two apart by the event's shape.

Powertools writes its logs as JSON lines (with the invocation's request id and whether it was a
cold start) and its metrics in CloudWatch's embedded metric format, namespace ``Sonagram``:
``RenderSeconds`` for each audio version rendered or failed, a count per outcome
(``RendersCompleted``, ``RendersFailed``, ``RendersSkipped``) and ``ColdStart``; for a task,
``<Kind>TaskSeconds`` and a count per outcome, ``<Kind>Tasks<Outcome>`` (kinds ``Measure``,
``Detect``, ``DetectProject``; outcomes ``Done``, ``Failed``, ``Skipped``).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from dataclasses import asdict

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

from chalicelib import clients, events, tasks
from chalicelib.box_jobs import BoxJob, TaskOutcome
from chalicelib.config import Settings, get_settings
from chalicelib.jobs import SKIPPED, SpectrogramJob
from chalicelib.spectrogram.stderr import collected_stderr, tally

# Stop rendering this long before the Lambda timeout, so the job can still
# record FAILED with a reason instead of being killed mid-write.
WATCHDOG_MARGIN_S = 20.0
SERVICE = "spectrogram-worker"
NAMESPACE = "Sonagram"

logger = Logger(service=SERVICE, level=logging.INFO)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
# chalicelib's own loggers write through the same JSON formatter, with the same keys.
copy_config_to_registered_loggers(source_logger=logger, include={"chalicelib"})


def settings_of(function_name: str) -> Settings:
    """The stage's settings, with the worker itself as where its own tasks go in AWS: a
    function's environment cannot name the function (a cycle CloudFormation refuses), its
    context does."""
    settings = get_settings()
    clients.bind_tables(settings)
    if settings.is_local or settings.worker_function is not None:
        return settings
    return dataclasses.replace(settings, worker_function=function_name)


@functools.cache
def job(function_name: str) -> SpectrogramJob:
    settings = settings_of(function_name)
    return SpectrogramJob(settings=settings, storage=clients.storage(settings))


@functools.cache
def box_job(function_name: str) -> BoxJob:
    settings = settings_of(function_name)
    return BoxJob(settings=settings, storage=clients.storage(settings))


def metric_name(kind: str) -> str:
    """``detect_project`` -> ``DetectProject``."""
    return "".join(word.capitalize() for word in kind.split("_"))


# Not clear_state: it would drop the logger-name key that chalicelib's lines carry; each upload
# sets its own keys below.
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict, context) -> dict:
    deadline = time.monotonic() + context.get_remaining_time_in_millis() / 1000 - WATCHDOG_MARGIN_S
    task = tasks.task_of(event)
    if task is not None:
        return {"outcomes": [asdict(run_task(box_job(context.function_name), task, deadline))]}
    outcomes = []
    for upload in events.uploads(event):
        # Until the job has found the recording, its object key is what names it.
        logger.append_keys(object_key=upload.key, recording_id=None)
        started = time.monotonic()
        printed: list[str] = []
        try:
            with collected_stderr(printed):
                outcome = job(context.function_name).run(upload, deadline=deadline)
            logger.append_keys(recording_id=outcome.recording_id)
        finally:
            # One JSON line keyed like the rest, not a raw line per damaged MP3 frame.
            if printed:
                logger.warning("printed while rendering", extra={"stderr": tally(printed)})
        seconds = time.monotonic() - started
        logger.info(
            "spectrogram %s",
            outcome.status,
            extra={"outcome": outcome.status, "detail": outcome.detail, "seconds": seconds},
        )
        if outcome.status != SKIPPED:
            metrics.add_metric(name="RenderSeconds", unit=MetricUnit.Seconds, value=seconds)
        metrics.add_metric(
            name=f"Renders{outcome.status.capitalize()}", unit=MetricUnit.Count, value=1
        )
        outcomes.append(outcome)
    return {"outcomes": [asdict(outcome) for outcome in outcomes]}


def run_task(boxes: BoxJob, task: dict, deadline: float) -> TaskOutcome:
    """One task, logged and measured as a render is; a retryable error is re-raised for
    Lambda (or the local queue) to deliver the task again."""
    logger.append_keys(object_key=None, recording_id=task.get("recording_id"))
    started = time.monotonic()
    outcome = boxes.run(task, deadline=deadline)
    seconds = time.monotonic() - started
    kind = metric_name(task[tasks.KEY])
    logger.info(
        "task %s %s",
        task[tasks.KEY],
        outcome.status,
        extra={"outcome": outcome.status, "detail": outcome.detail, "seconds": seconds},
    )
    metrics.add_metric(name=f"{kind}TaskSeconds", unit=MetricUnit.Seconds, value=seconds)
    metrics.add_metric(
        name=f"{kind}Tasks{outcome.status.capitalize()}", unit=MetricUnit.Count, value=1
    )
    return outcome
