"""Status moves only PENDING -> PROCESSING -> COMPLETED | FAILED (a claim also takes over a
dead attempt or a finished old version; PENDING again for a retry, a regenerate or an
announcement; DELETING from any of them), by conditional writes."""

from __future__ import annotations

import itertools
import re
import uuid
from collections import Counter

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
    # Deleting the recording, whatever its spectrogram is doing; nothing leaves DELETING.
    (status.PENDING, status.DELETING),
    (status.PROCESSING, status.DELETING),
    (status.COMPLETED, status.DELETING),
    (status.FAILED, status.DELETING),
}


def test_only_the_pipeline_moves_are_legal():
    allowed = {(old, new) for new, olds in status.ENTERED_FROM.items() for old in olds}
    assert allowed == LEGAL


def spectrogram_in(current: str) -> str:
    recording_id = str(uuid.uuid4())
    SpectrogramModel(
        recording_id,
        owner="alice",
        status=current,
        updated_at="2026-01-01T00:00:00.000000Z",
        unfinished=None
        if current in status.FINISHED
        else status.unfinished_key(recording_id, current),
    ).save()
    return recording_id


def indexed(recording_id: str) -> str | None:
    return SpectrogramModel.get(recording_id).unfinished


@pytest.mark.parametrize(("old", "new"), sorted(LEGAL))
def test_legal_moves_are_written_and_only_unfinished_rows_stay_in_the_sweepers_index(
    cloud_settings, old: str, new: str
):
    recording_id = spectrogram_in(old)
    status.move(recording_id, new, now="2026-01-01T00:00:01.000000Z")
    assert SpectrogramModel.get(recording_id).status == new
    if new in status.FINISHED:
        assert indexed(recording_id) is None
    else:
        assert re.fullmatch(f"{new}#(0[0-9]|1[0-5])", indexed(recording_id))
        assert indexed(recording_id) == status.unfinished_key(recording_id, new)


def test_the_sweeper_finds_unfinished_rows_of_every_shard_and_no_finished_one(cloud_settings):
    before = "2026-01-01T00:00:02.000000Z"
    # Every status may be entered from PROCESSING.
    moved = {new: [spectrogram_in(status.PROCESSING) for _ in range(40)] for new in status.ALL}
    for new, ids in moved.items():
        for recording_id in ids:
            status.move(recording_id, new, now="2026-01-01T00:00:01.000000Z")
    assert len({indexed(i) for i in moved[status.PENDING]}) > 8  # spread over shards
    for current in (status.PENDING, status.PROCESSING):
        found = set(status.unfinished(current, updated_before=before))
        assert set(moved[current]) <= found
        assert not found & {*moved[status.COMPLETED], *moved[status.FAILED]}
        later = set(status.unfinished(current, updated_before="2026-01-01T00:00:01.000000Z"))
        assert not later & set(moved[current])


def test_shards_share_a_burst_evenly():
    shards = Counter(status.unfinished_key(str(uuid.uuid4()), status.PENDING) for _ in range(3200))
    assert len(shards) == status.SWEEP_SHARDS
    assert max(shards.values()) < 290 and min(shards.values()) > 110


def test_unfinished_rows_written_before_the_sparse_index_are_put_in_it_once(cloud_settings):
    # As rows were written before: a status and no place in the sweeper's index.
    ids = {}
    for current in status.ALL:
        ids[current] = str(uuid.uuid4())
        SpectrogramModel(
            ids[current], owner="alice", status=current, updated_at="2026-01-01T00:00:00Z"
        ).save()
    indexed_now = status.index_unfinished_rows()
    assert {ids[status.PENDING], ids[status.PROCESSING]} <= set(indexed_now)
    assert indexed(ids[status.PROCESSING]) == status.unfinished_key(
        ids[status.PROCESSING], status.PROCESSING
    )
    # Finished rows stay out; a second run finds nothing left to do.
    assert indexed(ids[status.COMPLETED]) is indexed(ids[status.FAILED]) is None
    assert not set(status.index_unfinished_rows()) & set(ids.values())


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
    assert indexed(recording_id) == status.unfinished_key(recording_id, status.PENDING)
    status.restore(before, pending_since=since)
    row = SpectrogramModel.get(recording_id)
    assert (row.status, row.updated_at, row.unfinished) == (
        status.COMPLETED,
        before.updated_at,
        None,
    )
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
