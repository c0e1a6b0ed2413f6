"""The detect task's whole flow with stand-ins for the pieces other branches of issue 17 build:
the detector engine (``chalicelib.spectrogram.detect``), the measurement engine
(``chalicelib.spectrogram.measure``) and the measurements store (``chalicelib.measurements``),
each faked to its interface in DESIGN-17.md.

Runs only while those pieces are missing; once they are merged, the ``needs_detector`` tests
of test_box_jobs.py and tests/integration/test_detection.py run the real ones and this file
goes.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import types
from dataclasses import dataclass, field

import pytest

import chalicelib.spectrogram
from chalicelib import annotation_sets, box_jobs, clients, detections, jobs
from chalicelib.detector_presets import DetectorPreset
from chalicelib.formats.box import new_box
from chalicelib.models import ProjectModel, RecordingModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings
from chalicelib.renderings import recording_id_in

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("chalicelib.measurements") is not None
    or importlib.util.find_spec("chalicelib.spectrogram.measure") is not None
    or hasattr(chalicelib.spectrogram, "detect"),
    reason="the real detector and measurements are here: test_box_jobs.py runs them",
)

WHISTLES = DetectorPreset.from_json({"name": "whistles"})


@dataclass
class StandInDetections:
    """Detections' interface: events as boxes, candidates, refusals."""

    starts: list[float]
    candidates: int = 5
    refused: dict = field(default_factory=lambda: {"too_short": 1, "too_long": 0})

    def boxes(self, preset: DetectorPreset) -> list[dict]:
        made = [
            new_box(s, s + 0.25, low_hz=2000.0, high_hz=4000.0, label=preset.name)
            for s in self.starts
        ]
        return [
            {
                **box,
                "measurements": {"Peak SNR (dB)": 15.0},
                "source": preset.source,
                "review": None,
            }
            for box in made
        ]


@pytest.fixture
def stand_ins(monkeypatch):
    """What each stand-in was asked: the detector's presets, the boxes measured, the saves."""
    asked: dict[str, list] = {"detect": [], "measure": [], "save": []}
    saved: dict[str, dict] = {}

    def detect(source, *, name, presets, max_duration_s, deadline, clock):
        assert source.read(4) == b"RIFF"
        asked["detect"].append([p.name for p in presets])
        return {p.name: StandInDetections([0.5, 1.0]) for p in presets}

    def measure_boxes(source, *, name, boxes, deadline=None, clock=time.monotonic):
        asked["measure"].append([b["id"] for b in boxes])
        return [{"Peak Freq (Hz)": 3000.0} for _ in boxes]

    def geometry(box: dict) -> str:
        edges = (box["start_s"], box["end_s"], box["low_hz"], box["high_hz"])
        return "|".join(map(repr, edges)) + f"|{box['channel']}"

    measurements = types.ModuleType("chalicelib.measurements")
    measurements.geometry = geometry
    measurements.load = lambda recording: dict(saved)
    measurements.missing = lambda boxes, stored: [
        b for b in boxes if stored.get(b["id"], {}).get("g") != geometry(b)
    ]

    def save(recording, values: dict) -> None:
        asked["save"].append(sorted(values))
        saved.update({i: {"g": g, "v": v} for i, (g, v) in values.items()})

    measurements.save = save
    measure = types.ModuleType("chalicelib.spectrogram.measure")
    measure.measure_boxes = measure_boxes
    monkeypatch.setitem(sys.modules, "chalicelib.measurements", measurements)
    monkeypatch.setitem(sys.modules, "chalicelib.spectrogram.measure", measure)
    monkeypatch.setattr(chalicelib.spectrogram, "detect", detect, raising=False)
    return asked


@pytest.fixture
def recording(cloud_settings, write_audio, make_tone) -> RecordingModel:
    """A rendered recording in a project whose one preset is not enabled, with two boxes
    people drew."""
    clients.sqs(cloud_settings).create_queue(QueueName=cloud_settings.jobs_queue)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )
    project = Projects(recordings=recordings, clock=time.time).create("erin", {"name": "Dawn"})
    ProjectModel(project["id"]).update(
        actions=[ProjectModel.detectors.set(json.dumps([{"name": "whistles", "enabled": False}]))]
    )
    data = write_audio("tone.wav", make_tone(3000, 2.0, 16000), 16000).read_bytes()
    body = {
        "filename": "tone.wav",
        "size": len(data),
        "content_type": "",
        "project_id": project["id"],
    }
    key = recordings.create("erin", body)["upload"]["fields"]["key"]
    stored = clients.s3(cloud_settings).put_object(Bucket="recordings", Key=key, Body=data)
    from chalicelib.events import Upload

    upload = Upload("recordings", key, etag=stored["ETag"].strip('"'), size=len(data))
    job = jobs.SpectrogramJob(settings=cloud_settings, storage=clients.storage(cloud_settings))
    assert job.run(upload).status == jobs.COMPLETED
    row = RecordingModel.get(recording_id_in(key), consistent_read=True)
    people = [
        {"id": box_id, **new_box(start_s, start_s + 0.1), "source": None, "review": None}
        for box_id, start_s in (("person", 0.1), ("another", 1.5))
    ]
    annotation_sets.store(row, people, version=int(row.annotation_version or 0))
    return RecordingModel.get(row.id, consistent_read=True)


