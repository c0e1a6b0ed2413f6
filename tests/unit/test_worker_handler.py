"""The worker's Lambda entry point against a real moto server: what it logs and measures.

Its output is what CloudWatch receives: JSON log lines, and metrics in the embedded metric
format (EMF), both on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from chalicelib import clients
from chalicelib.config import get_settings
from chalicelib.recordings import Recordings
from functions import spectrogram_worker
from infra.local.bridge import LocalContext

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(cloud_settings, monkeypatch):
    """The handler, reading its settings from the environment as in Lambda, with a context."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", cloud_settings.cloud_endpoint)
    monkeypatch.setenv("SONAGRAM_STAGE", "local")
    get_settings.cache_clear()
    spectrogram_worker.job.cache_clear()

    def invoke(event: dict) -> dict:
        # Its logger holds the stdout of the moment it was imported: it gets the test's.
        with monkeypatch.context() as patch:
            patch.setattr(spectrogram_worker.logger.registered_handler, "stream", sys.stdout)
            return spectrogram_worker.handler(event, LocalContext(60))

    yield invoke
    get_settings.cache_clear()
    spectrogram_worker.job.cache_clear()


def upload_event(cloud_settings, filename: str, data: bytes) -> tuple[dict, str]:
    """Create a recording, put ``data`` in the bucket as its audio; the event and its id."""
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )
    created = recordings.create(
        "erin", {"filename": filename, "size": len(data), "content_type": ""}
    )
    key = created["upload"]["fields"]["key"]
    stored = clients.s3(cloud_settings).put_object(Bucket="recordings", Key=key, Body=data)
    record = {
        "eventName": "ObjectCreated:Post",
        "s3": {
            "bucket": {"name": "recordings"},
            "object": {"key": quote_plus(key), "eTag": stored["ETag"], "size": len(data)},
        },
    }
    return {"Records": [record]}, created["recording"]["id"]


def printed(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def metric_blobs(lines: list[dict]) -> list[dict]:
    return [line for line in lines if "_aws" in line]


def test_a_render_logs_its_outcome_keyed_by_recording_id_and_measures_its_seconds(
    cloud_settings, worker, write_audio, make_tone, capsys
):
    tone = write_audio("dawn.wav", make_tone(1000, 1.0, 16000), 16000).read_bytes()
    event, recording_id = upload_event(cloud_settings, "dawn.wav", tone)
    assert worker(event)["outcomes"][0]["status"] == "COMPLETED"

    lines = printed(capsys)
    (outcome,) = [line for line in lines if line.get("outcome")]
    assert outcome["recording_id"] == recording_id
    assert outcome["outcome"] == "COMPLETED"
    assert outcome["service"] == "spectrogram-worker"
    assert outcome["level"] == "INFO"
    assert isinstance(outcome["cold_start"], bool)
    assert outcome["function_request_id"]

    (blob,) = [b for b in metric_blobs(lines) if "RenderSeconds" in b]
    (directive,) = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Sonagram"
    units = {metric["Name"]: metric["Unit"] for metric in directive["Metrics"]}
    assert units == {"RenderSeconds": "Seconds", "RendersCompleted": "Count"}
    (seconds,) = blob["RenderSeconds"]
    assert 0 < seconds < 60
    assert blob["RendersCompleted"] == [1.0]


def test_the_first_invocation_is_a_cold_start_and_the_next_is_not(
    cloud_settings, worker, write_audio, make_tone, capsys, monkeypatch
):
    # Powertools keeps "cold" per process, as Lambda does per execution environment.
    monkeypatch.setattr("aws_lambda_powertools.metrics.provider.cold_start.is_cold_start", True)
    for name in ("first.wav", "second.wav"):
        tone = write_audio(name, make_tone(1000, 1.0, 16000), 16000).read_bytes()
        event, _ = upload_event(cloud_settings, name, tone)
        worker(event)
    lines = printed(capsys)
    cold = [line for line in metric_blobs(lines) if "ColdStart" in line]
    assert len(cold) == 1
    assert cold[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Sonagram"
    outcomes = [line["cold_start"] for line in lines if line.get("outcome")]
    assert outcomes[1] is False


def test_a_file_that_is_not_audio_counts_as_failed_with_the_reason_logged(
    cloud_settings, worker, capsys
):
    event, recording_id = upload_event(cloud_settings, "notes.txt.wav", b"field notes")
    worker(event)
    lines = printed(capsys)
    (outcome,) = [line for line in lines if line.get("outcome")]
    assert (outcome["outcome"], outcome["recording_id"]) == ("FAILED", recording_id)
    assert "not an audio file" in outcome["detail"]
    # chalicelib's own line, in the same JSON with the same keys.
    (job_line,) = [line for line in lines if line.get("name") == "chalicelib.jobs"]
    assert job_line["message"].startswith("spectrogram of ")
    assert job_line["object_key"] == outcome["object_key"]
    (blob,) = [b for b in metric_blobs(lines) if "RenderSeconds" in b]
    assert blob["RendersFailed"] == [1.0]


def test_what_the_mp3_decoder_prints_is_one_log_line_keyed_by_recording_id(
    cloud_settings, worker, capfd
):
    # libmpg123 writes a raw line to stderr for each of 13 frames of the shared recording
    # it finds damaged: CloudWatch would get them unkeyed, one event each.
    sample = ROOT / "samples" / "XC249066_Willisornis_poecilinotus.mp3"
    event, recording_id = upload_event(cloud_settings, sample.name, sample.read_bytes())
    assert worker(event)["outcomes"][0]["status"] == "COMPLETED"
    out, err = capfd.readouterr()
    assert "dequantization" not in err
    lines = [json.loads(line) for line in out.splitlines() if line]
    (said,) = [line for line in lines if "stderr" in line]
    assert said["recording_id"] == recording_id
    assert said["level"] == "WARNING"
    assert said["stderr"] == {
        "[src/libmpg123/layer3.c:INT123_do_layer3():1804] error: dequantization failed!": 13
    }
