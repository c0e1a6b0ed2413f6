"""Work for the spectrogram worker that no upload announces: measure a recording's boxes, run
its project's detector presets, or fan a project's detection out to its recordings.

Tasks travel the worker's own queue, so they get the retries and the failure destination an
upload's event gets: locally the jobs queue the bridge polls (an SQS message whose body is
the task), in the cloud Lambda's asynchronous invocation queue (``InvocationType="Event"``).
The worker tells a task from an S3 event by its ``sonagram_task`` key.
"""

from __future__ import annotations

import json

from chalicelib import clients
from chalicelib.config import Settings

MEASURE = "measure"
DETECT = "detect"
DETECT_PROJECT = "detect_project"
KINDS = (MEASURE, DETECT, DETECT_PROJECT)
KEY = "sonagram_task"


def task_of(event: dict) -> dict | None:
    """The task an invocation carries, or None for any other event (an S3 notification)."""
    return event if event.get(KEY) in KINDS else None


def send(settings: Settings, kind: str, **fields: object) -> None:
    """Queue one task of ``kind`` (one of :data:`KINDS`) with its JSON ``fields``."""
    if kind not in KINDS:
        raise ValueError(f"unknown task {kind!r}; one of {', '.join(KINDS)}")
    body = json.dumps({KEY: kind, **fields})
    if settings.worker_function is None:
        sqs = clients.sqs(settings)
        queue_url = sqs.get_queue_url(QueueName=settings.jobs_queue)["QueueUrl"]
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    else:
        clients.lambda_(settings).invoke(
            FunctionName=settings.worker_function, InvocationType="Event", Payload=body.encode()
        )
