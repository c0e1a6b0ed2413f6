"""The lab bench's seed (bench/lab.py) is what the API would have written: the dashboard
and My work read it back as the seed counted it."""

from __future__ import annotations

from bench import lab
from chalicelib import clients, dashboard, my_work
from chalicelib.models import AssignmentModel, RecordingModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings


def test_the_seeded_lab_reads_back_as_counted(cloud_settings):
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 1.9e9
    )
    project_id = Projects(recordings=recordings, clock=lambda: 1.9e9).create(
        lab.OWNER, {"name": "seeded"}
    )["id"]
    names = lab.member_names(6)
    counts = lab.seed(project_id, names, 40)
    board = dashboard.of_project(names[0], project_id)
    assert board["recordings"] == 40
    assert [m["username"] for m in board["members"]] == [lab.OWNER, *names]
    for member in board["members"][1:]:
        count = counts[member["username"]]
        assert (member["assigned"], member["in_progress"], member["done"]) == (
            count.assigned,
            count.in_progress,
            count.recordings_done,
        )
        assert member["audio_hours_done"] == round(count.recordings_done * lab.DURATION_S / 3600, 4)
    assert sum(c.assigned for c in counts.values()) == 44  # every tenth to a blind pair
    busiest = max(names, key=lambda name: counts[name].assigned)
    work = my_work.page(busiest, limit="100")["assignments"]
    assert len(work) == counts[busiest].assigned
    assert [w["assigned_at"] for w in work] == sorted(
        (w["assigned_at"] for w in work), reverse=True
    )
    for item in work:
        row = RecordingModel.get(item["recording_id"])
        assert busiest in row.assignees
        assert AssignmentModel.get(item["recording_id"], busiest).blind == (len(row.assignees) == 2)
    listing = recordings.list(lab.OWNER, project=project_id, limit="100")["recordings"]
    assert [r["filename"] for r in listing] == [f"site-{n:05d}.wav" for n in reversed(range(40))]
