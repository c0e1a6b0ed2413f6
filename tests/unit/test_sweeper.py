"""The sweeper against a real moto server: every row left hanging is announced again or
FAILED with a sentence, within bounds, and one bad row never stops a sweep."""

from __future__ import annotations

import json
import uuid

import pytest
from faults import failing

from chalicelib import clients, events, status, sweeper
from chalicelib.clock import iso
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import audio_key
from chalicelib.renderings import attempt_prefix, spectrogram_prefix

NOW = 2_000_000_000.0


@pytest.fixture(scope="module")
def announcements(cloud_settings):
    """The `recordings` bucket's notifications, on a queue of this module's."""
    settings = cloud_settings
    sqs = clients.sqs(settings)
    queue_url = sqs.create_queue(QueueName=f"announced-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    clients.s3(settings).put_bucket_notification_configuration(
        Bucket="recordings",
        NotificationConfiguration={
            "QueueConfigurations": [
                {"QueueArn": arn["Attributes"]["QueueArn"], "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )

    def announced_keys() -> set[str]:
        keys = set()
        while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages"
        ):
            for message in messages:
                keys.update(upload.key for upload in events.uploads(json.loads(message["Body"])))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return keys

    yield announced_keys
    clients.s3(settings).put_bucket_notification_configuration(
        Bucket="recordings", NotificationConfiguration={}
    )


def row_in(
    settings,
    current: str,
    *,
    age_s: float,
    audio: bool = True,
    lease_s: float | None = None,
    attempts: int = 1,
    announced: int = 0,
    rendered: bool = False,
    stored_before_hashed_keys: bool = False,
) -> SpectrogramModel:
    """A recording whose spectrogram has been ``current`` for ``age_s`` seconds at NOW (its
    objects where they are stored now, or where they were before keys began with a hash)."""
    recording_id = str(uuid.uuid4())
    if stored_before_hashed_keys:
        key = f"erin/{recording_id}.wav"
    else:
        key = audio_key("erin", recording_id, ".wav")
    RecordingModel(
        recording_id,
        owner="erin",
        filename="dawn chorus.wav",
        size=1,
        content_type="audio/wav",
        object_key=key,
        created_at=iso(NOW - age_s),
    ).save()
    attempt_id = uuid.uuid4().hex[:12]
    row = SpectrogramModel(
        recording_id,
        owner="erin",
        status=current,
        updated_at=iso(NOW - age_s),
        unfinished=status.unfinished_key(recording_id, current),
        attempt_id=attempt_id,
        lease_until=None if lease_s is None else NOW + lease_s,
        attempts=attempts,
        announcements=announced,
        prefix=attempt_prefix(key, "old") if rendered else None,
    )
    row.save()
    s3 = clients.s3(settings)
    if audio:
        s3.put_object(Bucket="recordings", Key=key, Body=b"RIFF")
    for prefix in filter(None, (attempt_prefix(key, attempt_id), row.prefix)):
        s3.put_object(Bucket="spectrograms", Key=prefix + "overview.png", Body=b"png")
    return row


def sweep(settings) -> sweeper.Sweep:
    return sweeper.sweep(settings=settings, storage=clients.storage(settings), clock=lambda: NOW)


def audio_of(row: SpectrogramModel) -> str:
    return RecordingModel.get(row.recording_id).object_key


def images_of(settings, row: SpectrogramModel) -> int:
    listing = clients.s3(settings).list_objects_v2(
        Bucket="spectrograms", Prefix=spectrogram_prefix(audio_of(row))
    )
    return listing.get("KeyCount", 0)


def now_(row: SpectrogramModel) -> SpectrogramModel:
    return SpectrogramModel.get(row.recording_id)


@pytest.mark.parametrize("stored_before_hashed_keys", [False, True])
def test_a_dead_attempt_is_announced_again_without_its_images(
    cloud_settings, announcements, stored_before_hashed_keys
):
    announcements()
    dead = row_in(
        cloud_settings,
        status.PROCESSING,
        age_s=60,
        lease_s=-1,
        rendered=True,
        stored_before_hashed_keys=stored_before_hashed_keys,
    )
    done = sweep(cloud_settings)
    assert dead.recording_id in done.announced
    assert (now_(dead).status, now_(dead).lease_until) == (status.PENDING, None)
    assert audio_of(dead) in announcements()
    # The dead attempt's images go; the finished rendering it was replacing stays served.
    assert images_of(cloud_settings, dead) == 1


def test_a_live_attempt_is_left_alone(cloud_settings):
    live = row_in(cloud_settings, status.PROCESSING, age_s=250, lease_s=15)
    done = sweep(cloud_settings)
    assert live.recording_id not in done.announced + done.failed
    assert now_(live).status == status.PROCESSING
    assert images_of(cloud_settings, live) == 1


def test_a_version_that_keeps_killing_workers_fails_with_a_sentence(cloud_settings):
    poison = row_in(
        cloud_settings, status.PROCESSING, age_s=60, lease_s=-1, attempts=3, rendered=True
    )
    assert poison.recording_id in sweep(cloud_settings).failed
    row = now_(poison)
    assert (row.status, row.prefix) == (status.FAILED, None)
    assert row.error.startswith("Processing 'dawn chorus.wav' stopped unexpectedly 3 times")
    assert images_of(cloud_settings, poison) == 0


def test_a_dead_attempt_whose_audio_is_gone_fails(cloud_settings):
    gone = row_in(cloud_settings, status.PROCESSING, age_s=60, lease_s=-1, audio=False)
    assert gone.recording_id in sweep(cloud_settings).failed
    assert "gone from storage" in now_(gone).error


def test_a_lost_announcement_is_made_again_then_given_up(cloud_settings, announcements):
    announcements()
    lost = row_in(cloud_settings, status.PENDING, age_s=400)
    too_often = row_in(cloud_settings, status.PENDING, age_s=400, announced=3)
    done = sweep(cloud_settings)
    assert lost.recording_id in done.announced
    assert now_(lost).announcements == 1
    assert audio_of(lost) in announcements()
    assert too_often.recording_id in done.failed
    assert now_(too_often).error == (
        "Sonagram could not start processing 'dawn chorus.wav' after 4 tries; "
        "press Regenerate to try again."
    )


def test_an_upload_that_never_came_fails_once_its_url_expired(cloud_settings):
    expired = row_in(cloud_settings, status.PENDING, age_s=1300, audio=False)
    uploading = row_in(cloud_settings, status.PENDING, age_s=600, audio=False)
    recent = row_in(cloud_settings, status.PENDING, age_s=60)
    done = sweep(cloud_settings)
    assert expired.recording_id in done.failed
    assert now_(expired).error == (
        "The upload of 'dawn chorus.wav' never arrived; upload the file again."
    )
    for untouched in (uploading, recent):
        assert untouched.recording_id not in done.failed + done.announced
        assert now_(untouched).status == status.PENDING


def test_a_row_that_cannot_be_swept_does_not_stop_the_others(cloud_settings):
    stuck = row_in(cloud_settings, status.PENDING, age_s=400)
    lost = row_in(cloud_settings, status.PENDING, age_s=400)
    s3 = clients.s3(cloud_settings)
    is_stuck = lambda request: stuck.recording_id in request.url  # noqa: E731
    with (
        failing(s3, "HeadObject", "InternalError", status=500, when=is_stuck),
        failing(s3, "CopyObject", "InternalError", status=500, when=is_stuck),
    ):
        done = sweep(cloud_settings)
    assert stuck.recording_id in done.errors
    assert lost.recording_id in done.announced
    # Unreadable audio is tried a bounded number of times like any other.
    assert now_(stuck).announcements == 1


def test_a_recording_left_deleting_by_its_request_is_purged_whole(cloud_settings):
    row = row_in(cloud_settings, status.DELETING, age_s=60, rendered=True)
    key = audio_of(row)
    done = sweep(cloud_settings)
    assert row.recording_id in done.purged
    for model in (RecordingModel, SpectrogramModel):
        with pytest.raises(model.DoesNotExist):
            model.get(row.recording_id)
    for bucket, prefix in (("recordings", key), ("spectrograms", spectrogram_prefix(key))):
        assert (
            clients.s3(cloud_settings).list_objects_v2(Bucket=bucket, Prefix=prefix)["KeyCount"]
            == 0
        )


def test_a_recording_its_request_may_still_be_deleting_is_left_to_it(cloud_settings):
    row = row_in(cloud_settings, status.DELETING, age_s=1)
    assert row.recording_id not in sweep(cloud_settings).purged
    assert now_(row).status == status.DELETING
