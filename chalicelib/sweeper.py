"""The sweeper: fails the spectrograms that a killed worker or a lost upload left hanging.

Kept apart from the job so that the sweeper function imports no engine (no numpy).
"""

from __future__ import annotations

from chalicelib import status
from chalicelib.clock import Clock, iso, system_clock
from chalicelib.config import Settings
from chalicelib.errors import NotFoundError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.storage import Storage


def sweep(*, settings: Settings, storage: Storage, clock: Clock = system_clock) -> list[str]:
    """Fail the spectrograms a killed worker or a lost upload left hanging; returns their ids.

    PROCESSING longer than the job budget (plus a minute of grace) means the worker
    died; PENDING longer than the upload URL lives (plus five minutes) with no
    object means the upload never came.
    """
    now = clock()
    swept = []
    stale = {
        status.PROCESSING: (
            settings.job_timeout_s + 60,
            "Processing stopped unexpectedly (the worker was killed or timed out); "
            "upload the file again.",
        ),
        status.PENDING: (
            settings.upload_expiry_s + 300,
            "The upload never arrived; upload the file again.",
        ),
    }
    for old_status, (max_age_s, message) in stale.items():
        rows = SpectrogramModel.by_status.query(
            old_status, SpectrogramModel.updated_at < iso(now - max_age_s)
        )
        for row in rows:
            if old_status == status.PENDING and _uploaded(row.recording_id, storage, settings):
                continue
            try:
                status.move(
                    row.recording_id,
                    status.FAILED,
                    now=iso(now),
                    actions=(SpectrogramModel.error.set(message),),
                )
            except status.IllegalTransitionError:
                continue
            swept.append(row.recording_id)
    return swept


def _uploaded(recording_id: str, storage: Storage, settings: Settings) -> bool:
    try:
        recording = RecordingModel.get(recording_id)
        storage.head(bucket=settings.recordings_bucket, key=recording.object_key)
    except (RecordingModel.DoesNotExist, NotFoundError):
        return False
    return True
