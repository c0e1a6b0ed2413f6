"""The spectrogram job and the sweeper, against a real moto server and the real engine."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from chalicelib import clients, jobs, status, sweeper
from chalicelib.clock import iso
from chalicelib.events import Upload
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import Recordings


@pytest.fixture
def recordings(cloud_settings) -> Recordings:
    return Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )


@pytest.fixture
def job(cloud_settings) -> jobs.SpectrogramJob:
    return jobs.SpectrogramJob(settings=cloud_settings, storage=clients.storage(cloud_settings))


@pytest.fixture
def uploaded(cloud_settings, recordings, write_audio, make_tone):
    """Create a recording through the domain and put its audio in the bucket."""

    def upload(filename: str, data: bytes | None = None, seconds: float = 2.0) -> Upload:
        if data is None:
            data = write_audio(filename, make_tone(1000, seconds, 16000), 16000).read_bytes()
        created = recordings.create(
            "erin", {"filename": filename, "size": len(data), "content_type": ""}
        )
        key = created["upload"]["fields"]["key"]
        clients.s3(cloud_settings).put_object(Bucket="recordings", Key=key, Body=data)
        return Upload("recordings", key, etag="etag-1", size=len(data))

    return upload


def test_an_upload_becomes_overview_tiles_and_manifest(cloud_settings, job, uploaded):
    upload = uploaded("tone.wav")
    outcome = job.run(upload)
    assert outcome.status == status.COMPLETED
    row = SpectrogramModel.get(outcome.recording_id)
    assert (row.status, row.width, row.height, row.attempts) == ("COMPLETED", 800, 400, 1)
    assert row.processing_ms > 0 and set(row.timings_ms.as_dict()) == {
        "download",
        "render",
        "store",
    }
    recording = RecordingModel.get(outcome.recording_id)
    assert (recording.sample_rate, recording.channels) == (16000, 1)
    assert recording.duration_s == pytest.approx(2.0)
    s3 = clients.s3(cloud_settings)
    manifest = json.loads(
        s3.get_object(Bucket="spectrograms", Key=row.prefix + "manifest.json")["Body"].read()
    )
    stored = {
        o["Key"][len(row.prefix) :]
        for o in s3.list_objects_v2(Bucket="spectrograms", Prefix=row.prefix)["Contents"]
    }
    assert {"manifest.json", manifest["overview"]["key"]} | {
        t["key"] for t in manifest["tiles"]
    } == stored


def test_a_duplicate_event_renders_once(job, uploaded):
    upload = uploaded("twice.wav")
    first = job.run(upload)
    before = SpectrogramModel.get(first.recording_id)
    again = job.run(upload)
    assert again.status == jobs.SKIPPED
    after = SpectrogramModel.get(first.recording_id)
    assert (after.updated_at, after.attempts, after.prefix) == (
        before.updated_at,
        1,
        before.prefix,
    )


def test_a_file_that_is_not_audio_fails_naming_the_file(job, uploaded):
    outcome = job.run(uploaded("field notes.flac", b"not audio at all" * 100))
    assert outcome.status == status.FAILED
    row = SpectrogramModel.get(outcome.recording_id)
    assert row.status == status.FAILED
    assert "field notes.flac" in row.error and "not an audio file" in row.error


def test_the_watchdog_fails_a_render_past_its_deadline(cloud_settings, job, uploaded):
    outcome = job.run(uploaded("slow.wav", seconds=5.0), deadline=time.monotonic() - 1)
    assert outcome.status == status.FAILED
    assert (
        "longer than the 300 s processing budget"
        in SpectrogramModel.get(outcome.recording_id).error
    )


def test_a_render_stopped_midway_leaves_no_images(cloud_settings, job, uploaded):
    # Ten minutes take longer than 0.2 s, and tiles are stored while rendering.
    outcome = job.run(uploaded("long.wav", seconds=600.0), deadline=time.monotonic() + 0.2)
    assert outcome.status == status.FAILED
    listing = clients.s3(cloud_settings).list_objects_v2(
        Bucket="spectrograms", Prefix=f"erin/{outcome.recording_id}/"
    )
    assert listing.get("KeyCount", 0) == 0


def test_an_object_no_recording_owns_is_skipped(job):
    outcome = job.run(Upload("recordings", "nobody/unknown.wav", etag="x", size=1))
    assert outcome == jobs.Outcome("nobody/unknown.wav", jobs.SKIPPED, detail=outcome.detail)


def row_in(current: str, updated_at: float) -> str:
    recording_id = f"swept-{current}-{updated_at}-{np.random.default_rng().integers(1 << 30)}"
    RecordingModel(
        recording_id,
        owner="erin",
        filename="a.wav",
        size=1,
        content_type="audio/wav",
        object_key=f"erin/{recording_id}.wav",
        created_at=iso(updated_at),
    ).save()
    SpectrogramModel(recording_id, owner="erin", status=current, updated_at=iso(updated_at)).save()
    return recording_id


def test_the_sweeper_fails_only_what_was_left_hanging(cloud_settings):
    now = 2_000_000_000.0
    storage = clients.storage(cloud_settings)
    killed = row_in(status.PROCESSING, now - 400)
    working = row_in(status.PROCESSING, now - 100)
    never_uploaded = row_in(status.PENDING, now - 1300)
    uploaded_late = row_in(status.PENDING, now - 1300)
    clients.s3(cloud_settings).put_object(
        Bucket="recordings", Key=f"erin/{uploaded_late}.wav", Body=b"x"
    )
    just_created = row_in(status.PENDING, now - 60)
    swept = sweeper.sweep(settings=cloud_settings, storage=storage, clock=lambda: now)
    assert sorted(swept) == sorted([killed, never_uploaded])
    assert "stopped unexpectedly" in SpectrogramModel.get(killed).error
    assert "never arrived" in SpectrogramModel.get(never_uploaded).error
    for untouched in (working, uploaded_late, just_created):
        assert SpectrogramModel.get(untouched).status != status.FAILED
