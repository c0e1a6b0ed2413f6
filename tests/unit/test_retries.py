"""Retries with backoff (botocore's "standard" mode) against a real moto server, with faults
injected at botocore's HTTP layer: S3's SlowDown and DynamoDB's throttling pass by
themselves when they pass within the tries Settings allows, and fail with a sentence
naming the request when they do not."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Iterator

import pytest
from faults import dynamodb_failing, failing

from chalicelib import clients, jobs, models, status
from chalicelib.config import Settings
from chalicelib.errors import StorageError
from chalicelib.events import Upload
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import Recordings
from chalicelib.renderings import recording_id_in

THROTTLED = "ProvisionedThroughputExceededException"


@pytest.fixture
def patient(cloud_settings) -> Iterator[Settings]:
    """Settings trying each AWS request 4 times, with the models bound to them.

    Fresh clients: botocore's retry quota, which other tests' faults spent, is theirs alone.
    """
    settings = dataclasses.replace(cloud_settings, max_attempts=4)
    models.bind(settings)
    yield settings
    models.bind(cloud_settings)


@pytest.fixture
def upload(patient, write_audio, make_tone) -> Upload:
    """A recording created through the domain, its audio stored: the event S3 sends."""
    storage = clients.storage(patient)
    created = Recordings(settings=patient, storage=storage, clock=time.time).create(
        "rhea", {"filename": "frogs.wav", "size": 1, "content_type": ""}
    )
    data = write_audio("frogs.wav", make_tone(1000, 2.0, 16000), 16000).read_bytes()
    key = created["upload"]["fields"]["key"]
    stored = clients.s3(patient).put_object(Bucket="recordings", Key=key, Body=data)
    return Upload("recordings", key, etag=stored["ETag"].strip('"'), size=len(data))


def job(settings: Settings) -> jobs.SpectrogramJob:
    return jobs.SpectrogramJob(settings=settings, storage=clients.storage(settings))


def manifest_put(request) -> bool:
    return request.url.endswith("/manifest.json")


def test_three_slowdowns_then_success_and_the_render_completes(patient, upload):
    s3 = clients.s3(patient)
    with failing(s3, "PutObject", "SlowDown", status=503, when=manifest_put, times=3) as failed:
        outcome = job(patient).run(upload)
    assert len(failed) == 3
    assert outcome.status == status.COMPLETED
    assert SpectrogramModel.get(outcome.recording_id).status == status.COMPLETED


@pytest.mark.parametrize(
    ("operation", "recording_actions"),
    [
        ("UpdateItem", ()),
        # A completion: the spectrogram's and the recording's rows in one transaction.
        ("TransactWriteItems", (RecordingModel.duration_s.set(2.0),)),
    ],
)
def test_throttled_writes_then_success_and_the_status_moves(
    patient, upload, operation, recording_actions
):
    recording_id = recording_id_in(upload.key)
    status.move(recording_id, status.PROCESSING, now="2027-01-01T00:00:00.000000Z")
    with dynamodb_failing(operation, THROTTLED, times=3) as failed:
        status.move(
            recording_id,
            status.COMPLETED,
            now="2027-01-01T00:00:01.000000Z",
            recording_actions=recording_actions,
        )
    assert len(failed) == 3
    assert SpectrogramModel.get(recording_id).status == status.COMPLETED


def test_a_throttled_completion_that_passes_completes_the_render(patient, upload):
    with dynamodb_failing("TransactWriteItems", THROTTLED, times=2) as failed:
        outcome = job(patient).run(upload)
    assert (len(failed), outcome.status) == (2, status.COMPLETED)


def test_a_slowdown_that_lasts_fails_after_the_allowed_tries_with_a_sentence(patient, upload):
    s3 = clients.s3(patient)
    with (
        failing(s3, "PutObject", "SlowDown", status=503, when=manifest_put) as failed,
        pytest.raises(StorageError) as raised,
    ):
        job(patient).run(upload)
    assert len(failed) == patient.max_attempts
    assert raised.value.retryable
    assert str(raised.value).startswith("could not write s3://spectrograms/")
    assert str(raised.value).endswith("/manifest.json: SlowDown")
    # Handed back for the platform's own (bounded) retries.
    recording_id = recording_id_in(upload.key)
    assert SpectrogramModel.get(recording_id).status == status.PENDING


def test_throttling_that_lasts_fails_after_the_allowed_tries_with_a_sentence(patient):
    recording_id = str(uuid.uuid4())
    SpectrogramModel(
        recording_id, owner="rhea", status=status.PENDING, updated_at="2027-01-01T00:00:00Z"
    ).save()
    with (
        dynamodb_failing("UpdateItem", THROTTLED) as failed,
        pytest.raises(StorageError) as raised,
    ):
        status.move(recording_id, status.PROCESSING, now="2027-01-01T00:00:01.000000Z")
    assert len(failed) == patient.max_attempts
    assert (raised.value.retryable, str(raised.value)) == (
        True,
        f"could not move spectrogram {recording_id} to PROCESSING: {THROTTLED}",
    )
    assert SpectrogramModel.get(recording_id).status == status.PENDING
