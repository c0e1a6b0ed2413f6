"""The spectrogram job against a real moto server and the real engine: once per version,
takeovers of dead attempts, and nothing left behind on any path."""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from faults import before_first, dynamodb_failing, failing, watching

from chalicelib import clients, jobs, status
from chalicelib.clock import iso
from chalicelib.errors import StorageError
from chalicelib.events import Upload
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import Recordings
from chalicelib.renderings import attempt_prefix, recording_id_in, spectrogram_prefix
from chalicelib.spectrogram import tiles
from chalicelib.spectrograms import Spectrograms

MIB = 1024 * 1024


class FakeTime:
    """Wall clock, monotonic clock and sleep in one: sleeping moves both clocks."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def recordings(cloud_settings) -> Recordings:
    return Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )


@pytest.fixture
def spectrograms(cloud_settings) -> Spectrograms:
    return Spectrograms(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )


def job_with(settings, **kwargs) -> jobs.SpectrogramJob:
    return jobs.SpectrogramJob(settings=settings, storage=clients.storage(settings), **kwargs)


@pytest.fixture
def job(cloud_settings) -> jobs.SpectrogramJob:
    return job_with(cloud_settings)


@pytest.fixture
def tone_wav(write_audio, make_tone):
    def make(seconds: float = 2.0, name: str = "tone.wav", freq_hz: float = 1000) -> bytes:
        return write_audio(name, make_tone(freq_hz, seconds, 16000), 16000).read_bytes()

    return make


@pytest.fixture
def uploaded(cloud_settings, recordings, tone_wav):
    """Create a recording through the domain and put its audio in the bucket."""

    def upload(
        filename: str, data: bytes | None = None, seconds: float = 2.0, declared: int | None = None
    ) -> Upload:
        data = tone_wav(seconds) if data is None else data
        size = declared or len(data)
        body = {"filename": filename, "size": size, "content_type": ""}
        created = recordings.create("erin", body)
        return put_audio(cloud_settings, created["upload"]["fields"]["key"], data)

    return upload


def put_audio(settings, key: str, data: bytes) -> Upload:
    """Store (or replace) the audio at ``key``; the event S3 would send for it."""
    answer = clients.s3(settings).put_object(Bucket="recordings", Key=key, Body=data)
    return Upload("recordings", key, etag=answer["ETag"].strip('"'), size=len(data))


def recording_of(upload: Upload) -> RecordingModel:
    return RecordingModel.get(recording_id_in(upload.key))


def stored(settings, prefix: str) -> set[str]:
    listing = clients.s3(settings).list_objects_v2(Bucket="spectrograms", Prefix=prefix)
    return {o["Key"] for o in listing.get("Contents", [])}


def everything_of(settings, upload: Upload) -> set[str]:
    """Every image and manifest stored for the recording of this upload."""
    return stored(settings, spectrogram_prefix(upload.key))


def attempts_stored(settings, upload: Upload) -> set[str]:
    """The attempts with something stored for the recording of this upload."""
    prefix = spectrogram_prefix(upload.key)
    return {key.removeprefix(prefix).split("/")[0] for key in everything_of(settings, upload)}


def test_an_upload_becomes_overview_tiles_and_manifest(cloud_settings, job, uploaded):
    upload = uploaded("tone.wav", declared=1000)
    outcome = job.run(upload)
    assert outcome.status == status.COMPLETED
    row = SpectrogramModel.get(outcome.recording_id)
    assert (row.status, row.width, row.height, row.attempts) == ("COMPLETED", 800, 400, 1)
    assert row.lease_until is None
    assert set(row.timings_ms.as_dict()) == {"render", "store"}
    recording = RecordingModel.get(outcome.recording_id)
    assert (recording.sample_rate, recording.channels) == (16000, 1)
    assert recording.duration_s == pytest.approx(2.0)
    # The row tells the stored object's size, not what the client declared.
    assert recording.size == upload.size != 1000
    manifest = json.loads(
        clients.s3(cloud_settings)
        .get_object(Bucket="spectrograms", Key=row.prefix + "manifest.json")["Body"]
        .read()
    )
    levels = {key for level in manifest["tile_levels"] for key in level["objects"]}
    assert levels == {tile["object"] for tile in manifest["tiles"]} == {"tiles/0-0.pngs"}
    images = {manifest["overview"]["key"]} | levels
    assert {row.prefix + key for key in images | {"manifest.json"}} == everything_of(
        cloud_settings, upload
    )


@pytest.mark.parametrize("expiry_s", [60, 3600])
def test_the_manifest_presigns_the_audio_and_says_when_its_urls_expire(
    cloud_settings, job, uploaded, expiry_s
):
    upload = uploaded("listen.wav")
    recording_id = job.run(upload).recording_id
    settings = dataclasses.replace(cloud_settings, download_expiry_s=expiry_s)
    # Signatures date themselves in whole seconds: the fraction is dropped, never added.
    spectrograms = Spectrograms(
        settings=settings, storage=clients.storage(settings), clock=lambda: 1_800_000_000.9
    )
    code, manifest = spectrograms.manifest("erin", recording_id)
    assert code == status.COMPLETED
    assert manifest["urls_expire_at"] == iso(1_800_000_000 + expiry_s)
    audio = urlsplit(manifest["audio_url"])
    assert audio.path == f"/recordings/{upload.key}"
    query = parse_qs(audio.query)
    assert query["X-Amz-Expires"] == [str(expiry_s)]
    assert query["response-content-type"] == ["audio/wav"]
    for url in [manifest["image_url"], *(tile["url"] for tile in manifest["tiles"])]:
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == [str(expiry_s)]


def test_tiles_are_signed_once_an_object_with_their_range_and_old_tiles_one_by_one(
    cloud_settings, job, uploaded, spectrograms
):
    # 150 s at 16 kHz: 4688 level-0 pixels, two tiles in one object, one at level 1.
    recording_id = job.run(uploaded("levels.wav", seconds=150.0)).recording_id
    _, manifest = spectrograms.manifest("erin", recording_id)
    tiles = [tile for tile in manifest["tiles"] if tile["level"] == 0]
    assert len(tiles) == 2 and len({tile["url"] for tile in tiles}) == 1
    assert urlsplit(tiles[0]["url"]).path.endswith("/tiles/0-0.pngs")
    assert len({tile["url"] for tile in manifest["tiles"]}) == len(manifest["tile_levels"]) == 2
    assert [tile["range"] for tile in tiles] == [
        f"bytes=0-{tiles[0]['length'] - 1}",
        f"bytes={tiles[0]['length']}-{tiles[0]['length'] + tiles[1]['length'] - 1}",
    ]
    # A manifest of an engine before 1.2: a tile an object, no range to read.
    row = SpectrogramModel.get(recording_id)
    old = {**manifest, "tiles": [{"level": 0, "index": 0, "key": "tiles/0/000000.png"}]}
    clients.s3(cloud_settings).put_object(
        Bucket="spectrograms", Key=row.prefix + "manifest.json", Body=json.dumps(old).encode()
    )
    _, manifest = spectrograms.manifest("erin", recording_id)
    (tile,) = manifest["tiles"]
    assert urlsplit(tile["url"]).path.endswith(f"{row.prefix}tiles/0/000000.png")
    assert "range" not in tile


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


def test_the_same_event_twice_at_once_renders_once(cloud_settings, uploaded):
    upload = uploaded("racing.wav", seconds=20.0)
    start = threading.Barrier(2)
    outcomes = []

    def deliver() -> None:
        start.wait()
        outcomes.append(job_with(cloud_settings).run(upload))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.status for o in outcomes) == [status.COMPLETED, jobs.SKIPPED]
    row = SpectrogramModel.get(outcomes[0].recording_id)
    assert row.attempts == 1
    assert attempts_stored(cloud_settings, upload) == {row.attempt_id}


def test_a_new_upload_to_the_same_key_renders_again(cloud_settings, job, uploaded, tone_wav):
    first = uploaded("reused.wav", seconds=2.0)
    job.run(first)
    old = SpectrogramModel.get(recording_of(first).id)
    second = put_audio(cloud_settings, first.key, tone_wav(5.0))
    outcome = job.run(second)
    assert outcome.status == status.COMPLETED
    row = SpectrogramModel.get(old.recording_id)
    recording = RecordingModel.get(old.recording_id)
    assert (row.source_etag, row.width, recording.size) == (second.etag, 1000, second.size)
    assert recording.duration_s == pytest.approx(5.0)
    assert row.prefix != old.prefix
    assert stored(cloud_settings, old.prefix) == set()
    # The first version's event, replayed now, renders nothing: the audio is the second.
    assert job.run(first).status == jobs.SKIPPED


def test_a_file_over_the_upload_limit_fails_before_it_is_rendered(cloud_settings, uploaded):
    limited = dataclasses.replace(cloud_settings, max_upload_bytes=1 * MIB)
    upload = uploaded("huge.wav", seconds=50.0, declared=1000)
    assert upload.size > 1 * MIB
    outcome = job_with(limited).run(upload)
    assert outcome.status == status.FAILED
    error = SpectrogramModel.get(outcome.recording_id).error
    assert "'huge.wav' is 1.6 MB on storage, over the 1 MiB upload limit" in error
    assert everything_of(cloud_settings, upload) == set()


def hanging_attempt(settings, upload: Upload, *, lease_until: float, attempts: int = 1) -> str:
    """Make the row look claimed by another attempt, with images and a download of its own."""
    recording = recording_of(upload)
    attempt_id = uuid.uuid4().hex[:12]
    status.move(
        recording.id,
        status.PROCESSING,
        now=iso(time.time() - 60),
        actions=(
            SpectrogramModel.source_etag.set(upload.etag),
            SpectrogramModel.attempt_id.set(attempt_id),
            SpectrogramModel.lease_until.set(lease_until),
            SpectrogramModel.attempts.set(attempts),
        ),
    )
    prefix = attempt_prefix(upload.key, attempt_id)
    for key in ("tiles/0/000000.png", "tiles/0/000001.png"):
        clients.s3(settings).put_object(Bucket="spectrograms", Key=prefix + key, Body=b"png")
    return attempt_id


def test_a_dead_attempt_is_taken_over_and_its_leftovers_removed(cloud_settings, job, uploaded):
    upload = uploaded("killed.wav")
    dead = hanging_attempt(cloud_settings, upload, lease_until=time.time() - 1)
    outcome = job.run(upload)
    assert outcome.status == status.COMPLETED
    row = SpectrogramModel.get(outcome.recording_id)
    assert row.attempts == 2 and row.attempt_id != dead
    assert stored(cloud_settings, attempt_prefix(upload.key, dead)) == set()


def test_a_live_attempt_is_waited_for_a_while_then_left_alone(cloud_settings, uploaded):
    clock = FakeTime(time.time())
    upload = uploaded("busy.wav")
    live = hanging_attempt(cloud_settings, upload, lease_until=clock.now + 3600)
    before = SpectrogramModel.get(recording_of(upload).id)
    job = job_with(cloud_settings, clock=clock.time, monotonic=clock.time, sleep=clock.sleep)
    outcome = job.run(upload)
    assert (outcome.status, outcome.detail) == (jobs.SKIPPED, "a live attempt renders it")
    assert clock.now - before.lease_until < 0  # it waited, but not for the whole lease
    after = SpectrogramModel.get(before.recording_id)
    assert (after.attempt_id, after.updated_at) == (live, before.updated_at)
    assert len(stored(cloud_settings, attempt_prefix(upload.key, live))) == 2


def test_an_attempt_whose_lease_lapses_while_waited_for_is_taken_over(cloud_settings, uploaded):
    clock = FakeTime(time.time())
    upload = uploaded("dies-soon.wav")
    dead = hanging_attempt(cloud_settings, upload, lease_until=clock.now + 10)
    job = job_with(cloud_settings, clock=clock.time, monotonic=clock.time, sleep=clock.sleep)
    outcome = job.run(upload)
    assert outcome.status == status.COMPLETED
    assert SpectrogramModel.get(outcome.recording_id).attempt_id != dead


def test_a_version_that_keeps_killing_workers_is_left_to_the_sweeper(cloud_settings, job, uploaded):
    upload = uploaded("poison.wav")
    hanging_attempt(cloud_settings, upload, lease_until=time.time() - 1, attempts=3)
    assert job.run(upload).status == jobs.SKIPPED
    assert SpectrogramModel.get(recording_of(upload).id).status == status.PROCESSING


def test_a_throttled_completion_hands_the_job_back_and_keeps_no_images(
    cloud_settings, job, uploaded
):
    upload = uploaded("throttled.wav")
    recording_id = recording_of(upload).id
    with (
        dynamodb_failing("TransactWriteItems", "ProvisionedThroughputExceededException"),
        pytest.raises(StorageError) as raised,
    ):
        job.run(upload)
    assert raised.value.retryable
    row = SpectrogramModel.get(recording_id)
    assert (row.status, row.prefix) == (status.PENDING, None)
    assert everything_of(cloud_settings, upload) == set()
    # The platform's retry then renders it.
    assert job.run(upload).status == status.COMPLETED


def test_a_storage_outage_while_storing_hands_the_job_back(cloud_settings, job, uploaded):
    upload = uploaded("slowdown.wav")
    recording_id = recording_of(upload).id
    s3 = clients.s3(cloud_settings)
    with failing(s3, "PutObject", "SlowDown", status=503), pytest.raises(StorageError):
        job.run(upload)
    assert SpectrogramModel.get(recording_id).status == status.PENDING
    assert everything_of(cloud_settings, upload) == set()


def test_a_tile_object_refused_mid_render_hands_the_job_back_and_keeps_nothing(
    cloud_settings, job, uploaded, monkeypatch
):
    # An object a tile: the first level-0 tile is sent in the background while the render
    # goes on; its failure stops the render.
    monkeypatch.setattr(tiles, "OBJECT_BYTES", 1)
    upload = uploaded("refused.wav", seconds=600.0)
    s3 = clients.s3(cloud_settings)
    first_tile = lambda request: "/tiles/0-0.pngs" in request.url  # noqa: E731
    with (
        failing(s3, "PutObject", "SlowDown", status=503, when=first_tile),
        pytest.raises(StorageError, match="tiles/0-0.pngs"),
    ):
        job.run(upload)
    assert SpectrogramModel.get(recording_of(upload).id).status == status.PENDING
    assert everything_of(cloud_settings, upload) == set()


def test_a_recording_deleted_mid_render_leaves_nothing(cloud_settings, job, uploaded, recordings):
    upload = uploaded("deleted.wav", seconds=60.0)
    recording_id = recording_of(upload).id
    s3 = clients.s3(cloud_settings)
    with before_first(s3, "PutObject", lambda: recordings.delete("erin", recording_id)):
        outcome = job.run(upload)
    assert (outcome.status, outcome.detail) == (jobs.SKIPPED, jobs.SUPERSEDED)
    assert everything_of(cloud_settings, upload) == set()
    with pytest.raises(RecordingModel.DoesNotExist):
        RecordingModel.get(recording_id)


def test_a_recording_being_deleted_is_not_rendered(cloud_settings, job, uploaded):
    upload = uploaded("doomed.wav")
    recording_id = recording_of(upload).id
    # Marked by a bulk delete whose purge is left to the sweeper.
    status.move(recording_id, status.DELETING, now=iso(1_800_000_000))
    outcome = job.run(upload)
    assert (outcome.status, outcome.detail) == (jobs.SKIPPED, status.DELETING)
    assert everything_of(cloud_settings, upload) == set()
    assert SpectrogramModel.get(recording_id).status == status.DELETING


def test_a_new_upload_mid_render_supersedes_the_attempt(cloud_settings, job, uploaded, tone_wav):
    first = uploaded("replaced.wav", seconds=30.0)
    recording_id = recording_of(first).id
    s3 = clients.s3(cloud_settings)
    newer = []

    def upload_again_and_render() -> None:
        newer.append(put_audio(cloud_settings, first.key, tone_wav(5.0)))
        newer.append(job_with(cloud_settings).run(newer[0]))

    with before_first(s3, "PutObject", upload_again_and_render):
        outcome = job.run(first)
    assert (outcome.status, newer[1].status) == (jobs.SKIPPED, status.COMPLETED)
    row = SpectrogramModel.get(recording_id)
    assert row.source_etag == newer[0].etag
    assert RecordingModel.get(recording_id).duration_s == pytest.approx(5.0)
    assert attempts_stored(cloud_settings, first) == {row.attempt_id}


def test_audio_replaced_between_claiming_and_reading_renders_the_new_version(
    cloud_settings, job, uploaded, tone_wav
):
    first = uploaded("changing.wav", seconds=2.0)
    # Made beforehand: the replacement happens inside libsndfile's read, which must not
    # call libsndfile again.
    newer = tone_wav(4.0)
    replace = lambda: put_audio(cloud_settings, first.key, newer)  # noqa: E731
    with before_first(clients.s3(cloud_settings), "GetObject", replace):
        outcome = job.run(first)
    assert outcome.status == status.COMPLETED
    assert RecordingModel.get(outcome.recording_id).duration_s == pytest.approx(4.0)


def test_a_failed_new_version_keeps_no_images(cloud_settings, job, uploaded):
    first = uploaded("good-then-bad.wav")
    job.run(first)
    old_prefix = SpectrogramModel.get(recording_of(first).id).prefix
    outcome = job.run(put_audio(cloud_settings, first.key, b"not audio" * 100))
    assert outcome.status == status.FAILED
    assert SpectrogramModel.get(outcome.recording_id).prefix is None
    assert everything_of(cloud_settings, first) == set()
    assert old_prefix


def test_a_file_that_is_not_audio_fails_naming_the_file(job, uploaded):
    outcome = job.run(uploaded("field notes.flac", b"not audio at all" * 100))
    assert outcome.status == status.FAILED
    row = SpectrogramModel.get(outcome.recording_id)
    assert row.status == status.FAILED
    assert "field notes.flac" in row.error and "not an audio file" in row.error


def ticking() -> itertools.count:
    """A clock that moves one second each time it is read: deadlines become counts."""
    return itertools.count(0.0)


def test_the_watchdog_fails_a_render_past_its_deadline(cloud_settings, uploaded):
    clock = ticking()
    job = job_with(cloud_settings, monotonic=clock.__next__)
    outcome = job.run(uploaded("slow.wav", seconds=5.0), deadline=0)
    assert outcome.status == status.FAILED
    assert (
        "longer than the 300 s processing budget"
        in SpectrogramModel.get(outcome.recording_id).error
    )


def test_a_render_stopped_midway_leaves_no_images(cloud_settings, uploaded, monkeypatch):
    # 147 blocks of 4.1 s at 16 kHz: the watchdog stops the ten minutes after ~110, when
    # three level-0 tiles were made; with an object a tile, the first two were stored.
    monkeypatch.setattr(tiles, "OBJECT_BYTES", 1)
    clock = ticking()
    upload = uploaded("long.wav", seconds=600.0)
    s3 = clients.s3(cloud_settings)
    with watching(s3, "PutObject") as puts:
        outcome = job_with(cloud_settings, monotonic=clock.__next__).run(upload, deadline=120)
    assert outcome.status == status.FAILED
    assert any("/tiles/0-" in url for url in puts)
    assert everything_of(cloud_settings, upload) == set()


@pytest.mark.parametrize("key", ["nobody/unknown.wav", f"ab/erin/{uuid.uuid4()}.wav"])
def test_an_object_no_recording_owns_is_deleted(cloud_settings, job, key):
    upload = put_audio(cloud_settings, key, b"RIFF")
    assert job.run(upload) == jobs.Outcome(key, jobs.SKIPPED, detail=jobs.NO_RECORDING)
    assert not stored_audio(cloud_settings, key)


def test_an_upload_posted_again_after_its_recording_was_deleted_is_deleted(
    cloud_settings, job, recordings, uploaded
):
    upload = uploaded("again.wav")
    recordings.delete("erin", recording_id_in(upload.key))
    # The upload URL stays valid until it expires: the same file posted again.
    again = put_audio(cloud_settings, upload.key, b"RIFF")
    assert job.run(again) == jobs.Outcome(upload.key, jobs.SKIPPED, detail=jobs.NO_RECORDING)
    assert not stored_audio(cloud_settings, upload.key)


def test_an_object_at_another_recordings_id_but_not_its_key_is_deleted(
    cloud_settings, job, uploaded
):
    upload = uploaded("mine.wav")
    elsewhere = put_audio(cloud_settings, "other/" + upload.key.rsplit("/", 1)[1], b"RIFF")
    assert job.run(elsewhere).detail == jobs.NO_RECORDING
    assert not stored_audio(cloud_settings, elsewhere.key)
    assert stored_audio(cloud_settings, upload.key)


def stored_audio(settings, key: str) -> bool:
    listing = clients.s3(settings).list_objects_v2(Bucket="recordings", Prefix=key)
    return listing["KeyCount"] > 0


def test_a_regenerate_whose_announcement_fails_changes_nothing(
    cloud_settings, job, uploaded, spectrograms
):
    outcome = job.run(uploaded("again.wav"))
    before = SpectrogramModel.get(outcome.recording_id)
    s3 = clients.s3(cloud_settings)
    with failing(s3, "CopyObject", "SlowDown", status=503), pytest.raises(StorageError):
        spectrograms.regenerate("erin", outcome.recording_id)
    after = SpectrogramModel.get(outcome.recording_id)
    assert (after.status, after.prefix, after.updated_at) == (
        status.COMPLETED,
        before.prefix,
        before.updated_at,
    )
    assert spectrograms.regenerate("erin", outcome.recording_id) == {"status": status.PENDING}
