"""The local cloud: a moto server process on 127.0.0.1, wired like the AWS stack.

``provision`` creates what CDK creates in AWS: both buckets (with browser CORS),
the tables, the jobs queue (and its dead-letter queue) and the `recordings`
bucket's ObjectCreated notification to that queue.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request

from chalicelib import clients, models
from chalicelib.config import Settings
from infra.cors import cors_rules

READY_TIMEOUT_S = 30.0
# Redeliveries before a job message moves to the dead-letter queue.
MAX_RECEIVES = 3


def wait_until_up(url: str, *, timeout_s: float = READY_TIMEOUT_S, process=None) -> None:
    """Poll ``url`` until any HTTP answer comes back (or the process dies)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} while starting")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered at {url} within {timeout_s:.0f} s")


def moto_command(port: int, ui_origin: str) -> list[str]:
    """A moto server on 127.0.0.1:``port`` that answers no page but the UI at ``ui_origin``."""
    return [
        sys.executable,
        "-m",
        "infra.local.guarded_moto",
        "--port",
        str(port),
        "--ui-origin",
        ui_origin,
    ]


def provision(settings: Settings) -> str:
    """Create buckets, tables, queues and the notification; returns the jobs queue URL."""
    s3 = clients.s3(settings)
    sqs = clients.sqs(settings)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket in (settings.recordings_bucket, settings.spectrograms_bucket):
        if bucket not in existing:
            s3.create_bucket(Bucket=bucket)
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=cors_rules(settings.ui_origin))
    models.create_tables(settings)

    queue_url = create_jobs_queue(sqs, settings)
    s3.put_bucket_notification_configuration(
        Bucket=settings.recordings_bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {"QueueArn": _queue_arn(sqs, queue_url), "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    return queue_url


def create_jobs_queue(sqs, settings: Settings) -> str:
    """The jobs queue and its dead-letter queue; returns the jobs queue's URL."""
    dead_letters = sqs.create_queue(QueueName=settings.jobs_queue + "-dead-letters")["QueueUrl"]
    return sqs.create_queue(
        QueueName=settings.jobs_queue,
        Attributes={
            # Longer than a job may run, so a job in progress is not handed out twice.
            "VisibilityTimeout": str(int(settings.job_timeout_s) + 30),
            "RedrivePolicy": json.dumps(
                {
                    "deadLetterTargetArn": _queue_arn(sqs, dead_letters),
                    "maxReceiveCount": MAX_RECEIVES,
                }
            ),
        },
    )["QueueUrl"]


def _queue_arn(sqs, queue_url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]
