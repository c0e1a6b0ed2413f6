"""The spectrogram job: claim the upload, render it, store the images, record the outcome.

Failures are sorted once: a bad file (or a render over budget) is FAILED with a
sentence the user can act on; a retryable storage error hands the job back and
re-raises so the platform retries; nothing stays PROCESSING for ever (the
sweeper catches what a killed process left behind).
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pynamodb.exceptions import PynamoDBException, UpdateError

from chalicelib import status
from chalicelib.clock import Clock, iso, system_clock
from chalicelib.config import Settings
from chalicelib.errors import NotFoundError, StorageError
from chalicelib.events import Upload
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.recordings import MANIFEST, spectrogram_prefix
from chalicelib.spectrogram import AudioError, Rendering, RenderTimeout, render
from chalicelib.storage import IMAGE_CACHE_CONTROL, Storage

logger = logging.getLogger(__name__)

COMPLETED, FAILED, SKIPPED = status.COMPLETED, status.FAILED, "SKIPPED"


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    recording_id: str | None = None
    detail: str | None = None


class SpectrogramJob:
    def __init__(
        self,
        *,
        settings: Settings,
        storage: Storage,
        clock: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._storage = storage
        self._clock = clock
        self._monotonic = monotonic

    def run(self, upload: Upload, *, deadline: float | None = None) -> Outcome:
        """Render one uploaded recording, once, however often its event arrives."""
        recording = self._recording_for(upload.key)
        if recording is None:
            return Outcome(upload.key, SKIPPED, detail="no recording has this object key")
        claimed_at = self._clock()
        try:
            claimed = status.move(
                recording.id,
                status.PROCESSING,
                now=iso(claimed_at),
                actions=(
                    SpectrogramModel.source_etag.set(upload.etag),
                    SpectrogramModel.started_at.set(iso(claimed_at)),
                    SpectrogramModel.attempts.add(1),
                    SpectrogramModel.error.remove(),
                ),
            )
        except status.IllegalTransitionError:
            return Outcome(upload.key, SKIPPED, recording.id, "already claimed or finished")

        started = self._monotonic()
        prefix = spectrogram_prefix(recording.owner, recording.id) + uuid.uuid4().hex[:12] + "/"
        try:
            rendering, timings = self._render(recording, upload, prefix, deadline)
        except AudioError as e:
            return self._fail(recording, upload, str(e), started)
        except RenderTimeout:
            budget = round(self._settings.job_timeout_s)
            return self._fail(
                recording,
                upload,
                f"Rendering {recording.filename!r} took longer than the {budget} s processing "
                "budget; split the recording into shorter files and upload them again.",
                started,
            )
        except NotFoundError:
            return self._fail(
                recording,
                upload,
                "The uploaded file is gone from storage; upload it again.",
                started,
            )
        except StorageError as e:
            if e.retryable:
                self._release(recording.id)
                raise
            return self._fail(recording, upload, f"Storage refused the job: {e}", started)
        except Exception:
            # A bug, not the user's file: record it so the row never hangs, keep the traceback.
            logger.exception("rendering %s failed unexpectedly", upload.key)
            return self._fail(
                recording,
                upload,
                "Sonagram hit an internal error while rendering this file; it has been logged.",
                started,
            )
        outcome = self._complete(recording, upload, rendering, prefix, timings, started)
        if outcome.status == COMPLETED and claimed.prefix:
            # A regenerate replaced an earlier rendering: its images are no longer listed.
            self._storage.delete_prefix(
                bucket=self._settings.spectrograms_bucket, prefix=claimed.prefix
            )
        return outcome

    def _recording_for(self, key: str) -> RecordingModel | None:
        try:
            match = next(RecordingModel.by_object_key.query(key, limit=1), None)
            return RecordingModel.get(match.id) if match else None
        except RecordingModel.DoesNotExist:
            return None
        except PynamoDBException as e:
            raise StorageError(f"could not look up the recording of {key}", retryable=True) from e

    def _render(
        self, recording: RecordingModel, upload: Upload, prefix: str, deadline: float | None
    ) -> tuple[Rendering, dict]:
        """Render into ``prefix``; if anything fails, the images already stored go too."""
        try:
            return self._render_into(recording, upload, prefix, deadline)
        except BaseException:
            with contextlib.suppress(StorageError):
                self._storage.delete_prefix(
                    bucket=self._settings.spectrograms_bucket, prefix=prefix
                )
            raise

    def _render_into(
        self, recording: RecordingModel, upload: Upload, prefix: str, deadline: float | None
    ) -> tuple[Rendering, dict]:
        bucket = self._settings.spectrograms_bucket
        t0 = self._monotonic()
        with (
            tempfile.TemporaryDirectory(prefix="sonagram-") as tmp,
            self._storage.parallel_puts(
                bucket=bucket, content_type="image/png", cache_control=IMAGE_CACHE_CONTROL
            ) as put_png,
        ):
            path = Path(tmp) / ("audio" + PurePosixPath(upload.key).suffix)
            self._storage.download(bucket=upload.bucket, key=upload.key, path=path)
            t1 = self._monotonic()
            rendering = render(
                path,
                name=recording.filename,
                tile_sink=lambda key, png: put_png(prefix + key, png),
                max_duration_s=self._settings.max_duration_s,
                deadline=deadline,
            )
            put_png(prefix + rendering.manifest["overview"]["key"], rendering.overview_png)
        t2 = self._monotonic()
        # The manifest goes last: once it exists, every image it lists does too.
        self._storage.put(
            bucket=bucket,
            key=prefix + MANIFEST,
            body=json.dumps(rendering.manifest).encode(),
            content_type="application/json",
            cache_control=None,
        )
        t3 = self._monotonic()
        timings = {
            "download": round((t1 - t0) * 1000),
            "render": round((t2 - t1) * 1000),
            "store": round((t3 - t2) * 1000),
        }
        return rendering, timings

    def _elapsed_ms(self, started: float) -> int:
        return round((self._monotonic() - started) * 1000)

    def _complete(
        self,
        recording: RecordingModel,
        upload: Upload,
        rendering: Rendering,
        prefix: str,
        timings: dict,
        started: float,
    ) -> Outcome:
        try:
            recording.update(
                actions=[
                    RecordingModel.duration_s.set(rendering.duration_s),
                    RecordingModel.sample_rate.set(rendering.sample_rate),
                    RecordingModel.channels.set(rendering.channels),
                ],
                condition=RecordingModel.id.exists(),
            )
            status.move(
                recording.id,
                status.COMPLETED,
                now=iso(self._clock()),
                actions=(
                    SpectrogramModel.prefix.set(prefix),
                    SpectrogramModel.width.set(rendering.width),
                    SpectrogramModel.height.set(rendering.height),
                    SpectrogramModel.processing_ms.set(self._elapsed_ms(started)),
                    SpectrogramModel.timings_ms.set(timings),
                    SpectrogramModel.engine_version.set(rendering.manifest["engine_version"]),
                ),
            )
        except (status.IllegalTransitionError, UpdateError):
            # Deleted (or swept) while rendering: leave nothing behind.
            self._storage.delete_prefix(bucket=self._settings.spectrograms_bucket, prefix=prefix)
            return Outcome(upload.key, SKIPPED, recording.id, "recording deleted while rendering")
        return Outcome(upload.key, COMPLETED, recording.id)

    def _fail(self, recording: RecordingModel, upload: Upload, message: str, started: float):
        logger.info("spectrogram of %s failed: %s", upload.key, message)
        try:
            status.move(
                recording.id,
                status.FAILED,
                now=iso(self._clock()),
                actions=(
                    SpectrogramModel.error.set(message),
                    SpectrogramModel.processing_ms.set(self._elapsed_ms(started)),
                ),
            )
        except status.IllegalTransitionError:
            return Outcome(upload.key, SKIPPED, recording.id, "recording deleted while rendering")
        return Outcome(upload.key, FAILED, recording.id, message)

    def _release(self, recording_id: str) -> None:
        """Hand a job back after a retryable error, so the retry can claim it."""
        with contextlib.suppress(status.IllegalTransitionError):
            status.move(recording_id, status.PENDING, now=iso(self._clock()))
