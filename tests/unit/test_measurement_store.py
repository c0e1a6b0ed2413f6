"""Computed measurements stored apart from the annotation set, against a real moto server."""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import time
import uuid

import pytest

from chalicelib import annotation_sets, chunks, clients, measurements, tasks
from chalicelib.measurement_names import NAMES
from chalicelib.models import AnnotationChunkModel, RecordingModel
from chalicelib.recordings import Recordings, owned_recording

PEAK, SNR = "Peak Freq (Hz)", "SNR (dB)"


@pytest.fixture
def recording(cloud_settings) -> RecordingModel:
    """A fresh, decoded 10 s, 44.1 kHz mono recording of 'mo'."""
    ticks = itertools.count(1_800_000_000)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )
    body = {"filename": "dusk.wav", "size": 1, "content_type": ""}
    created = recordings.create("mo", body)["recording"]
    row = owned_recording("mo", created["id"])
    row.update(
        actions=[
            RecordingModel.duration_s.set(10.0),
            RecordingModel.sample_rate.set(44100),
            RecordingModel.channels.set(1),
        ]
    )
    return row


def put(recording: RecordingModel, *boxes: dict, version: int = 0) -> list[dict]:
    written = annotation_sets.replace(
        recording, {"annotations": list(boxes), "version": version}, user="mo", clock=time.time
    )
    return written["annotations"]


def measured(*boxes: dict, peak: float = 3000.0) -> dict:
    """What the worker hands ``save``: each box's geometry and values."""
    return {box["id"]: (measurements.geometry(box), {PEAK: peak, SNR: 12.5}) for box in boxes}


def fresh(recording: RecordingModel) -> RecordingModel:
    return owned_recording("mo", recording.id)


def test_values_are_merged_into_the_box_they_were_measured_on(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2, "measurements": {"x": 1.0}})
    assert measurements.missing([box], measurements.load(recording)) == [box]
    measurements.save(recording, measured(box))
    stored = measurements.load(fresh(recording))
    assert measurements.missing([box], stored) == []
    (served,) = measurements.merged([box], stored)
    assert served["measurements"] == {"x": 1.0, PEAK: 3000.0, SNR: 12.5}
    assert box["measurements"] == {"x": 1.0}  # the stored box is not changed


def test_computed_values_come_after_the_boxs_own_in_column_order(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2, "measurements": {"z": 1.0}})
    values = {name: float(index) for index, name in enumerate(reversed(NAMES))}
    measurements.save(recording, {"a": (measurements.geometry(box), values)})
    (served,) = measurements.merged([box], measurements.load(fresh(recording)))
    assert list(served["measurements"]) == ["z", *NAMES]


def test_a_moved_box_is_pending_again_and_a_relabelled_one_is_not(recording):
    boxes = put(
        recording,
        {"id": "moved", "start_s": 1, "end_s": 2},
        {"id": "renamed", "start_s": 3, "end_s": 4, "low_hz": 100, "high_hz": 900},
    )
    measurements.save(recording, measured(*boxes))
    now = put(
        recording,
        {**boxes[0], "end_s": 2.5},
        {**boxes[1], "label": "wren"},
        version=1,
    )
    state = measurements.state(fresh(recording))
    assert state["pending"] == ["moved"]
    assert list(state["measurements"]) == ["renamed"]
    assert [box["id"] for box in measurements.missing(now, measurements.load(recording))] == [
        "moved"
    ]


