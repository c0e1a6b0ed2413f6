"""The worker's work on a recording's boxes: detector proposals and their measurements.

Four ways in, each safe to run twice (deliveries come at least once):

- after a render that ran the project's enabled presets in the same pass
  (:meth:`BoxJob.after_render`, called by chalicelib/jobs.py): write the proposals, then
  measure what lacks values; a failure here is the detection's, never the render's (and a
  failure to measure leaves the detection done, the boxes pending);
- a ``detect`` task: the same from the audio, without drawing (**Run detector**);
- a ``measure`` task: measure the boxes without current values, in batches, each saved as
  it is done; near the deadline the rest goes to a new ``measure`` task;
- a ``detect_project`` task: one ``detect`` task per recording of the project, sent in
  batches; near the deadline the rest of the project goes to a new ``detect_project`` task.

Re-running is harmless: a run replaces only its presets' unreviewed proposals
(chalicelib/proposals.py), and measuring skips boxes whose values are current.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib import (
    annotation_sets,
    database,
    detections,
    measurements,
    proposals,
    status,
    tasks,
)
from chalicelib.clock import Clock, system_clock
from chalicelib.config import Settings
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import (
    ChangedError,
    ConflictError,
    NotFoundError,
    SonagramError,
    StorageError,
)
from chalicelib.models import ProjectModel, ProjectRecordingModel, RecordingModel, SpectrogramModel
from chalicelib.spectrogram import AudioError, RenderTimeout, detect
from chalicelib.spectrogram.measure import measure_boxes
from chalicelib.storage import Storage

logger = logging.getLogger(__name__)

DONE, FAILED, SKIPPED = "DONE", "FAILED", "SKIPPED"
# Boxes measured, then saved, at a time: a deadline loses at most one batch's work.
MEASURE_BATCH = 200
# Recordings of a project whose detect tasks go out together.
FAN_OUT_BATCH = 100
INTERNAL_ERROR = "Sonagram hit an internal error while running the detector; it has been logged."


@dataclass(frozen=True)
class TaskOutcome:
    """What one task came to, logged and returned as a render's outcome is."""

    key: str
    status: str
    recording_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AudioVersion:
    """One version of a recording's audio: the detectors and measurements read this one."""

    bucket: str
    key: str
    etag: str
    size: int


