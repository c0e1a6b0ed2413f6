"""A blind recording's agreement, recorded for its project and read back, against a real moto
server (chalicelib/agreements.py)."""

from __future__ import annotations

import functools
import json

import pytest

from chalicelib import agreements
from chalicelib.errors import ConflictError, NotFoundError
from chalicelib.models import RecordingModel, TallyModel
from tests.blind_layers import ANA, ANA_BOXES, BEN, OWNER, VIV, Lab, layer, set_state
from tests.faults import before_first, dynamodb_clients


@pytest.fixture
def lab(cloud_settings) -> Lab:
    return Lab.new(cloud_settings)


def stored_summary(project_id: str, recording_id: str) -> dict | None:
    try:
        item = TallyModel.get(project_id, agreements.key(recording_id), consistent_read=True)
    except TallyModel.DoesNotExist:
        return None
    return json.loads(item.agreement)


def test_a_viewer_reads_the_recordings_agreement_once_both_are_done(lab):
    recording_id = lab.blind_recording()
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


def test_the_agreement_waits_for_both_annotators(lab):
    recording_id = lab.blind_recording(states=("done", "in_progress"))
    with pytest.raises(ConflictError, match="ben is in progress"):
        agreements.of_recording(ANA, recording_id)


def test_a_recording_not_annotated_blind_has_no_agreement(lab):
    recording_id = lab.recording()
    with pytest.raises(ConflictError, match="not annotated blind by two members"):
        agreements.of_recording(OWNER, recording_id)


def test_someone_outside_the_project_is_told_there_is_no_such_recording(lab):
    recording_id = lab.blind_recording()
    with pytest.raises(NotFoundError):
        agreements.of_recording("mallory", recording_id)
    with pytest.raises(NotFoundError):
        agreements.of_project("mallory", lab.project_id)


def test_the_last_done_records_the_summary_and_a_reopening_forgets_it(lab):
    recording_id = lab.blind_recording(states=("done", "in_progress"))
    agreements.after_state_change(recording_id, lab.project_id)
    assert stored_summary(lab.project_id, recording_id) is None
    set_state(recording_id, BEN, "done")
    agreements.after_state_change(recording_id, lab.project_id)
    summary = stored_summary(lab.project_id, recording_id)
    assert summary["annotators"] == [ANA, BEN]
    assert summary["tally"]["boxes_b"] == 5
    set_state(recording_id, ANA, "in_progress")
    agreements.after_state_change(recording_id, lab.project_id)
    assert stored_summary(lab.project_id, recording_id) is None


def test_a_summary_is_not_stored_when_an_assignment_reopens_meanwhile(lab):
    recording_id = lab.blind_recording()
    recording = RecordingModel.get(recording_id)
    transactions = dynamodb_clients()[-1]
    # ana reopens after record() read both assignments done, before it stores the summary.
    reopen = functools.partial(set_state, recording_id, ANA, "in_progress")
    with before_first(transactions, "TransactWriteItems", reopen):
        assert not agreements.record(recording)
    assert stored_summary(lab.project_id, recording_id) is None


def test_the_projects_agreement_pools_its_recordings_and_each_pair(lab):
    first = lab.blind_recording()
    second = lab.blind_recording()
    for recording_id in (first, second):
        agreements.after_state_change(recording_id, lab.project_id)
    answer = agreements.of_project(VIV, lab.project_id)
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


def test_each_pair_of_annotators_is_pooled_apart(lab):
    first = lab.blind_recording()
    # The owner annotates the second recording along with ana, drawing exactly as she did.
    second = lab.recording()
    for name in (ANA, OWNER):
        layer(second, lab.project_id, name, ANA_BOXES, state="done", by=OWNER)
    for recording_id in (first, second):
        agreements.after_state_change(recording_id, lab.project_id)
    answer = agreements.of_project(OWNER, lab.project_id)
    assert answer["figures"]["boxes"] == {"a": 8, "b": 9}
    assert answer["figures"]["matched"] == 8
    by_pair = {tuple(p["annotators"]): p for p in answer["annotator_pairs"]}
    assert list(by_pair) == [(ANA, BEN), (ANA, OWNER)]
    assert by_pair[ANA, BEN]["figures"]["kappa"] == pytest.approx(5 / 9)
    # Identical sets: every label agrees, so kappa is 1 (p_o = 1, p_e = 6/16).
    assert by_pair[ANA, OWNER]["figures"]["kappa"] == 1.0
    assert by_pair[ANA, OWNER]["figures"]["onset_diff_s"]["mean_abs"] == 0.0


def test_a_project_without_double_annotation_has_empty_figures(lab):
    answer = agreements.of_project(OWNER, lab.project_id)
    assert (answer["recordings"], answer["annotator_pairs"]) == (0, [])
    assert answer["figures"]["kappa"] is None


@pytest.mark.parametrize(
    ("limit", "kappa_kept"),
    # The worked example's summary takes 270 bytes as JSON, 241 without its differences.
    [(250, True), (200, False)],
)
def test_a_summary_too_large_for_an_item_drops_its_lists(
    lab, monkeypatch, limit: int, kappa_kept: bool
):
    monkeypatch.setattr(agreements, "MAX_SUMMARY_BYTES", limit)
    recording_id = lab.blind_recording()
    agreements.after_state_change(recording_id, lab.project_id)
    tally = stored_summary(lab.project_id, recording_id)["tally"]
    assert (tally["onsets"], tally["offsets"]) == (None, None)
    assert (tally["confusion"] is not None) is kappa_kept
    figures = agreements.of_project(OWNER, lab.project_id)["figures"]
    assert figures["onset_diff_s"]["mean"] == pytest.approx(0.0075)
    assert figures["onset_diff_s"]["median"] is None
    assert (figures["kappa"] is not None) is kappa_kept