def test_values_measured_on_a_box_since_moved_are_not_stored(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    put(fresh(recording), {**box, "start_s": 1.5}, version=1)
    measurements.save(fresh(recording), measured(box))  # measured before the move
    assert measurements.load(fresh(recording)) == {}
    assert measurements.state(fresh(recording))["pending"] == ["a"]


def test_a_deleted_boxs_values_are_dropped_at_the_next_save(recording):
    boxes = put(
        recording, {"id": "a", "start_s": 1, "end_s": 2}, {"id": "b", "start_s": 3, "end_s": 4}
    )
    measurements.save(recording, measured(*boxes))
    annotation_sets.patch(
        fresh(recording), {"version": 1, "delete": ["a"]}, user="mo", clock=time.time
    )
    measurements.save(fresh(recording), {})
    assert list(measurements.load(fresh(recording))) == ["b"]


def test_saving_measurements_never_makes_an_editors_next_save_a_409(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    editor = fresh(recording)  # read before the worker's save
    measurements.save(fresh(recording), measured(box))
    answer = annotation_sets.patch(
        editor, {"version": 1, "upsert": [{**box, "label": "owl"}]}, user="mo", clock=time.time
    )
    assert answer["version"] == 2
    # Relabelled only: the values still hold.
    assert measurements.state(fresh(recording)) == {
        "measurements": {"a": {PEAK: 3000.0, SNR: 12.5}},
        "pending": [],
    }


def test_a_save_racing_another_merges_into_what_the_other_stored(recording):
    boxes = put(
        recording, {"id": "a", "start_s": 1, "end_s": 2}, {"id": "b", "start_s": 3, "end_s": 4}
    )
    stale = fresh(recording)  # still pointing at no measurements
    measurements.save(fresh(recording), measured(boxes[0], peak=1000.0))
    measurements.save(stale, measured(boxes[1], peak=2000.0))
    stored = measurements.load(fresh(recording))
    assert {box_id: entry["v"][PEAK] for box_id, entry in stored.items()} == {
        "a": 1000.0,
        "b": 2000.0,
    }


def test_each_save_leaves_one_set_of_measurement_chunks(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    for peak in (1.0, 2.0, 3.0):
        measurements.save(fresh(recording), measured(box, peak=peak))
    row = fresh(recording)
    keys = [item.chunk for item in AnnotationChunkModel.query(recording.id)]
    assert sorted(key for key in keys if key.startswith("m")) == [f"{row.measurement_set}#00000"]
    assert row.measurement_set.startswith("m") and row.measurement_chunks == 1


def test_deleting_a_recording_deletes_its_measurement_chunks(recording):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    measurements.save(recording, measured(box))
    chunks.delete_all(recording.id)
    assert list(AnnotationChunkModel.query(recording.id)) == []


def test_computed_values_sent_with_a_box_are_dropped_and_others_kept(recording):
    sent = {"start_s": 1, "end_s": 2, "measurements": {PEAK: 1.0, "Peak SNR (dB)": 9.0}}
    (box,) = put(recording, sent)
    assert box["measurements"] == {"Peak SNR (dB)": 9.0}


@pytest.fixture
def task_settings(cloud_settings):
    """The test's settings with a new jobs queue of its own."""
    settings = dataclasses.replace(cloud_settings, jobs_queue=f"sonagram-test-{uuid.uuid4().hex}")
    clients.sqs(settings).create_queue(QueueName=settings.jobs_queue)
    return settings


def queued(settings) -> list[dict]:
    sqs = clients.sqs(settings)
    url = sqs.get_queue_url(QueueName=settings.jobs_queue)["QueueUrl"]
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(message["Body"]) for message in answer.get("Messages", [])]


def test_a_write_that_leaves_a_box_unmeasured_asks_the_worker_once(recording, task_settings):
    (box,) = put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    measurements.after_write(task_settings, recording)
    assert queued(task_settings) == [{tasks.KEY: tasks.MEASURE, "recording_id": recording.id}]
    measurements.save(fresh(recording), measured(box))
    measurements.after_write(task_settings, fresh(recording))
    assert queued(task_settings) == []


def test_a_recording_not_yet_decoded_is_measured_by_its_render_not_a_task(
    cloud_settings, task_settings
):
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 1.8e9
    )
    body = {"filename": "later.wav", "size": 1, "content_type": ""}
    row = owned_recording("mo", recordings.create("mo", body)["recording"]["id"])
    put(row, {"start_s": 1, "end_s": 2})
    measurements.after_write(task_settings, row)
    assert queued(task_settings) == []


def test_a_task_that_cannot_be_sent_is_logged_and_the_write_stands(
    recording, task_settings, caplog
):
    put(recording, {"id": "a", "start_s": 1, "end_s": 2})
    nowhere = dataclasses.replace(task_settings, jobs_queue="sonagram-no-such-queue")
    with caplog.at_level(logging.WARNING, logger="chalicelib.measurements"):
        assert measurements.after_write(nowhere, recording) == {}
    assert f"could not ask to measure recording {recording.id}" in caplog.text
    assert annotation_sets.get(fresh(recording))["version"] == 1
