"""The dashboard's count of a project's recordings, kept as recordings are created in a
project, moved in, out and between projects, and deleted (purged twice, counted once)."""

from __future__ import annotations

from chalicelib import dashboard, recording_counts
from chalicelib.models import TallyModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings

OWNER = "rosa"


def counted(project_id: str) -> int:
    try:
        item = TallyModel.get(project_id, recording_counts.KEY, consistent_read=True)
    except TallyModel.DoesNotExist:
        return 0
    return int(item.recordings or 0)


def new_recording(recordings: Recordings, project_id: str | None) -> str:
    body = {"filename": "a.wav", "size": 1, "content_type": "", "project_id": project_id}
    return recordings.create(OWNER, body)["recording"]["id"]


def test_the_count_follows_recordings_in_and_out(recordings):
    projects = Projects(recordings=recordings, clock=lambda: 1_820_000_000)
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    heath = projects.create(OWNER, {"name": "heath"})["id"]
    ids = [new_recording(recordings, marsh) for _ in range(3)]
    private = new_recording(recordings, None)
    assert (counted(marsh), counted(heath)) == (3, 0)
    recordings.change(OWNER, private, {"project_id": marsh})
    recordings.change(OWNER, private, {"project_id": marsh})  # already there: no count
    assert counted(marsh) == 4
    recordings.change(OWNER, ids[0], {"project_id": heath})
    recordings.change(OWNER, ids[1], {"project_id": None})
    assert (counted(marsh), counted(heath)) == (2, 1)
    recordings.delete(OWNER, ids[2])
    recordings.deletions.purge(ids[2])  # again, as the sweeper might
    assert counted(marsh) == 1
    assert dashboard.of_project(OWNER, marsh)["recordings"] == 1
    assert dashboard.of_project(OWNER, heath)["recordings"] == 1
