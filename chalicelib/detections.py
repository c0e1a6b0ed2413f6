"""Running a project's detector presets: which presets a request means, the detection state a
recording shows, and the requests that queue a run (``POST /recordings/{id}/detect``,
``POST /projects/{id}/detect``).

The worker does the running (chalicelib/box_jobs.py); this module is numpy-free, so the API
imports it. The state lives on the recording row (``RecordingModel.detection``)::

    {"state": "queued" | "running" | "done" | "failed", "at": ISO 8601, "error": str | None,
     "presets": {name: {"proposals": n, "candidates": n, "dropped": n,
                        "refused": {"too_short": n, "too_long": n, "low_occupancy": n}}}}

``dropped`` counts proposals left out because the recording's set was full (the highest
scoring are kept).
"""

from __future__ import annotations

import json

from chalicelib import access, database, project_recordings, projects, status, tasks
from chalicelib.access import Need
from chalicelib.clock import Clock, iso
from chalicelib.config import Settings
from chalicelib.detector_presets import DetectorPreset, presets_from_json
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError, StorageError
from chalicelib.models import ProjectModel, RecordingModel, SpectrogramModel
from chalicelib.validation import some_fields

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
REFUSALS = ("too_short", "too_long", "low_occupancy")


def state(name: str, *, at: float, error: str | None = None, presets: dict | None = None) -> dict:
    """A detection state as the recording row keeps it and the API shows it."""
    if name not in STATES:
        raise ValueError(f"unknown detection state {name!r}; one of {', '.join(STATES)}")
    return {"state": name, "at": iso(at), "error": error, "presets": presets or {}}


def record(recording_id: str, detection: dict) -> None:
    """Write the detection state of a recording that still exists."""
    with database.translated(f"record the detection state of {recording_id}"):
        RecordingModel(recording_id).update(
            actions=[RecordingModel.detection.set(detection)],
            condition=RecordingModel.id.exists(),
        )


def view(recording: RecordingModel) -> dict | None:
    """The recording's detection state as plain JSON (None: never run)."""
    return None if recording.detection is None else recording.detection.as_dict()


def project_presets(project: ProjectModel) -> list[DetectorPreset]:
    """Every preset of the project, enabled or not, in its order."""
    if not project.detectors:
        return []
    return presets_from_json(json.loads(project.detectors))


def chosen(project: ProjectModel, names: list[str] | None) -> list[DetectorPreset]:
    """The presets a run means: those named (enabled or not), else the enabled ones.

    ConflictError naming the fix when the project has none of them.
    """
    try:
        presets = project_presets(project)
    except ValueError as e:  # a PresetError, or text that is not JSON
        raise ConflictError(
            f"project {project.name!r} holds detector presets Sonagram cannot read ({e}): "
            "save them again on the project page"
        ) from e
    if not presets:
        raise ConflictError(
            f"project {project.name!r} has no detector preset: add one on the project page, "
            "then run the detector"
        )
    if names is None:
        enabled = [preset for preset in presets if preset.enabled]
        if not enabled:
            raise ConflictError(
                f"no detector preset of project {project.name!r} is enabled: enable one, or "
                "name the presets to run"
            )
        return enabled
    by_name = {preset.name: preset for preset in presets}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ConflictError(
            f"project {project.name!r} has no detector preset {unknown[0]!r}; its presets are "
            f"{', '.join(map(repr, by_name))}"
        )
    return [by_name[name] for name in dict.fromkeys(names)]


def requested_names(body: object) -> list[str] | None:
    """The ``presets`` of a request body (optional; null or absent: the enabled ones)."""
    if body is None:
        return None
    names = some_fields(body, "presets").get("presets")
    if names is not None and not (
        isinstance(names, list) and names and all(isinstance(name, str) for name in names)
    ):
        raise BadRequestError(
            f"presets must be a non-empty list of preset names, or null for the enabled ones, "
            f"not {names!r:.80}"
        )
    return names


class DetectorRuns:
    def __init__(self, *, settings: Settings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock

    def run_recording(
        self, recording: RecordingModel, spectrogram: SpectrogramModel, body: object
    ) -> dict:
        """Queue a run of the presets on one of the user's recordings; its detection state,
        queued."""
        names = requested_names(body)
        if recording.project_id is None:
            raise ConflictError(
                f"{recording.filename!r} is in no project, and detector presets belong to a "
                "project: move it into one with a preset, then run the detector"
            )
        try:
            project = projects.read(recording.project_id)
        except NotFoundError as e:  # being deleted along with its project
            raise NotFoundError(f"no recording {recording.id!r}") from e
        presets = chosen(project, names)
        if spectrogram.status != status.COMPLETED:
            raise ConflictError(
                f"the spectrogram of {recording.filename!r} is {spectrogram.status}, not "
                "COMPLETED: the detector runs on a rendered recording (a render in progress "
                "runs the enabled presets itself)"
            )
        # Queued before it is sent: the worker's "running" and "done" must come after it.
        queued = state(QUEUED, at=self._clock())
        record(recording.id, queued)
        try:
            tasks.send(
                self._settings,
                tasks.DETECT,
                recording_id=recording.id,
                presets=None if names is None else [preset.name for preset in presets],
            )
        except StorageError as e:
            record(recording.id, state(FAILED, at=self._clock(), error=f"{e.message}; try again"))
            raise
        return {"detection": queued}

    def run_project(self, user: str, project_id: str, body: object) -> dict:
        """Queue a run of the presets on each recording of the project (the worker fans
        it out); how many recordings the project has."""
        names = requested_names(body)
        project, _ = access.project(user, project_id, Need.ANNOTATE, action="running detectors")
        chosen(project, names)
        count = project_recordings.count(project.id)
        if count:
            tasks.send(self._settings, tasks.DETECT_PROJECT, project_id=project.id, presets=names)
        return {"recordings": count}
