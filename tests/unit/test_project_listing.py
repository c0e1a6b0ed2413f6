"""A project's recordings as items in its own partition, against a real moto server: written
when a recording is created into the project or moved in, deleted when it moves out or is
purged; the listing, the project's deletion and the count's fallback read them; the
backfill gives older recordings theirs."""

from __future__ import annotations

import itertools

import pytest

from chalicelib import clients, project_recordings, recording_counts, recordings
from chalicelib.models import ProjectRecordingModel, RecordingModel, TallyModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings

OWNER = "pia"


@pytest.fixture
def uploads(cloud_settings) -> Recordings:
    ticks = itertools.count(1_830_000_000)
    storage = clients.storage(cloud_settings)
    return Recordings(settings=cloud_settings, storage=storage, clock=lambda: next(ticks))


@pytest.fixture
def projects(uploads) -> Projects:
    return Projects(recordings=uploads, clock=lambda: 1_830_000_000)


def new_recording(uploads: Recordings, project_id: str | None, name: str = "a.wav") -> str:
    body = {"filename": name, "size": 1, "content_type": "", "project_id": project_id}
    return uploads.create(OWNER, body)["recording"]["id"]


def listed(project_id: str) -> list[str]:
    """The recordings the project's items name, newest first."""
    return [
        item.recording_id
        for item in ProjectRecordingModel.query(
            project_id, scan_index_forward=False, consistent_read=True
        )
    ]


def test_a_recording_created_into_a_project_has_its_item_there(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    recording_id = new_recording(uploads, marsh)
    new_recording(uploads, None)  # private: in no project's partition
    (item,) = ProjectRecordingModel.query(marsh, consistent_read=True)
    created_at = RecordingModel.get(recording_id).created_at
    assert (item.recording_id, item.place) == (recording_id, f"{created_at}_{recording_id}")


def test_the_item_moves_with_the_recording_and_goes_with_its_purge(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    heath = projects.create(OWNER, {"name": "heath"})["id"]
    ids = [new_recording(uploads, marsh) for _ in range(3)]
    private = new_recording(uploads, None)
    uploads.change(OWNER, private, {"project_id": marsh})
    uploads.change(OWNER, ids[0], {"project_id": heath})
    uploads.change(OWNER, ids[1], {"project_id": None})
    assert (listed(marsh), listed(heath)) == ([private, ids[2]], [ids[0]])
    uploads.delete(OWNER, ids[2])
    uploads.deletions.purge(ids[2])  # again, as the sweeper might
    assert listed(marsh) == [private]


def test_the_listing_pages_the_projects_items_newest_first(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    ids = [new_recording(uploads, marsh, f"m{n}.wav") for n in range(5)]
    new_recording(uploads, None)
    shown, cursor = [], None
    while True:
        page = uploads.list(OWNER, project=marsh, limit="2", cursor=cursor)
        shown.append([r["id"] for r in page["recordings"]])
        cursor = page["next"]
        if cursor is None:
            break
    assert shown == [[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]


def test_a_filtered_listing_keeps_its_pages_full(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    names = ["owl.wav", "wren.wav", "owl.wav", "wren.wav", "owl.wav"]
    ids = [new_recording(uploads, marsh, name) for name in names]
    page = uploads.list(OWNER, project=marsh, q="owl", limit="2")
    assert [r["id"] for r in page["recordings"]] == [ids[4], ids[2]]
    rest = uploads.list(OWNER, project=marsh, q="owl", limit="2", cursor=page["next"])
    assert ([r["id"] for r in rest["recordings"]], rest["next"]) == ([ids[0]], None)


def test_an_item_whose_recording_is_gone_is_left_out(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    ids = [new_recording(uploads, marsh) for _ in range(2)]
    RecordingModel(ids[1]).delete()  # as a purge between its transaction's reads
    assert [r["id"] for r in uploads.list(OWNER, project=marsh)["recordings"]] == [ids[0]]
    assert [r.id for r in recordings.in_project(marsh)] == [ids[0]]


def test_deleting_a_project_deletes_the_recordings_its_items_name(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    ids = [new_recording(uploads, marsh) for _ in range(3)]
    assert projects.delete(OWNER, marsh) == 0
    assert listed(marsh) == []
    assert list(RecordingModel.batch_get(ids)) == []


def test_a_project_without_a_kept_count_counts_its_items(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    for _ in range(3):
        new_recording(uploads, marsh)
    TallyModel(marsh, recording_counts.KEY).delete()
    assert recording_counts.of([marsh]) == {marsh: 3}
    assert project_recordings.count(marsh) == 3


def test_the_backfill_gives_older_recordings_their_item_once(uploads, projects):
    marsh = projects.create(OWNER, {"name": "marsh"})["id"]
    ids = [new_recording(uploads, marsh) for _ in range(2)]
    ProjectRecordingModel(marsh, project_recordings.place(RecordingModel.get(ids[0]))).delete()
    assert listed(marsh) == [ids[1]]
    assert project_recordings.backfill() >= 1
    assert listed(marsh) == [ids[1], ids[0]]
    assert project_recordings.backfill() == 0
