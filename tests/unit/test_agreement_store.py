"""A blind recording's agreement, recorded for its project and read back, against a real moto
server (chalicelib/agreements.py)."""

from __future__ import annotations

import functools
import itertools
import json

import pytest

from chalicelib import agreements, clients
from chalicelib.access import Role
from chalicelib.annotations import Bounds, check_box
from chalicelib.errors import ConflictError, ForbiddenError, NotFoundError
from chalicelib.models import RecordingModel, TallyModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings
from tests.blind_layers import layer, member, set_state
from tests.faults import before_first, dynamodb_clients

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


@pytest.fixture
def services(cloud_settings) -> tuple[Recordings, Projects]:
    ticks = itertools.count(1_870_000_000)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )
    return recordings, Projects(recordings=recordings, clock=lambda: next(ticks))


@pytest.fixture
def project_id(services) -> str:
    project = services[1].create(OWNER, {"name": "Marsh"})["id"]
    for username, role in ((ANA, Role.ANNOTATOR), (BEN, Role.ANNOTATOR), (VIV, Role.VIEWER)):
        member(project, username, role, by=OWNER)
    return project


def blind_recording(services, project_id: str, *, states=("done", "done")) -> str:
    """A 20 s recording at 20 kHz assigned blind to ana and ben, holding the worked example."""
    body = {"filename": "marsh.wav", "size": 1, "content_type": "", "project_id": project_id}
    recording_id = services[0].create(OWNER, body)["recording"]["id"]
    RecordingModel(recording_id).update(
        actions=[
            RecordingModel.duration_s.set(20.0),
            RecordingModel.sample_rate.set(20_000),
            RecordingModel.channels.set(1),
        ]
    )
    for (name, boxes), state in zip(((ANA, ANA_BOXES), (BEN, BEN_BOXES)), states, strict=True):
        layer(recording_id, project_id, name, boxes, state=state, by=OWNER)
    return recording_id


def stored_summary(project_id: str, recording_id: str) -> dict | None:
    try:
        item = TallyModel.get(project_id, agreements.key(recording_id), consistent_read=True)
    except TallyModel.DoesNotExist:
        return None
    return json.loads(item.agreement)


def test_a_viewer_reads_the_recordings_agreement_once_both_are_done(services, project_id):
    recording_id = blind_recording(services, project_id)
    answer = agreements.of_recording(VIV, recording_id)
    assert answer["annotators"] == [ANA, BEN]
    assert answer["version"] == 0
    figures = answer["figures"]
    assert (figures["matched"], figures["match_rate"]) == (4, {"a": 1.0, "b": 0.8})
    assert figures["kappa"] == pytest.approx(5 / 9)
    pairs = [(p["a"] and p["a"]["id"], p["b"] and p["b"]["id"]) for p in answer["pairs"]]
    assert pairs == [("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a4", "b4"), (None, "b5")]
    assert answer["pairs"][1]["same_label"] is False
    assert answer["pairs"][1]["offset_diff_s"] == pytest.approx(0.2)


def test_the_agreement_waits_for_both_annotators(services, project_id):
    recording_id = blind_recording(services, project_id, states=("done", "in_progress"))
    with pytest.raises(ConflictError, match="ben is in progress"):
        agreements.of_recording(ANA, recording_id)


def test_a_recording_not_annotated_blind_has_no_agreement(services, project_id):
    body = {"filename": "x.wav", "size": 1, "content_type": "", "project_id": project_id}
    recording_id = services[0].create(OWNER, body)["recording"]["id"]
    with pytest.raises(ConflictError, match="not annotated blind by two members"):
        agreements.of_recording(OWNER, recording_id)


def test_someone_outside_the_project_is_told_there_is_no_such_recording(services, project_id):
    recording_id = blind_recording(services, project_id)
    with pytest.raises(NotFoundError):
        agreements.of_recording("mallory", recording_id)
    with pytest.raises(NotFoundError):
        agreements.of_project("mallory", project_id)


def test_the_last_done_records_the_summary_and_a_reopening_forgets_it(services, project_id):
    recording_id = blind_recording(services, project_id, states=("done", "in_progress"))
    agreements.after_state_change(recording_id, project_id)
    assert stored_summary(project_id, recording_id) is None
    set_state(recording_id, BEN, "done")
    agreements.after_state_change(recording_id, project_id)
    summary = stored_summary(project_id, recording_id)
    assert summary["annotators"] == [ANA, BEN]
    assert summary["tally"]["boxes_b"] == 5
    set_state(recording_id, ANA, "in_progress")
    agreements.after_state_change(recording_id, project_id)
    assert stored_summary(project_id, recording_id) is None


def test_a_summary_is_not_stored_when_an_assignment_reopens_meanwhile(services, project_id):
    recording_id = blind_recording(services, project_id)
    recording = RecordingModel.get(recording_id)
    transactions = dynamodb_clients()[-1]
    # ana reopens after record() read both assignments done, before it stores the summary.
    reopen = functools.partial(set_state, recording_id, ANA, "in_progress")
    with before_first(transactions, "TransactWriteItems", reopen):
        assert not agreements.record(recording)
    assert stored_summary(project_id, recording_id) is None


def test_the_projects_agreement_pools_its_recordings_and_each_pair(services, project_id):
    first = blind_recording(services, project_id)
    second = blind_recording(services, project_id)
    for recording_id in (first, second):
        agreements.after_state_change(recording_id, project_id)
    answer = agreements.of_project(VIV, project_id)
    assert answer["recordings"] == 2
    figures = answer["figures"]
    # The worked example twice: the same rates and kappa, twice the counts.
    assert figures["boxes"] == {"a": 8, "b": 10}
    assert figures["match_rate"] == {"a": 1.0, "b": 0.8}
    assert figures["kappa"] == pytest.approx(5 / 9)
    assert figures["onset_diff_s"]["median"] == pytest.approx(0.015)
    [pair] = answer["annotator_pairs"]
    assert (pair["annotators"], pair["recordings"]) == ([ANA, BEN], 2)
    assert pair["figures"] == figures


def test_a_project_without_double_annotation_has_empty_figures(services, project_id):
    answer = agreements.of_project(OWNER, project_id)
    assert (answer["recordings"], answer["annotator_pairs"]) == (0, [])
    assert answer["figures"]["kappa"] is None


@pytest.mark.parametrize(
    ("limit", "kappa_kept"),
    # The worked example's summary takes 270 characters, 241 without its differences.
    [(250, True), (200, False)],
)
def test_a_summary_too_large_for_an_item_drops_its_lists(
    services, project_id, monkeypatch, limit: int, kappa_kept: bool
):
    monkeypatch.setattr(agreements, "MAX_SUMMARY_CHARS", limit)
    recording_id = blind_recording(services, project_id)
    agreements.after_state_change(recording_id, project_id)
    tally = stored_summary(project_id, recording_id)["tally"]
    assert (tally["onsets"], tally["offsets"]) == (None, None)
    assert (tally["confusion"] is not None) is kappa_kept
    figures = agreements.of_project(OWNER, project_id)["figures"]
    assert figures["onset_diff_s"]["mean"] == pytest.approx(0.0075)
    assert figures["onset_diff_s"]["median"] is None
    assert (figures["kappa"] is not None) is kappa_kept


def test_a_viewer_may_not_merge(services, project_id):
    recording_id = blind_recording(services, project_id)
    with pytest.raises(ForbiddenError, match="merging a consensus needs annotator or owner"):
        agreements.merge(VIV, recording_id, {"version": 0, "choices": []}, clock=lambda: 0)
