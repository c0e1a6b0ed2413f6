"""The worker's tasks and the detection after a render, against a real moto server: which
task runs, the detection state each path leaves, and a project's fan-out.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

import pytest

from chalicelib import (
    annotation_sets,
    annotations,
    box_jobs,
    clients,
    database,
    detections,
    jobs,
    measurements,
    tasks,
)
from chalicelib.annotations import Bounds
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import StorageError
from chalicelib.events import Upload
from chalicelib.models import ProjectModel, RecordingModel, SpectrogramModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings
from chalicelib.renderings import recording_id_in
from functions import spectrogram_worker
from infra.local.bridge import LocalContext

WHISTLES = DetectorPreset.from_json({"name": "whistles", "min_freq_hz": 2000, "max_freq_hz": 4000})
RESTING = DetectorPreset.from_json({"name": "resting", "enabled": False})


@pytest.fixture
def settings(cloud_settings):
    clients.sqs(cloud_settings).create_queue(QueueName=cloud_settings.jobs_queue)
    return cloud_settings


@pytest.fixture
def recordings(settings) -> Recordings:
    return Recordings(settings=settings, storage=clients.storage(settings), clock=time.time)


def with_presets(project: ProjectModel, *presets: DetectorPreset) -> None:
    text = json.dumps([preset.to_json() for preset in presets])
    project.update(actions=[ProjectModel.detectors.set(text)])


@pytest.fixture
def project(recordings) -> ProjectModel:
    """erin's project, with one preset that is not enabled (so renders run no detector)."""
    created = Projects(recordings=recordings, clock=time.time).create("erin", {"name": "Dawn"})
    row = ProjectModel.get(created["id"])
    with_presets(row, RESTING)
    return row


@pytest.fixture
def box_job(settings) -> box_jobs.BoxJob:
    return box_jobs.BoxJob(settings=settings, storage=clients.storage(settings))


def queued_tasks(settings) -> list[dict]:
    sqs = clients.sqs(settings)
    url = sqs.get_queue_url(QueueName=settings.jobs_queue)["QueueUrl"]
    bodies = []
    while answer := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        bodies += [json.loads(message["Body"]) for message in answer]
        for message in answer:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def upload(settings, recordings, data: bytes, *, project_id: str | None = None) -> Upload:
    body = {"filename": "dawn.wav", "size": len(data), "content_type": ""}
    if project_id:
        body["project_id"] = project_id
    key = recordings.create("erin", body)["upload"]["fields"]["key"]
    answer = clients.s3(settings).put_object(Bucket="recordings", Key=key, Body=data)
    return Upload("recordings", key, etag=answer["ETag"].strip('"'), size=len(data))


def rendered(settings, recordings, data: bytes, *, project_id=None) -> RecordingModel:
    uploaded = upload(settings, recordings, data, project_id=project_id)
    job = jobs.SpectrogramJob(settings=settings, storage=clients.storage(settings))
    assert job.run(uploaded).status == jobs.COMPLETED
    return RecordingModel.get(recording_id_in(uploaded.key), consistent_read=True)


@pytest.fixture
def tone_wav(write_audio, make_tone) -> bytes:
    return write_audio("tone.wav", make_tone(3000, 2.0, 16000), 16000).read_bytes()


def state_of(recording_id: str) -> dict | None:
    return detections.view(RecordingModel.get(recording_id, consistent_read=True))


def test_detect_on_a_recording_in_no_project_fails_naming_the_fix(
    settings, recordings, box_job, tone_wav
):
    recording = rendered(settings, recordings, tone_wav)
    outcome = box_job.run({"sonagram_task": "detect", "recording_id": recording.id})
    assert outcome.status == box_jobs.FAILED
    state = state_of(recording.id)
    assert state["state"] == "failed"
    assert "in no project" in state["error"]
    assert state["presets"] == {}


def test_detect_naming_a_preset_the_project_lacks_fails(
    settings, recordings, project, box_job, tone_wav
):
    recording = rendered(settings, recordings, tone_wav, project_id=project.id)
    task = {"sonagram_task": "detect", "recording_id": recording.id, "presets": ["bats"]}
    assert box_job.run(task).status == box_jobs.FAILED
    assert "no detector preset 'bats'" in state_of(recording.id)["error"]


