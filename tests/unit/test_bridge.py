"""The local bridge delivers like S3 -> Lambda: retries a failed job, parks it after three tries.

Real SQS queues on a moto server; each job runs in its own process, as the bridge
runs the spectrogram function. The targets below stand in for the function so that
a job can fail or hang on purpose.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import uuid
from pathlib import Path

import pytest

from chalicelib import clients, tasks
from chalicelib.errors import StorageError
from infra.local.bridge import Bridge
from infra.local.cloud import MAX_RECEIVES, create_jobs_queue


def fail_the_first_time(event: dict, budget_s: float) -> None:
    marker = Path(event["marker"])
    if not marker.exists():
        marker.write_text("failed once\n")
        raise RuntimeError("the first delivery fails")
    marker.write_text(marker.read_text() + "done\n")


def always_fail(event: dict, budget_s: float) -> None:
    with Path(event["marker"]).open("a") as tries:
        tries.write("tried\n")
    raise RuntimeError("this job always fails")


def hang(event: dict, budget_s: float) -> None:
    with Path(event["marker"]).open("a") as tries:
        tries.write("tried\n")
    time.sleep(3600)


def note_the_event(event: dict, budget_s: float) -> None:
    Path(event["marker"]).write_text(json.dumps(event))


def upload_event(marker: Path) -> str:
    record = {
        "eventName": "ObjectCreated:Post",
        "s3": {"bucket": {"name": "recordings"}, "object": {"key": "erin/a.wav", "size": 1}},
    }
    return json.dumps({"Records": [record], "marker": str(marker)})


@pytest.fixture
def queue(cloud_settings):
    settings = dataclasses.replace(
        cloud_settings,
        jobs_queue=f"jobs-{uuid.uuid4().hex[:8]}",
        job_timeout_s=1.0,
        sweep_every_s=float("inf"),
    )
    sqs = clients.sqs(settings)
    url = create_jobs_queue(sqs, settings)
    dead_letters = sqs.get_queue_url(QueueName=settings.jobs_queue + "-dead-letters")["QueueUrl"]
    return settings, sqs, url, dead_letters


def waiting(sqs, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(count) for count in attributes.values())


def delivered(marker: Path, sqs, url: str) -> bool:
    """The job is done and its message deleted."""
    return marker.exists() and "done" in marker.read_text() and waiting(sqs, url) == 0


def run_bridge_until(settings, url: str, target, done, timeout_s: float = 30.0, sweep=None) -> None:
    stop = threading.Event()
    bridge = Bridge(settings=settings, queue_url=url, target=target, sweep=sweep)
    thread = threading.Thread(target=bridge.serve, args=(stop,), daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    try:
        while not done():
            assert time.monotonic() < deadline, "the bridge did not get there in time"
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(10)


def test_a_failed_job_is_delivered_again_and_then_done(queue, tmp_path: Path):
    settings, sqs, url, _ = queue
    marker = tmp_path / "job"
    sqs.send_message(QueueUrl=url, MessageBody=upload_event(marker))
    run_bridge_until(
        settings,
        url,
        fail_the_first_time,
        lambda: delivered(marker, sqs, url),
    )
    assert marker.read_text() == "failed once\ndone\n"


@pytest.mark.parametrize("target", [always_fail, hang], ids=["fails", "overruns its budget"])
def test_a_job_that_never_succeeds_lands_in_the_dead_letter_queue(queue, tmp_path, target):
    settings, sqs, url, dead_letters = queue
    marker = tmp_path / "job"
    sqs.send_message(QueueUrl=url, MessageBody=upload_event(marker))
    run_bridge_until(settings, url, target, lambda: waiting(sqs, dead_letters) == 1)
    assert marker.read_text().count("tried") == MAX_RECEIVES
    assert waiting(sqs, url) == 0


def test_a_task_sent_to_the_jobs_queue_is_handed_to_the_worker_as_its_event(queue, tmp_path):
    settings, sqs, url, _ = queue
    marker = tmp_path / "job"
    tasks.send(settings, tasks.DETECT, recording_id="r1", presets=None, marker=str(marker))
    run_bridge_until(
        settings, url, note_the_event, lambda: marker.exists() and waiting(sqs, url) == 0
    )
    assert json.loads(marker.read_text()) == {
        "sonagram_task": "detect",
        "recording_id": "r1",
        "presets": None,
        "marker": str(marker),
    }


def test_the_test_event_is_dropped_without_a_job(queue, tmp_path):
    settings, sqs, url, dead_letters = queue
    marker = tmp_path / "job"
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "marker": str(marker)}
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(test_event))
    run_bridge_until(settings, url, always_fail, lambda: waiting(sqs, url) == 0)
    assert not marker.exists()
    assert waiting(sqs, dead_letters) == 0


def test_a_sweep_that_raises_does_not_stop_the_bridge(queue, tmp_path):
    settings, sqs, url, _ = queue
    settings = dataclasses.replace(settings, sweep_every_s=0.1)
    sweeps = []

    def broken_sweep() -> dict:
        sweeps.append("tried")
        raise StorageError("could not read s3://recordings/erin/a.wav: 500", retryable=True)

    marker = tmp_path / "job"
    sqs.send_message(QueueUrl=url, MessageBody=upload_event(marker))
    run_bridge_until(
        settings,
        url,
        fail_the_first_time,
        lambda: delivered(marker, sqs, url),
        sweep=broken_sweep,
    )
    assert len(sweeps) >= 3
