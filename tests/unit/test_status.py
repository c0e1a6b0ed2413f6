"""Status moves only PENDING -> PROCESSING -> COMPLETED | FAILED (and back to PENDING for a
retry or a regenerate), by conditional writes."""

from __future__ import annotations

import itertools
import uuid

import pytest

from chalicelib import status
from chalicelib.models import SpectrogramModel

ALL = (status.PENDING, status.PROCESSING, status.COMPLETED, status.FAILED)
LEGAL = {
    (status.PENDING, status.PROCESSING),
    (status.PROCESSING, status.COMPLETED),
    (status.PROCESSING, status.FAILED),
    (status.PENDING, status.FAILED),
    (status.PROCESSING, status.PENDING),
    (status.COMPLETED, status.PENDING),
    (status.FAILED, status.PENDING),
}


def test_only_the_pipeline_moves_are_legal():
    allowed = {(old, new) for new, olds in status.ENTERED_FROM.items() for old in olds}
    assert allowed == LEGAL


def spectrogram_in(current: str) -> str:
    recording_id = str(uuid.uuid4())
    SpectrogramModel(
        recording_id, owner="alice", status=current, updated_at="2026-01-01T00:00:00.000000Z"
    ).save()
    return recording_id


@pytest.mark.parametrize(("old", "new"), sorted(LEGAL))
def test_legal_moves_are_written(cloud_settings, old: str, new: str):
    recording_id = spectrogram_in(old)
    moved = status.move(recording_id, new, now="2026-01-01T00:00:01.000000Z")
    assert moved.status == new
    assert SpectrogramModel.get(recording_id).status == new


@pytest.mark.parametrize(
    ("old", "new"), [pair for pair in itertools.product(ALL, ALL) if pair not in LEGAL]
)
def test_illegal_moves_are_refused_and_change_nothing(cloud_settings, old: str, new: str):
    recording_id = spectrogram_in(old)
    with pytest.raises(status.IllegalTransitionError):
        status.move(recording_id, new, now="2026-01-01T00:00:01.000000Z")
    row = SpectrogramModel.get(recording_id)
    assert (row.status, row.updated_at) == (old, "2026-01-01T00:00:00.000000Z")


def test_a_missing_spectrogram_cannot_move(cloud_settings):
    with pytest.raises(status.IllegalTransitionError):
        status.move(str(uuid.uuid4()), status.PROCESSING, now="2026-01-01T00:00:01.000000Z")


def test_only_one_of_two_racing_claims_wins(cloud_settings):
    recording_id = spectrogram_in(status.PENDING)
    status.move(recording_id, status.PROCESSING, now="2026-01-01T00:00:01.000000Z")
    with pytest.raises(status.IllegalTransitionError):
        status.move(recording_id, status.PROCESSING, now="2026-01-01T00:00:02.000000Z")
