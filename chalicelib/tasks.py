"""Work for the spectrogram worker that no upload announces: measure a recording's boxes, run
its project's detector presets, or fan a project's detection out to its recordings.

Tasks travel the worker's own queue, so they get the retries and the failure destination an
upload's event gets: locally the jobs queue the bridge polls (an SQS message whose body is
the task), in the cloud Lambda's asynchronous invocation queue (``InvocationType="Event"``).
The worker tells a task from an S3 event by its ``sonagram_task`` key.
"""

from __future__ import annotations

import json

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import clients
from chalicelib.config import Settings
from chalicelib.errors import StorageError

MEASURE = "measure"
DETECT = "detect"
DETECT_PROJECT = "detect_project"
KINDS = (MEASURE, DETECT, DETECT_PROJECT)
KEY = "sonagram_task"


def task_of(event: dict) -> dict | None:
    """The task an invocation carries, or None for any other event (an S3 notification)."""
    return event if event.get(KEY) in KINDS else None


# Messages in one SQS SendMessageBatch, at most.
SQS_BATCH = 10


def _body(kind: str, fields: dict) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown task {kind!r}; one of {', '.join(KINDS)}")
    return json.dumps({KEY: kind, **fields})


def send(settings: Settings, kind: str, **fields: object) -> None:
    """Queue one task of ``kind`` (one of :data:`KINDS`) with its JSON ``fields``."""
    send_many(settings, kind, [fields])


def send_many(settings: Settings, kind: str, many: list[dict]) -> None:
    """Queue one task of ``kind`` for each dict of JSON fields in ``many``: locally in
    batches of ten messages; Lambda takes one asynchronous invocation at a time."""
    bodies = [_body(kind, fields) for fields in many]
    try:
        _send(settings, bodies)
    except (BotoCoreError, ClientError) as e:
        raise StorageError(f"could not queue the {kind} task: {e}", retryable=True) from e


def _send(settings: Settings, bodies: list[str]) -> None:
    if settings.worker_function is None:
        sqs = clients.sqs(settings)
        queue_url = sqs.get_queue_url(QueueName=settings.jobs_queue)["QueueUrl"]
        for start in range(0, len(bodies), SQS_BATCH):
            entries = [
                {"Id": str(i), "MessageBody": body}
                for i, body in enumerate(bodies[start : start + SQS_BATCH])
            ]
            answer = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
            if answer.get("Failed"):
                failed = answer["Failed"][0]
                raise StorageError(
                    f"the jobs queue refused {len(answer['Failed'])} task(s): "
                    f"{failed.get('Code')} {failed.get('Message', '')}".strip(),
                    retryable=not failed.get("SenderFault", False),
                )
    else:
        lambda_ = clients.lambda_(settings)
        for body in bodies:
            lambda_.invoke(
                FunctionName=settings.worker_function, InvocationType="Event", Payload=body.encode()
            )
