"""A recording assigned blind to two annotators, each with their own boxes, written straight
into the tables (the models bound to them) as the assignment and annotation routes would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from chalicelib import chunks, clients, layers, models
from chalicelib.access import Role
from chalicelib.annotations import Bounds, check_box
from chalicelib.config import Settings
from chalicelib.models import AssignmentModel, MemberModel, RecordingModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings

AT = "2026-12-07T12:00:00.000000Z"


def member(project_id: str, username: str, role: Role, *, by: str) -> None:
    MemberModel(project_id, username, role=str(role), added_at=AT, added_by=by).save()


def layer(
    recording_id: str, project_id: str, assignee: str, boxes: list[dict], *, state: str, by: str
) -> None:
    """The assignee's blind assignment, holding ``boxes`` as their own layer."""
    row = AssignmentModel(
        recording_id,
        assignee,
        project_id=project_id,
        state=state,
        blind=True,
        assigned_at=AT,
        assigned_by=by,
        updated_at=AT,
    )
    row.save()
    layers.switch(row, chunks.encode(boxes), count=len(boxes), version=0)


def set_state(recording_id: str, assignee: str, state: str) -> None:
    AssignmentModel(recording_id, assignee).update(actions=[AssignmentModel.state.set(state)])


OWNER, ANA, BEN, VIV = "olga", "ana", "ben", "viv"
BOUNDS = Bounds(duration_s=20.0, nyquist_hz=10_000.0, channels=1)


def box(box_id: str, start: float, end: float, label: str, **more) -> dict:
    raw = {"id": box_id, "start_s": start, "end_s": end, "label": label, **more}
    return check_box(raw, where=box_id, bounds=BOUNDS)


# The worked example of docs/lab-agreement.md (tests/unit/test_agreement.py works it out).
ANA_BOXES = [
    box("a1", 1.0, 2.0, "wren", low_hz=1000, high_hz=3000),
    box("a2", 4.0, 5.0, "robin", low_hz=2000, high_hz=4000),
    box("a3", 7.0, 7.5, "wren"),
    box("a4", 9.0, 9.0, "owl"),
]
BEN_BOXES = [
    box("b1", 0.9, 2.0, "wren", low_hz=1000, high_hz=3000),
    box("b2", 4.0, 5.2, "wren", low_hz=2000, high_hz=4000),
    box("b3", 7.1, 7.5, "wren"),
    box("b4", 9.03, 9.03, "owl"),
    box("b5", 12.0, 13.0, "robin"),
]


@dataclass(frozen=True)
class Lab:
    """A project of olga's where ana and ben annotate and viv views (the models bound to
    the unit tests' moto server)."""

    recordings: Recordings
    project_id: str

    @classmethod
    def new(cls, settings: Settings) -> Lab:
        # Another test module may have pointed the models elsewhere (an app's own stage).
        models.bind(settings)
        ticks = itertools.count(1_870_000_000)
        recordings = Recordings(
            settings=settings, storage=clients.storage(settings), clock=lambda: next(ticks)
        )
        projects = Projects(recordings=recordings, clock=lambda: next(ticks))
        project_id = projects.create(OWNER, {"name": "Marsh"})["id"]
        for username, role in ((ANA, Role.ANNOTATOR), (BEN, Role.ANNOTATOR), (VIV, Role.VIEWER)):
            member(project_id, username, role, by=OWNER)
        return cls(recordings, project_id)

    def recording(self) -> str:
        """A 20 s recording of the project, sampled at 20 kHz."""
        body = {
            "filename": "marsh.wav",
            "size": 1,
            "content_type": "",
            "project_id": self.project_id,
        }
        recording_id = self.recordings.create(OWNER, body)["recording"]["id"]
        decoded(recording_id)
        return recording_id

    def blind_recording(self, *, states=("done", "done")) -> str:
        """A recording assigned blind to ana and ben, holding the worked example."""
        recording_id = self.recording()
        for (name, boxes), state in zip(((ANA, ANA_BOXES), (BEN, BEN_BOXES)), states, strict=True):
            layer(recording_id, self.project_id, name, boxes, state=state, by=OWNER)
        return recording_id


def decoded(recording_id: str) -> None:
    """What decoding learns of the worked example's recording: 20 s, 20 kHz, mono."""
    RecordingModel(recording_id).update(
        actions=[
            RecordingModel.duration_s.set(20.0),
            RecordingModel.sample_rate.set(20_000),
            RecordingModel.channels.set(1),
        ]
    )
