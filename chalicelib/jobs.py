"""The spectrogram job: claim an upload, render it, store the images, record the outcome.

Deliveries come at least once; each version of the audio renders once
(docs/reliability.md says what is guaranteed and which test proves it):

- A claim is a conditional write on the row exactly as it was read, so of two
  deliveries of one event only one renders.
- The attempt holding the claim renews a lease while it works. A delivery that finds
  the lease lapsed takes the job over and removes what the dead attempt left; one that
  finds it live waits a little for it to finish, then leaves it be.
- A new upload to the same key (another ETag) renders again, superseding an attempt
  still at work on the old version; the audio is read only if it is still the
  version claimed.
- Failures are sorted once: a bad file (or a render over budget) is FAILED with a
  sentence the user can act on; a retryable storage error hands the job back and
  re-raises so the platform retries. What an attempt stored is removed unless it
  completed. The sweeper catches what nobody comes back for.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from chalicelib import database, status
from chalicelib.box_jobs import AudioVersion, BoxJob
from chalicelib.clock import Clock, iso, system_clock
from chalicelib.config import Settings, readable_bytes
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import ChangedError, NotFoundError, StorageError
from chalicelib.events import Upload
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.paging import ISSUED_ID
from chalicelib.renderings import (
    MANIFEST,
    attempt_prefix,
    discard,
    discard_attempt,
    recording_id_in,
)
from chalicelib.spectrogram import AudioError, Rendering, RenderTimeout, render
from chalicelib.storage import IMAGE_CACHE_CONTROL, Storage

logger = logging.getLogger(__name__)

COMPLETED, FAILED, SKIPPED = status.COMPLETED, status.FAILED, "SKIPPED"
SUPERSEDED = "deleted, or superseded by a newer attempt, while rendering"
NO_RECORDING = "no recording has this object key: deleted"
# An object of tiles is PNGs back to back, read a tile at a time by byte range.
TILES_TYPE = "application/octet-stream"
HEARTBEATS_PER_LEASE = 4
# How long a delivery waits for a live attempt at the same version, in leases.
WAIT_LEASES = 1.5
# New uploads to the same key while this job read it: claim the newest, a few times.
MAX_VERSION_RACES = 3


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    recording_id: str | None = None
    detail: str | None = None


class Decision(StrEnum):
    CLAIM = "claim"
    WAIT = "wait"
    SKIP = "skip"


def decide(
    row: SpectrogramModel, *, etag: str, now: float, max_attempts: int = status.MAX_ATTEMPTS
) -> Decision:
    """What a delivery of audio version ``etag`` at epoch ``now`` does with ``row``."""
    if row.status == status.DELETING:
        return Decision.SKIP
    if row.status == status.PENDING or row.source_etag != etag:
        # Waiting, or a new upload: render it, even over an attempt at the old version.
        return Decision.CLAIM
    if row.status in status.FINISHED:
        return Decision.SKIP
    if (row.lease_until or 0) > now:
        return Decision.WAIT
    # The attempt died. Take it over, unless this version keeps killing workers: the
    # sweeper then fails it with a sentence.
    return Decision.CLAIM if row.attempts < max_attempts else Decision.SKIP


@dataclass(frozen=True)
class Claim:
    recording: RecordingModel
    attempt_id: str
    etag: str
    size: int
    # The row as it was before this claim: what it replaces.
    previous: SpectrogramModel

    @property
    def prefix(self) -> str:
        return attempt_prefix(self.recording.object_key, self.attempt_id)

    @property
    def holds(self):
        """The condition that this attempt still holds the claim."""
        return SpectrogramModel.attempt_id == self.attempt_id


class SpectrogramJob:
    def __init__(
        self,
        *,
        settings: Settings,
        storage: Storage,
        clock: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._boxes = BoxJob(settings=settings, storage=storage, clock=clock, monotonic=monotonic)

    def run(self, upload: Upload, *, deadline: float | None = None) -> Outcome:
        """Render one uploaded recording, once per version, however often its event arrives."""
        recording = self._recording_for(upload.key)
        if recording is None:
            # Posted again through an upload URL after its recording was deleted (the URL
            # stays valid until it expires), or never anyone's: nothing would remove it.
            self._storage.delete(bucket=upload.bucket, key=upload.key)
            return Outcome(upload.key, SKIPPED, detail=NO_RECORDING)
        for _ in range(MAX_VERSION_RACES):
            try:
                stored = self._storage.head(bucket=upload.bucket, key=upload.key)
            except NotFoundError:
                return Outcome(upload.key, SKIPPED, recording.id, "the audio was deleted")
            claim = self._claim(
                recording, etag=stored["ETag"].strip('"'), size=stored["ContentLength"]
            )
            if isinstance(claim, Outcome):
                return claim
            try:
                return self._work(claim, upload, deadline)
            except ChangedError:
                logger.info("%s changed while it was read: claiming the new version", upload.key)
        raise StorageError(f"{upload.key} kept changing while it was read", retryable=True)

    def _recording_for(self, key: str) -> RecordingModel | None:
        """The recording whose audio is stored at ``key``, read consistently: the object is
        deleted when there is none, so a row saved a moment ago must be found."""
        recording_id = recording_id_in(key)
        if not ISSUED_ID.fullmatch(recording_id):
            return None
        try:
            with database.translated(f"read the recording of {key}"):
                recording = RecordingModel.get(recording_id, consistent_read=True)
        except NotFoundError:
            return None
        return recording if recording.object_key == key else None

    def _claim(self, recording: RecordingModel, *, etag: str, size: int) -> Claim | Outcome:
        lease_s = self._settings.job_lease_s
        give_up_at = self._monotonic() + WAIT_LEASES * lease_s
        while True:
            try:
                with database.translated(f"read spectrogram {recording.id}"):
                    row = SpectrogramModel.get(recording.id)
            except NotFoundError:
                return Outcome(recording.object_key, SKIPPED, recording.id, "recording deleted")
            now = self._clock()
            decision = decide(row, etag=etag, now=now)
            if decision is Decision.SKIP:
                return Outcome(recording.object_key, SKIPPED, recording.id, row.status)
            if decision is Decision.WAIT:
                if self._monotonic() >= give_up_at:
                    return Outcome(
                        recording.object_key, SKIPPED, recording.id, "a live attempt renders it"
                    )
                self._sleep(lease_s / HEARTBEATS_PER_LEASE)
                continue
            attempt_id = uuid.uuid4().hex[:12]
            new_version = row.source_etag != etag
            try:
                status.move(
                    recording.id,
                    status.PROCESSING,
                    now=iso(now),
                    only_from=(row.status,),
                    condition=status.unchanged(row),
                    actions=(
                        SpectrogramModel.source_etag.set(etag),
                        SpectrogramModel.attempt_id.set(attempt_id),
                        SpectrogramModel.lease_until.set(now + lease_s),
                        SpectrogramModel.started_at.set(iso(now)),
                        SpectrogramModel.attempts.set(1)
                        if new_version
                        else SpectrogramModel.attempts.add(1),
                        SpectrogramModel.error.remove(),
                    ),
                )
            except status.IllegalTransitionError:
                # Another writer moved it since it was read: look again, for a while.
                if self._monotonic() >= give_up_at:
                    raise StorageError(
                        f"spectrogram {recording.id} kept changing while being claimed",
                        retryable=True,
                    ) from None
                continue
            if row.status == status.PROCESSING:
                # Taken over from a dead (or superseded) attempt: remove what it stored.
                # A superseded attempt still at work removes its own when it cannot complete.
                discard_attempt(self._storage, self._settings, recording, row)
            return Claim(recording, attempt_id, etag, size, previous=row)

    def _work(self, claim: Claim, upload: Upload, deadline: float | None) -> Outcome:
        started = self._monotonic()
        completed = False
        try:
            with self._heartbeat(claim):
                if claim.size > self._settings.max_upload_bytes:
                    return self._fail(claim, self._too_large(claim), started)
                presets = self._boxes.presets_for(claim.recording)
                rendering, timings = self._render(claim, upload, deadline, presets)
                self._complete(claim, rendering, timings, started)
                completed = True
        except AudioError as e:
            return self._fail(claim, str(e), started)
        except RenderTimeout:
            budget = round(self._settings.job_timeout_s)
            return self._fail(
                claim,
                f"Rendering {claim.recording.filename!r} took longer than the {budget} s "
                "processing budget; split the recording into shorter files and upload them again.",
                started,
            )
        except status.IllegalTransitionError:
            return Outcome(upload.key, SKIPPED, claim.recording.id, SUPERSEDED)
        except NotFoundError:
            return self._fail(
                claim, "The uploaded file is gone from storage; upload it again.", started
            )
        except ChangedError:
            self._release(claim)
            raise
        except StorageError as e:
            if e.retryable:
                self._release(claim)
                raise
            return self._fail(claim, f"Storage refused the job: {e}", started)
        except Exception:
            # A bug, not the user's file: record it so the row never hangs, keep the traceback.
            logger.exception("rendering %s failed unexpectedly", upload.key)
            return self._fail(
                claim,
                "Sonagram hit an internal error while rendering this file; it has been logged.",
                started,
            )
        finally:
            if not completed:
                self._discard(claim.prefix)
        # The rendering served until now is replaced.
        self._discard(claim.previous.prefix)
        # Boxes may have been added before the audio was decoded (nothing could measure them
        # then): they are measured now, with the proposals of the project's presets.
        audio = AudioVersion(upload.bucket, upload.key, claim.etag, claim.size)
        self._boxes.after_render(
            claim.recording.id, presets, rendering.detections, audio=audio, deadline=deadline
        )
        return Outcome(upload.key, COMPLETED, claim.recording.id)

    def _too_large(self, claim: Claim) -> str:
        limit = readable_bytes(self._settings.max_upload_bytes)
        return (
            f"{claim.recording.filename!r} is {claim.size / 1e6:.1f} MB on storage, over the "
            f"{limit} upload limit; split it into shorter files and upload them again."
        )

    @contextmanager
    def _heartbeat(self, claim: Claim) -> Iterator[None]:
        """Renew the claim's lease while the block runs, so no one takes a live job over."""
        lease_s = self._settings.job_lease_s
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(lease_s / HEARTBEATS_PER_LEASE):
                try:
                    with database.translated(f"renew the lease of {claim.recording.id}"):
                        SpectrogramModel(claim.recording.id).update(
                            actions=[SpectrogramModel.lease_until.set(self._clock() + lease_s)],
                            condition=claim.holds & (SpectrogramModel.status == status.PROCESSING),
                        )
                except database.ConditionFailed:
                    return  # superseded or deleted: completing will fail and clean up
                except StorageError:
                    # One missed beat leaves the lease a few more beats to live.
                    logger.warning("lease of %s not renewed", claim.recording.id, exc_info=True)

        thread = threading.Thread(target=beat, name="sonagram-lease", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _render(
        self, claim: Claim, upload: Upload, deadline: float | None, presets: list[DetectorPreset]
    ) -> tuple[Rendering, dict]:
        """Render into the claim's prefix, running the detector presets in the same pass; the
        caller removes it if anything fails."""
        bucket = self._settings.spectrograms_bucket
        t1 = self._monotonic()
        # The audio is decoded straight from S3 in ranges (no copy on /tmp, whatever its
        # size); each object of tiles goes out while the next is being made (a few objects,
        # never a whole level in memory).
        with (
            self._storage.background_puts(
                bucket=bucket, content_type=TILES_TYPE, cache_control=IMAGE_CACHE_CONTROL
            ) as put,
            self._storage.open_ranged(
                bucket=upload.bucket, key=upload.key, etag=claim.etag, size=claim.size
            ) as audio,
        ):
            rendering = render(
                audio,
                name=claim.recording.filename,
                tile_sink=lambda key, data: put(claim.prefix + key, data),
                max_duration_s=self._settings.max_duration_s,
                deadline=deadline,
                clock=self._monotonic,
                # A project's enabled presets, searched in the same pass as the drawing.
                detectors=presets,
            )
        self._storage.put(
            bucket=bucket,
            key=claim.prefix + rendering.manifest["overview"]["key"],
            body=rendering.overview_png,
            content_type="image/png",
            cache_control=IMAGE_CACHE_CONTROL,
        )
        t2 = self._monotonic()
        # The manifest goes last: once it exists, every image it lists does too.
        self._storage.put(
            bucket=bucket,
            key=claim.prefix + MANIFEST,
            body=json.dumps(rendering.manifest).encode(),
            content_type="application/json",
            cache_control=None,
        )
        t3 = self._monotonic()
        timings = {
            # Reading the audio is part of rendering: the two overlap.
            "render": round((t2 - t1) * 1000),
            "store": round((t3 - t2) * 1000),
        }
        return rendering, timings

    def _elapsed_ms(self, started: float) -> int:
        return round((self._monotonic() - started) * 1000)

    def _complete(self, claim: Claim, rendering: Rendering, timings: dict, started: float) -> None:
        """COMPLETED and what the audio turned out to be, in one write, if the claim holds."""
        self._move(
            claim,
            status.COMPLETED,
            actions=(
                SpectrogramModel.prefix.set(claim.prefix),
                SpectrogramModel.lease_until.remove(),
                SpectrogramModel.width.set(rendering.width),
                SpectrogramModel.height.set(rendering.height),
                SpectrogramModel.processing_ms.set(self._elapsed_ms(started)),
                SpectrogramModel.timings_ms.set(timings),
                SpectrogramModel.engine_version.set(rendering.manifest["engine_version"]),
            ),
            recording_actions=(
                RecordingModel.size.set(claim.size),
                RecordingModel.duration_s.set(rendering.duration_s),
                RecordingModel.sample_rate.set(rendering.sample_rate),
                RecordingModel.channels.set(rendering.channels),
            ),
        )

    def _fail(self, claim: Claim, message: str, started: float) -> Outcome:
        key = claim.recording.object_key
        logger.info("spectrogram of %s failed: %s", key, message)
        try:
            self._move(
                claim,
                status.FAILED,
                actions=(
                    SpectrogramModel.error.set(message),
                    SpectrogramModel.prefix.remove(),
                    SpectrogramModel.lease_until.remove(),
                    SpectrogramModel.processing_ms.set(self._elapsed_ms(started)),
                ),
            )
        except status.IllegalTransitionError:
            return Outcome(
                key, SKIPPED, claim.recording.id, "deleted or superseded while rendering"
            )
        # A failed new version leaves nothing to serve: the old images go too.
        self._discard(claim.previous.prefix)
        return Outcome(key, FAILED, claim.recording.id, message)

    def _release(self, claim: Claim) -> None:
        """Hand a job back after a retryable error, so the retry can claim it at once.

        If even that fails, the lease lapses and the next delivery takes the job over.
        """
        try:
            self._move(claim, status.PENDING, actions=(SpectrogramModel.lease_until.remove(),))
        except (status.IllegalTransitionError, StorageError):
            logger.warning("could not hand %s back", claim.recording.id, exc_info=True)

    def _move(
        self, claim: Claim, new: str, *, actions: tuple, recording_actions: tuple = ()
    ) -> None:
        """Move the claimed job on from PROCESSING, if this attempt still holds it."""
        status.move(
            claim.recording.id,
            new,
            now=iso(self._clock()),
            only_from=(status.PROCESSING,),
            condition=claim.holds,
            actions=actions,
            recording_actions=recording_actions,
        )

    def _discard(self, prefix: str | None) -> None:
        discard(self._storage, bucket=self._settings.spectrograms_bucket, prefix=prefix)