def test_detect_on_a_recording_still_waiting_for_its_render_leaves_it_to_the_render(
    settings, recordings, project, box_job, tone_wav
):
    uploaded = upload(settings, recordings, tone_wav, project_id=project.id)
    recording_id = recording_id_in(uploaded.key)
    outcome = box_job.run({"sonagram_task": "detect", "recording_id": recording_id})
    assert (outcome.status, outcome.detail) == (box_jobs.SKIPPED, "being rendered")
    assert state_of(recording_id) is None


def test_detect_on_a_deleted_recording_is_skipped(box_job):
    outcome = box_job.run({"sonagram_task": "detect", "recording_id": "f" * 32})
    assert outcome.status == box_jobs.SKIPPED


def test_unreadable_presets_fail_the_detection_not_the_render(
    settings, recordings, project, tone_wav
):
    project.update(actions=[ProjectModel.detectors.set('[{"name": "whistles", "snr": "loud"}]')])
    recording = rendered(settings, recordings, tone_wav, project_id=project.id)
    state = state_of(recording.id)
    assert state["state"] == "failed"
    assert state["error"].startswith("The project's detector presets are unreadable")


def rendered_in(settings, recordings, project, count: int) -> set[str]:
    """``count`` recordings of the project whose spectrograms are COMPLETED."""
    ids = {
        recording_id_in(upload(settings, recordings, b"x", project_id=project.id).key)
        for _ in range(count)
    }
    for recording_id in ids:
        SpectrogramModel(recording_id).update(
            actions=[
                SpectrogramModel.status.set(jobs.COMPLETED),
                SpectrogramModel.unfinished.remove(),
            ]
        )
    return ids


def test_a_project_fans_out_one_detect_task_per_rendered_recording_in_batches(
    settings, recordings, project, box_job, monkeypatch
):
    ids = rendered_in(settings, recordings, project, 5)
    upload(settings, recordings, b"x", project_id=project.id)  # still to render: its render runs
    upload(settings, recordings, b"x")  # in no project
    monkeypatch.setattr(box_jobs, "FAN_OUT_BATCH", 2)
    task = {"sonagram_task": "detect_project", "project_id": project.id, "presets": ["resting"]}
    outcome = box_job.run(task)
    assert (outcome.status, outcome.detail) == (box_jobs.DONE, "5 recordings")
    sent = queued_tasks(settings)
    assert {t["recording_id"] for t in sent} == ids
    assert all(
        t == {"sonagram_task": "detect", "recording_id": t["recording_id"], "presets": ["resting"]}
        for t in sent
    )


def test_a_fan_out_out_of_time_queues_the_rest_of_the_project(
    settings, recordings, project, monkeypatch
):
    ids = rendered_in(settings, recordings, project, 5)
    monkeypatch.setattr(box_jobs, "FAN_OUT_BATCH", 2)
    ticks = iter(range(1000))
    box_job = box_jobs.BoxJob(
        settings=settings, storage=clients.storage(settings), monotonic=lambda: next(ticks)
    )
    first = box_job.detect_project(project.id, None, deadline=0)
    assert first.detail == "2 recordings, the rest queued"
    sent = queued_tasks(settings)
    (rest,) = [t for t in sent if t["sonagram_task"] == "detect_project"]
    assert rest["start"] is not None
    box_job.run(rest, deadline=None)
    again = queued_tasks(settings)
    detected = [t["recording_id"] for t in sent + again if t["sonagram_task"] == "detect"]
    assert sorted(detected) == sorted(ids)


