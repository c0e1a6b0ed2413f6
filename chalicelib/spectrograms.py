"""A recording's spectrogram as the HTTP API serves it: its status, its manifest with
presigned URLs of the images and the audio, a regenerate, and the audio itself.

Reading them needs the right to see the recording; regenerating, to annotate it
(chalicelib/access.py).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import PurePosixPath

from chalicelib import status
from chalicelib.access import Need
from chalicelib.audio_types import canonical_type
from chalicelib.clock import Clock, iso
from chalicelib.config import Settings
from chalicelib.errors import ConflictError, NotFoundError, StorageError
from chalicelib.http_headers import content_disposition
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import with_spectrogram
from chalicelib.renderings import MANIFEST, discard_attempt
from chalicelib.storage import IMAGE_CACHE_CONTROL, Storage


def _sign_tiles(tiles: list[dict], url: Callable[[str], str]) -> None:
    """Give each tile the ``url`` it is read from, and its ``range`` there if it has one.

    A tile of an engine since 1.2 is bytes ``offset`` to ``offset + length - 1`` of the
    ``object`` of its level holding it, one URL an object; an older tile is an object of
    its own, ``key``.
    """
    object_urls: dict[str, str] = {}
    for tile in tiles:
        if "key" in tile:
            tile["url"] = url(tile["key"])
            continue
        if tile["object"] not in object_urls:
            object_urls[tile["object"]] = url(tile["object"])
        tile["url"] = object_urls[tile["object"]]
        tile["range"] = f"bytes={tile['offset']}-{tile['offset'] + tile['length'] - 1}"


class Spectrograms:
    def __init__(self, *, settings: Settings, storage: Storage, clock: Clock) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock

    def read_status(self, user: str, recording_id: str) -> dict:
        _, spectrogram, _ = with_spectrogram(user, recording_id, Need.SEE)
        return {
            "status": spectrogram.status,
            "error": spectrogram.error,
            "processing_ms": spectrogram.processing_ms,
            "width": int(spectrogram.width) if spectrogram.width else None,
            "height": int(spectrogram.height) if spectrogram.height else None,
            "updated_at": spectrogram.updated_at,
        }

    def manifest(self, user: str, recording_id: str) -> tuple[str, dict]:
        """(status, body): once COMPLETED, the manifest with presigned URLs of its images
        and of the audio (an ``<audio>`` element cannot send a bearer token), and
        ``urls_expire_at``, when the first of them expires."""
        recording, spectrogram, _ = with_spectrogram(user, recording_id, Need.SEE)
        if spectrogram.status == status.FAILED:
            return spectrogram.status, {"status": spectrogram.status, "error": spectrogram.error}
        if spectrogram.status != status.COMPLETED:
            return spectrogram.status, {"status": spectrogram.status}
        bucket = self._settings.spectrograms_bucket
        manifest = self._storage.read_json(bucket=bucket, key=spectrogram.prefix + MANIFEST)
        # Read before signing, in whole seconds as the signatures date themselves: no URL
        # below expires before this moment.
        signed_at = math.floor(self._clock())

        def url(relative_key: str) -> str:
            return self._storage.presign_download(
                bucket=bucket,
                key=spectrogram.prefix + relative_key,
                expires_s=self._settings.download_expiry_s,
                CacheControl=IMAGE_CACHE_CONTROL,
            )

        manifest["image_url"] = url(manifest["overview"]["key"])
        _sign_tiles(manifest.get("tiles", []), url)
        manifest["audio_url"] = self._audio_download(recording)
        manifest["urls_expire_at"] = iso(signed_at + self._settings.download_expiry_s)
        return spectrogram.status, manifest

    def regenerate(self, user: str, recording_id: str) -> dict:
        """Render again (say, after an engine upgrade, or a job left hanging) through the same
        path as an upload."""
        recording, spectrogram, _ = with_spectrogram(
            user, recording_id, Need.ANNOTATE, action="regenerating its spectrogram"
        )
        bucket = self._settings.recordings_bucket
        try:
            self._storage.head(bucket=bucket, key=recording.object_key)
        except NotFoundError as e:
            raise ConflictError(
                f"{recording.filename!r} was never uploaded: upload the file again"
            ) from e
        now = self._clock()
        pending_since = iso(now)
        # A job nobody is working on is taken over, as the sweeper would, without waiting for it.
        hanging = status.left_hanging(
            spectrogram, now=now, job_timeout_s=self._settings.job_timeout_s
        )
        try:
            status.move(
                recording_id,
                status.PENDING,
                now=pending_since,
                only_from=(*status.FINISHED, spectrogram.status) if hanging else status.FINISHED,
                condition=status.unchanged(spectrogram),
                actions=(
                    SpectrogramModel.error.remove(),
                    SpectrogramModel.lease_until.remove(),
                    SpectrogramModel.attempts.set(0),
                    SpectrogramModel.announcements.set(0),
                ),
            )
        except status.IllegalTransitionError as e:
            raise ConflictError(
                f"the spectrogram is {spectrogram.status}: wait until it is finished"
            ) from e
        if spectrogram.status == status.PROCESSING:
            discard_attempt(self._storage, self._settings, recording, spectrogram)
        try:
            # The copy fires the bucket's ObjectCreated notification, as the upload did.
            self._storage.rewrite(
                bucket=bucket, key=recording.object_key, content_type=recording.content_type
            )
        except StorageError:
            # Nothing will render: put the finished spectrogram back rather than leave it
            # PENDING. Should that fail too, the sweeper announces it again.
            with contextlib.suppress(status.IllegalTransitionError, StorageError):
                status.restore(spectrogram, pending_since=pending_since)
            raise
        return {"status": status.PENDING}

    def audio_url(self, user: str, recording_id: str) -> str:
        """A presigned GET of the audio (browsers stream it with Range requests)."""
        recording, _, _ = with_spectrogram(user, recording_id, Need.SEE)
        return self._audio_download(recording)

    def _audio_download(self, recording: RecordingModel) -> str:
        return self._storage.presign_download(
            bucket=self._settings.recordings_bucket,
            key=recording.object_key,
            expires_s=self._settings.download_expiry_s,
            # Audio whatever type the object was stored with: a page uploaded under
            # another type must never be served as one.
            ContentType=canonical_type(PurePosixPath(recording.object_key).suffix),
            ContentDisposition=content_disposition(recording.filename),
        )
