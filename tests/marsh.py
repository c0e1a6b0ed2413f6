"""Ana's project "marsh" and one-minute recordings in it, made as the routes make them (real
moto tables), at one fixed time: for the tests of what is kept per recording and project."""

from __future__ import annotations

from chalicelib.models import RecordingModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings, owned_recording

NOW = 1_800_000_000.0


def clock() -> float:
    return NOW


def new_project(recordings: Recordings) -> str:
    return Projects(recordings=recordings, clock=clock).create("ana", {"name": "marsh"})["id"]


def new_recording(recordings: Recordings, project_id: str | None) -> RecordingModel:
    """A one-minute recording of ana's, in the project (or private), as read back."""
    body = {"filename": "dawn.wav", "size": 1, "content_type": "", "project_id": project_id}
    row = owned_recording("ana", recordings.create("ana", body)["recording"]["id"])
    row.update(actions=[RecordingModel.duration_s.set(60.0), RecordingModel.sample_rate.set(48000)])
    return owned_recording("ana", row.id)
