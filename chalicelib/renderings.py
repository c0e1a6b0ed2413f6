"""Where a spectrogram's renderings live, and how those nothing will serve are removed.

A recording's renderings live under its audio's key without the extension: audio
``<hash>/<owner>/<recording>.wav``, images ``<hash>/<owner>/<recording>/<attempt>/...``
(a recording stored before keys began with a hash keeps ``<owner>/<recording>/``, found
from its row the same way). Each attempt at rendering writes under its own prefix, so
whoever outlives an attempt (the attempt that takes its job over, the sweeper) can
remove exactly what it left. No numpy here: the sweeper and the HTTP API import it.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from chalicelib.config import Settings
from chalicelib.errors import StorageError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.storage import Storage

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"


def recording_id_in(object_key: str) -> str:
    """The recording id an audio key names: its file name without the extension."""
    return PurePosixPath(object_key).stem


def spectrogram_prefix(object_key: str) -> str:
    """Every rendering of the recording whose audio is stored at ``object_key``."""
    return object_key.removesuffix(PurePosixPath(object_key).suffix) + "/"


def attempt_prefix(object_key: str, attempt_id: str) -> str:
    """The images and manifest of one attempt."""
    return f"{spectrogram_prefix(object_key)}{attempt_id}/"


def discard(storage: Storage, *, bucket: str, prefix: str | None) -> None:
    """Remove what ``prefix`` holds, best effort: a leftover must not fail the caller.

    What is left when S3 fails stays listed in the log; DELETE of the recording still
    removes everything under its prefix.
    """
    if not prefix:
        return
    try:
        storage.delete_prefix(bucket=bucket, prefix=prefix)
    except StorageError:
        logger.warning("could not remove s3://%s/%s*", bucket, prefix, exc_info=True)


def discard_attempt(
    storage: Storage, settings: Settings, recording: RecordingModel, row: SpectrogramModel
) -> None:
    """Remove the images of the attempt that held ``row`` when it was read, taken over
    because it died (or was superseded); a row no attempt held leaves nothing to remove."""
    if row.attempt_id:
        discard(
            storage,
            bucket=settings.spectrograms_bucket,
            prefix=attempt_prefix(recording.object_key, row.attempt_id),
        )