class BoxJob:
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

    def run(self, task: dict, *, deadline: float | None = None) -> TaskOutcome:
        """Do one task (:func:`chalicelib.tasks.task_of`)."""
        kind = task[tasks.KEY]
        if kind == tasks.DETECT:
            return self.detect(task["recording_id"], task.get("presets"), deadline=deadline)
        if kind == tasks.MEASURE:
            return self.measure(task["recording_id"], deadline=deadline)
        return self.detect_project(
            task["project_id"], task.get("presets"), start=task.get("start"), deadline=deadline
        )

    # The render's part.

    def presets_for(self, recording: RecordingModel) -> list[DetectorPreset]:
        """The enabled presets of the recording's project, for the render to run.

        Presets that cannot be read fail the detection, not the render: it goes on without.
        """
        if recording.project_id is None:
            return []
        try:
            with database.translated(f"read project {recording.project_id}"):
                project = ProjectModel.get(recording.project_id, consistent_read=True)
        except NotFoundError:
            return []
        try:
            return [p for p in detections.project_presets(project) if p.enabled]
        except ValueError as e:  # a PresetError, or text that is not JSON
            message = f"The project's detector presets are unreadable: {e}"
            self._record_failure(recording.id, message)
            return []

    def after_render(
        self,
        recording_id: str,
        presets: list[DetectorPreset],
        found: dict,
        *,
        audio: AudioVersion,
        deadline: float | None,
    ) -> None:
        """Write what the render's detectors ``found`` ({preset name: Detections}), if any ran,
        and measure the boxes; whatever goes wrong is recorded in the detection state, never
        raised."""
        try:
            if presets:
                self._propose(recording_id, presets, found)
        except (NotFoundError, ChangedError):
            logger.info("%s was deleted or uploaded again: its detection is moot", recording_id)
            return
        except SonagramError as e:
            self._record_failure(
                recording_id, f"The proposals could not be stored ({e}); run the detector again."
            )
            return
        except Exception:
            # The spectrogram is COMPLETED and stays so: the detection alone failed.
            logger.exception("detection after the render of %s failed", recording_id)
            self._record_failure(recording_id, INTERNAL_ERROR)
            return
        self._measure_proposals(recording_id, audio, deadline)

    # Tasks.

    def detect(
        self, recording_id: str, names: list[str] | None, *, deadline: float | None
    ) -> TaskOutcome:
        """Run the presets (``names``, or the enabled ones) on a rendered recording."""
        key = f"{tasks.DETECT} {recording_id}"
        recording = self._recording(recording_id)
        spectrogram = self._spectrogram(recording_id)
        if recording is None or spectrogram is None:
            return TaskOutcome(key, SKIPPED, recording_id, "recording deleted")
        if spectrogram.status != status.COMPLETED:
            if spectrogram.status in (status.PENDING, status.PROCESSING):
                # Its render runs the enabled presets in the same pass.
                return TaskOutcome(key, SKIPPED, recording_id, "being rendered")
            return self._failed(
                key, recording_id, "The recording has no spectrogram: upload it again."
            )
        try:
            presets = detections.chosen(self._project_of(recording), names)
        except ConflictError as e:
            return self._failed(key, recording_id, e.message)
        detections.record(recording_id, detections.state(detections.RUNNING, at=self._clock()))
        try:
            audio = self._audio(recording)
            found = self._detect(recording, presets, audio, deadline)
            self._propose(recording_id, presets, found)
        except (NotFoundError, ChangedError):
            return TaskOutcome(key, SKIPPED, recording_id, "deleted or uploaded again")
        except AudioError as e:
            return self._failed(key, recording_id, str(e))
        except RenderTimeout:
            budget = round(self._settings.job_timeout_s)
            return self._failed(
                key,
                recording_id,
                f"The detector took longer than the {budget} s processing budget on "
                f"{recording.filename!r}; split the recording into shorter files.",
            )
        except StorageError as e:
            if e.retryable:
                raise  # delivered again; the state says running meanwhile
            return self._failed(key, recording_id, f"Storage refused the detection: {e}")
        except SonagramError as e:
            return self._failed(
                key, recording_id, f"The proposals could not be stored: {e.message}"
            )
        except Exception:
            # A bug, not the user's file: record it so the state never hangs, keep the trace.
            logger.exception("detection on %s failed unexpectedly", recording_id)
            return self._failed(key, recording_id, INTERNAL_ERROR)
        self._measure_proposals(recording_id, audio, deadline)
        return TaskOutcome(key, DONE, recording_id)

    def measure(self, recording_id: str, *, deadline: float | None) -> TaskOutcome:
        """Measure the recording's boxes that lack current values."""
        key = f"{tasks.MEASURE} {recording_id}"
        recording = self._recording(recording_id)
        if recording is None:
            return TaskOutcome(key, SKIPPED, recording_id, "recording deleted")
        try:
            measured = self._measure(recording_id, self._audio(recording), deadline)
        except (NotFoundError, ChangedError):
            return TaskOutcome(key, SKIPPED, recording_id, "deleted or uploaded again")
        return TaskOutcome(key, DONE, recording_id, f"{measured} boxes measured")

    def detect_project(
        self,
        project_id: str,
        names: list[str] | None,
        *,
        start: dict | None = None,
        deadline: float | None,
    ) -> TaskOutcome:
        """Send one ``detect`` task per rendered recording of the project (from ``start``,
        where a task that ran out of time stopped). A recording still rendering is left out:
        its render runs the project's enabled presets itself."""
        key = f"{tasks.DETECT_PROJECT} {project_id}"
        sent = 0
        batch: list[str] = []
        with database.translated(f"list the recordings of project {project_id}"):
            listing = ProjectRecordingModel.query(project_id, last_evaluated_key=start)
            for row in listing:
                batch.append(row.recording_id)
                if len(batch) < FAN_OUT_BATCH:
                    continue
                sent += self._send_detects(batch, names)
                batch = []
                if self._past(deadline) and listing.last_evaluated_key is not None:
                    tasks.send(
                        self._settings,
                        tasks.DETECT_PROJECT,
                        project_id=project_id,
                        presets=names,
                        start=listing.last_evaluated_key,
                    )
                    return TaskOutcome(key, DONE, detail=f"{sent} recordings, the rest queued")
        sent += self._send_detects(batch, names)
        return TaskOutcome(key, DONE, detail=f"{sent} recordings")

    def _send_detects(self, recording_ids: list[str], names: list[str] | None) -> int:
        """A ``detect`` task for each of these recordings whose spectrogram is COMPLETED."""
        if not recording_ids:
            return 0
        with database.translated("read the spectrograms of a project's recordings"):
            rendered = [
                row.recording_id
                for row in SpectrogramModel.batch_get(
                    recording_ids, attributes_to_get=["recording_id", "status"]
                )
                if row.status == status.COMPLETED
            ]
        tasks.send_many(
            self._settings,
            tasks.DETECT,
            [{"recording_id": recording_id, "presets": names} for recording_id in rendered],
        )
        return len(rendered)

    # Steps.

    def _propose(self, recording_id: str, presets: list[DetectorPreset], found: dict) -> None:
        """Write the proposals and record the detection done, with what each preset found."""
        proposed = [proposals.Proposed(p, found[p.name].boxes(p)) for p in presets]
        written = proposals.write(recording_id, proposed, clock=self._clock)
        summary = {
            p.name: {
                "proposals": written.stored[p.name],
                "candidates": found[p.name].candidates,
                "dropped": written.dropped[p.name],
                "refused": {
                    reason: found[p.name].refused.get(reason, 0) for reason in detections.REFUSALS
                },
            }
            for p in presets
        }
        detections.record(
            recording_id, detections.state(detections.DONE, at=self._clock(), presets=summary)
        )

    def _measure_proposals(
        self, recording_id: str, audio: AudioVersion, deadline: float | None
    ) -> None:
        """Measure the new proposals (and any box lacking values) in the same invocation.

        The detection is done whatever happens here: boxes left unmeasured show as pending,
        and a storage hiccup sends a ``measure`` task to try again.
        """
        try:
            self._measure(recording_id, audio, deadline)
        except (NotFoundError, ChangedError):
            logger.info("%s was deleted or uploaded again: nothing to measure", recording_id)
        except StorageError as e:
            logger.warning("measuring %s failed: %s", recording_id, e)
            # Not sent either: the next save of the set sends one, and the viewer shows pending.
            if e.retryable:
                with contextlib.suppress(StorageError):
                    tasks.send(self._settings, tasks.MEASURE, recording_id=recording_id)
        except Exception:
            logger.exception("measuring %s after its detection failed", recording_id)

    def _detect(
        self,
        recording: RecordingModel,
        presets: list[DetectorPreset],
        audio: AudioVersion,
        deadline: float | None,
    ) -> dict:
        with self._open(audio) as source:
            return detect(
                source,
                name=recording.filename,
                presets=presets,
                max_duration_s=self._settings.max_duration_s,
                deadline=deadline,
                clock=self._monotonic,
            )

    def _measure(self, recording_id: str, audio: AudioVersion, deadline: float | None) -> int:
        """Measure the boxes without current values, a batch at a time; how many were.

        Out of time, what is left goes to a new ``measure`` task.
        """
        recording = self._recording(recording_id)
        if recording is None:
            return 0
        recording, boxes = annotation_sets.load(recording)
        todo = measurements.missing(boxes, measurements.load(recording))
        measured = 0
        for first in range(0, len(todo), MEASURE_BATCH):
            batch = todo[first : first + MEASURE_BATCH]
            try:
                if self._past(deadline):
                    raise RenderTimeout
                with self._open(audio) as source:
                    values = measure_boxes(
                        source,
                        name=recording.filename,
                        boxes=batch,
                        deadline=deadline,
                        clock=self._monotonic,
                    )
            except RenderTimeout:
                tasks.send(self._settings, tasks.MEASURE, recording_id=recording_id)
                left = len(todo) - measured
                logger.info("%s: %d boxes left to a new measure task", recording_id, left)
                return measured
            try:
                measurements.save(
                    recording,
                    {
                        box["id"]: (measurements.geometry(box), box_values)
                        for box, box_values in zip(batch, values, strict=True)
                    },
                )
            except database.ConditionFailed:
                # Another task is saving this recording's values at the same time (each write
                # sends one): this one stands aside, and a new task measures what is left.
                tasks.send(self._settings, tasks.MEASURE, recording_id=recording_id)
                logger.info("%s: measured by another task meanwhile; the rest queued", recording_id)
                return measured
            measured += len(batch)
        return measured

    # Reading and recording.

    def _past(self, deadline: float | None) -> bool:
        return deadline is not None and self._monotonic() >= deadline

    def _open(self, audio: AudioVersion):
        return self._storage.open_ranged(
            bucket=audio.bucket, key=audio.key, etag=audio.etag, size=audio.size
        )

    def _audio(self, recording: RecordingModel) -> AudioVersion:
        bucket = self._settings.recordings_bucket
        stored = self._storage.head(bucket=bucket, key=recording.object_key)
        return AudioVersion(
            bucket, recording.object_key, stored["ETag"].strip('"'), stored["ContentLength"]
        )

    def _recording(self, recording_id: str) -> RecordingModel | None:
        try:
            with database.translated(f"read recording {recording_id}"):
                return RecordingModel.get(recording_id, consistent_read=True)
        except NotFoundError:
            return None

    def _spectrogram(self, recording_id: str) -> SpectrogramModel | None:
        try:
            with database.translated(f"read spectrogram {recording_id}"):
                return SpectrogramModel.get(recording_id, consistent_read=True)
        except NotFoundError:
            return None

    def _project_of(self, recording: RecordingModel) -> ProjectModel:
        """The recording's project; ConflictError when it is in none (any more)."""
        no_project = ConflictError(
            f"{recording.filename!r} is in no project, and detector presets belong to a project"
        )
        if recording.project_id is None:
            raise no_project
        try:
            with database.translated(f"read project {recording.project_id}"):
                return ProjectModel.get(recording.project_id, consistent_read=True)
        except NotFoundError:
            raise no_project from None

    def _record_failure(self, recording_id: str, message: str) -> None:
        logger.info("detection on %s failed: %s", recording_id, message)
        failed = detections.state(detections.FAILED, at=self._clock(), error=message)
        with contextlib.suppress(NotFoundError, database.ConditionFailed):  # deleted meanwhile
            detections.record(recording_id, failed)

    def _failed(self, key: str, recording_id: str, message: str) -> TaskOutcome:
        self._record_failure(recording_id, message)
        return TaskOutcome(key, FAILED, recording_id, message)
