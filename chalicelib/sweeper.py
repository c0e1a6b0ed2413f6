"""The sweeper: comes back for the spectrograms nobody else will.

- PROCESSING whose lease lapsed: the attempt died (killed, out of memory, its machine
  gone) and no delivery took it over. What it stored is removed and the upload is
  announced again; after MAX_ATTEMPTS claims it is FAILED with a sentence.
- PENDING for longer than the job budget with the audio stored: its announcement was
  lost, or the platform's retries ran out. It is announced again, at most
  MAX_ANNOUNCEMENTS times, then FAILED with a sentence.
- PENDING with no audio after the upload URL expired (and, for an upload in parts, as
  long after its last part arrived): the upload never came; parts received are dropped.
- DELETING for longer than a request deleting it may take: purged (chalicelib/deletions.py).

A problem with one row is logged and the others are still swept: nothing here may stop
the process that runs it. Kept apart from the job so that the sweeper function imports
no engine (no numpy).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from chalicelib import database, status
from chalicelib.clock import Clock, iso, system_clock
from chalicelib.config import Settings
from chalicelib.deletions import Deletions
from chalicelib.errors import NotFoundError, StorageError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.multipart import MultipartUploads
from chalicelib.renderings import discard, discard_attempt
from chalicelib.storage import Storage

logger = logging.getLogger(__name__)

# An upload may still arrive this long after its URL expired (a slow last request).
LATE_UPLOAD_S = 300


@dataclass
class Sweep:
    """What one sweep did, by recording id."""

    announced: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sweep(*, settings: Settings, storage: Storage, clock: Clock = system_clock) -> Sweep:
    """Announce again or fail every spectrogram left hanging; see the module's docstring."""
    sweeper = _Sweeper(settings, storage, now=clock())
    # A PROCESSING row is looked at once its first lease could have lapsed (heartbeats
    # renew the lease, not updated_at); a PENDING one after a whole job budget; a DELETING
    # one once no request can still be purging it.
    for current, age_s, handle in (
        (status.PROCESSING, settings.job_lease_s, sweeper.dead_attempt),
        (status.PENDING, settings.job_timeout_s, sweeper.waiting_upload),
        (status.DELETING, settings.deletion_budget_s, sweeper.deleted_recording),
    ):
        for recording_id in status.unfinished(current, updated_before=iso(sweeper.now - age_s)):
            try:
                handle(recording_id)
            except Exception:
                # One bad row (or a storage outage) must not stop the sweep or its process.
                logger.exception("could not sweep spectrogram %s", recording_id)
                sweeper.done.errors.append(recording_id)
    return sweeper.done


class _Sweeper:
    def __init__(self, settings: Settings, storage: Storage, *, now: float) -> None:
        self.settings = settings
        self.storage = storage
        self.now = now
        self.done = Sweep()
        self.parts = MultipartUploads(settings=settings, storage=storage, clock=lambda: now)
        self.deletions = Deletions(settings=settings, storage=storage, clock=lambda: now)

    def dead_attempt(self, recording_id: str) -> None:
        found = self._rows(recording_id)
        if found is None:
            return
        recording, row = found
        hanging = status.left_hanging(row, now=self.now, job_timeout_s=self.settings.job_timeout_s)
        if row.status != status.PROCESSING or not hanging:
            return  # alive, or moved on since the index was read
        discard_attempt(self.storage, self.settings, recording, row)
        try:
            self.storage.head(bucket=self.settings.recordings_bucket, key=recording.object_key)
        except NotFoundError:
            self._fail(recording, row, "The uploaded file is gone from storage; upload it again.")
            return
        if row.attempts >= status.MAX_ATTEMPTS:
            self._fail(
                recording,
                row,
                f"Processing {recording.filename!r} stopped unexpectedly {int(row.attempts)} "
                "times (the worker was killed or ran out of memory); split the recording into "
                "shorter files and upload them again.",
            )
            return
        self._announce(recording, row, counted=False)

    def waiting_upload(self, recording_id: str) -> None:
        found = self._rows(recording_id)
        if found is None:
            return
        recording, row = found
        if row.status != status.PENDING:
            return
        try:
            self.storage.head(bucket=self.settings.recordings_bucket, key=recording.object_key)
        except NotFoundError:
            expired = self.now - self.settings.upload_expiry_s - LATE_UPLOAD_S
            # An upload in parts may take longer than one upload window: it has not
            # arrived only once its parts stopped coming too.
            last_part_at = self.parts.last_part_at(recording)
            if row.updated_at < iso(expired) and (last_part_at or 0) < expired:
                self.parts.abort(recording)
                self._fail(
                    recording,
                    row,
                    f"The upload of {recording.filename!r} never arrived; upload the file again.",
                )
            return
        except StorageError:
            # Stored but unreadable: announcing it again is bounded like any other try.
            logger.warning("could not read the audio of %s", recording_id, exc_info=True)
        if row.announcements >= status.MAX_ANNOUNCEMENTS:
            self._fail(
                recording,
                row,
                f"Sonagram could not start processing {recording.filename!r} after "
                f"{int(row.announcements) + 1} tries; press Regenerate to try again.",
            )
            return
        self._announce(recording, row, counted=True)

    def deleted_recording(self, recording_id: str) -> None:
        self.deletions.purge(recording_id)
        self.done.purged.append(recording_id)

    def _rows(self, recording_id: str) -> tuple[RecordingModel, SpectrogramModel] | None:
        try:
            with database.translated(f"read recording {recording_id}"):
                return RecordingModel.get(recording_id), SpectrogramModel.get(recording_id)
        except NotFoundError:
            return None  # deleted since the index was read

    def _announce(self, recording: RecordingModel, row: SpectrogramModel, *, counted: bool) -> None:
        """Back to PENDING (if need be) and the upload announced again, as regenerate does."""
        actions = (SpectrogramModel.lease_until.remove(),)
        if counted:
            actions += (SpectrogramModel.announcements.add(1),)
        try:
            self._move(row, status.PENDING, actions)
        except status.IllegalTransitionError:
            return  # a delivery or a user got there first
        self.storage.rewrite(
            bucket=self.settings.recordings_bucket,
            key=recording.object_key,
            content_type=recording.content_type,
        )
        self.done.announced.append(recording.id)

    def _fail(self, recording: RecordingModel, row: SpectrogramModel, message: str) -> None:
        try:
            self._move(
                row,
                status.FAILED,
                (
                    SpectrogramModel.error.set(message),
                    SpectrogramModel.prefix.remove(),
                    SpectrogramModel.lease_until.remove(),
                ),
            )
        except status.IllegalTransitionError:
            return
        # A FAILED spectrogram serves no images: an earlier rendering goes too.
        discard(self.storage, bucket=self.settings.spectrograms_bucket, prefix=row.prefix)
        self.done.failed.append(recording.id)

    def _move(self, row: SpectrogramModel, new: str, actions: tuple) -> None:
        """Move the row on, if it is still as the sweeper read it."""
        status.move(
            row.recording_id,
            new,
            now=iso(self.now),
            only_from=(row.status,),
            condition=status.unchanged(row),
            actions=actions,
        )
