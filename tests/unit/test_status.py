"""Status moves only PENDING -> PROCESSING -> COMPLETED | FAILED (a claim also takes over a
dead attempt or a finished old version; PENDING again for a retry, a regenerate or an
announcement), by conditional writes."""

from __future__ import annotations

import itertools
import uuid

import pytest

from chalicelib import status
from chalicelib.models import RecordingModel, SpectrogramModel

ALL = (status.PENDING, status.PROCESSING, status.COMPLETED, status.FAILED)
LEGAL = {
    (status.PENDING, status.PROCESSING),
    (status.PROCESSING, status.PROCESSING),
    (status.COMPLETED, status.PROCESSING),
    (status.FAILED, status.PROCESSING),
    (status.PENDING, status.PENDING),
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
    status.move(recording_id, new, now="2026-01-01T00:00:01.000000Z")
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


def test_only_one_of_two_claims_of_the_row_as_read_wins(cloud_settings):
    recording_id = spectrogram_in(status.PENDING)
    read = SpectrogramModel.get(recording_id)
    claim = {"only_from": (status.PENDING,), "condition": status.unchanged(read)}
    status.move(recording_id, status.PROCESSING, now="2026-01-01T00:00:01.000000Z", **claim)
    with pytest.raises(status.IllegalTransitionError):
        status.move(recording_id, status.PROCESSING, now="2026-01-01T00:00:02.000000Z", **claim)


def test_a_restore_puts_back_the_row_only_if_untouched(cloud_settings):
    recording_id = spectrogram_in(status.COMPLETED)
    before = SpectrogramModel.get(recording_id)
    since = "2026-01-01T00:00:05.000000Z"
    status.move(recording_id, status.PENDING, now=since)
    status.restore(before, pending_since=since)
    row = SpectrogramModel.get(recording_id)
    assert (row.status, row.updated_at) == (status.COMPLETED, before.updated_at)
    status.move(recording_id, status.PENDING, now=since)
    status.move(recording_id, status.PROCESSING, now="2026-01-01T00:00:06.000000Z")
    with pytest.raises(status.IllegalTransitionError):
        status.restore(before, pending_since=since)
    assert SpectrogramModel.get(recording_id).status == status.PROCESSING


def test_a_completion_needs_the_recording_row_too(cloud_settings):
    recording_id = spectrogram_in(status.PROCESSING)
    with pytest.raises(status.IllegalTransitionError):
        status.move(
            recording_id,
            status.COMPLETED,
            now="2026-01-01T00:00:01.000000Z",
            recording_actions=(RecordingModel.duration_s.set(1.0),),
        )
    assert SpectrogramModel.get(recording_id).status == status.PROCESSING