def test_detect_writes_proposals_records_the_state_and_measures_what_lacks_values(
    cloud_settings, recording, stand_ins
):
    box_job = box_jobs.BoxJob(settings=cloud_settings, storage=clients.storage(cloud_settings))
    task = {"sonagram_task": "detect", "recording_id": recording.id, "presets": ["whistles"]}
    assert box_job.run(task).status == box_jobs.DONE
    assert stand_ins["detect"] == [["whistles"]]
    _, boxes = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
    proposals = [b for b in boxes if b["source"] == "detector:whistles"]
    assert sorted(b["start_s"] for b in proposals) == [0.5, 1.0]
    state = detections.view(RecordingModel.get(recording.id, consistent_read=True))
    assert state["state"] == "done" and state["error"] is None
    assert state["presets"] == {
        "whistles": {
            "proposals": 2,
            "candidates": 5,
            "dropped": 0,
            "refused": {"too_short": 1, "too_long": 0, "low_occupancy": 0},
        }
    }
    # Every box without values: people's and the two proposals, in one batch.
    assert [sorted(ids) for ids in stand_ins["measure"]] == [sorted(b["id"] for b in boxes)]

    # Delivered again: the proposals are replaced, only the new ones are measured.
    assert box_job.run(task).status == box_jobs.DONE
    _, again = annotation_sets.load(RecordingModel.get(recording.id, consistent_read=True))
    new = {b["id"] for b in again if b["source"] == "detector:whistles"}
    assert len(new) == 2 and not new & {b["id"] for b in proposals}
    assert sorted(stand_ins["measure"][-1]) == sorted(new)


def test_measuring_out_of_time_leaves_the_rest_to_a_new_measure_task(
    cloud_settings, recording, stand_ins, monkeypatch
):
    monkeypatch.setattr(box_jobs, "MEASURE_BATCH", 1)
    ticks = iter(range(100))
    box_job = box_jobs.BoxJob(
        settings=cloud_settings,
        storage=clients.storage(cloud_settings),
        monotonic=lambda: next(ticks),
    )
    # The first batch starts before the deadline, the second after it.
    outcome = box_job.run({"sonagram_task": "measure", "recording_id": recording.id}, deadline=1)
    assert (outcome.status, outcome.detail) == (box_jobs.DONE, "1 boxes measured")
    sqs = clients.sqs(cloud_settings)
    url = sqs.get_queue_url(QueueName=cloud_settings.jobs_queue)["QueueUrl"]
    (message,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"]) == {"sonagram_task": "measure", "recording_id": recording.id}


def test_a_proposal_the_recording_cannot_hold_fails_the_detection_with_a_sentence(
    cloud_settings, recording, stand_ins, monkeypatch
):
    def above_nyquist(self, preset):
        return [{**new_box(0.5, 0.6, low_hz=2000.0, high_hz=9000.0), "source": None}]

    monkeypatch.setattr(StandInDetections, "boxes", above_nyquist)
    box_job = box_jobs.BoxJob(settings=cloud_settings, storage=clients.storage(cloud_settings))
    task = {"sonagram_task": "detect", "recording_id": recording.id, "presets": ["whistles"]}
    assert box_job.run(task).status == box_jobs.FAILED
    state = detections.view(RecordingModel.get(recording.id, consistent_read=True))
    assert state["state"] == "failed"
    assert state["error"].startswith("The proposals could not be stored")
    assert "above the recording's highest frequency" in state["error"]


def test_measuring_that_fails_leaves_the_detection_done(
    cloud_settings, recording, stand_ins, monkeypatch
):
    def broken(source, **_):
        raise RuntimeError("a bug in measuring")

    monkeypatch.setattr(sys.modules["chalicelib.spectrogram.measure"], "measure_boxes", broken)
    box_job = box_jobs.BoxJob(settings=cloud_settings, storage=clients.storage(cloud_settings))
    task = {"sonagram_task": "detect", "recording_id": recording.id, "presets": ["whistles"]}
    assert box_job.run(task).status == box_jobs.DONE
    state = detections.view(RecordingModel.get(recording.id, consistent_read=True))
    assert (state["state"], state["presets"]["whistles"]["proposals"]) == ("done", 2)