@pytest.fixture
def worker(settings, monkeypatch):
    """The Lambda handler, reading its settings from the environment."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", settings.cloud_endpoint)
    monkeypatch.setenv("SONAGRAM_STAGE", "local")
    spectrogram_worker.get_settings.cache_clear()
    spectrogram_worker.box_job.cache_clear()

    def invoke(event: dict) -> dict:
        with monkeypatch.context() as patch:
            patch.setattr(spectrogram_worker.logger.registered_handler, "stream", sys.stdout)
            return spectrogram_worker.handler(event, LocalContext(60))

    yield invoke
    spectrogram_worker.get_settings.cache_clear()
    spectrogram_worker.box_job.cache_clear()


def test_the_worker_runs_a_task_and_counts_it_by_kind_and_outcome(
    settings, recordings, tone_wav, worker, capsys
):
    recording = rendered(settings, recordings, tone_wav)
    result = worker({"sonagram_task": "detect", "recording_id": recording.id, "presets": None})
    (outcome,) = result["outcomes"]
    assert (outcome["status"], outcome["recording_id"]) == ("FAILED", recording.id)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    (logged,) = [line for line in lines if line.get("message") == "task detect FAILED"]
    assert logged["recording_id"] == recording.id
    metrics = {
        name for line in lines if "_aws" in line for name in line if name.startswith("Detect")
    }
    assert metrics == {"DetectTaskSeconds", "DetectTasksFailed"}


def test_an_upload_into_a_project_with_a_preset_gets_its_proposals_and_a_rerun_replaces_them(
    settings, recordings, project, box_job, write_audio
):
    import numpy as np

    rate = 16000
    signal = np.zeros(rate * 6, dtype=np.float32)
    noise = np.random.default_rng(17).normal(0, 0.001, signal.size).astype(np.float32)
    t = np.arange(int(0.3 * rate)) / rate
    for start_s in (1.0, 3.0, 5.0):
        at = int(start_s * rate)
        signal[at : at + t.size] = 0.5 * np.sin(2 * np.pi * 3000 * t)
    wav = write_audio("bursts.wav", signal + noise, rate).read_bytes()
    with_presets(project, WHISTLES, RESTING)
    recording = rendered(settings, recordings, wav, project_id=project.id)
    _, boxes = annotation_sets.load(recording)
    proposed = [b for b in boxes if b["source"] == WHISTLES.source]
    assert sorted(round(b["start_s"]) for b in proposed) == [1, 3, 5]
    state = state_of(recording.id)
    assert state["state"] == "done"
    assert state["presets"]["whistles"]["proposals"] == 3
    first_ids = {b["id"] for b in proposed}

    assert box_job.run({"sonagram_task": "detect", "recording_id": recording.id}).status == "DONE"
    _, boxes = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
    again = [b for b in boxes if b["source"] == WHISTLES.source]
    assert len(again) == 3 and not first_ids & {b["id"] for b in again}


def test_a_task_the_queue_refuses_is_a_retryable_storage_error(settings):
    nowhere = dataclasses.replace(settings, jobs_queue="no-such-queue")
    with pytest.raises(StorageError, match="could not queue the measure task") as raised:
        tasks.send(nowhere, tasks.MEASURE, recording_id="r1")
    assert raised.value.retryable


def test_a_measure_task_racing_another_stands_aside_and_queues_the_rest(
    settings, recordings, box_job, tone_wav, monkeypatch
):
    recording = rendered(settings, recordings, tone_wav)
    boxes = [{"start_s": 0.2 * i, "end_s": 0.2 * i + 0.1, "label": f"b{i}"} for i in range(5)]
    annotation_sets.store(
        recording,
        annotations.check_boxes(boxes, "boxes", Bounds.of(recording)),
        version=0,
        before=[],
        user="ana",
        clock=time.time,
    )
    queued_tasks(settings)  # what the render queued
    saves = []

    def another_task_saved_first(recording, values):
        saves.append(values)
        raise database.ConditionFailed("the measurements kept changing")

    monkeypatch.setattr(measurements, "save", another_task_saved_first)
    task = {"sonagram_task": "measure", "recording_id": recording.id}
    assert box_job.run(task).status == box_jobs.DONE
    assert len(saves) == 1
    assert queued_tasks(settings) == [task]
    monkeypatch.undo()
    assert box_job.run(task).status == box_jobs.DONE
    stored = measurements.load(RecordingModel.get(recording.id, consistent_read=True))
    _, boxes = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
    assert measurements.missing(boxes, stored) == []
