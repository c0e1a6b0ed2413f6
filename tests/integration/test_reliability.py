"""Faults injected into the real local stack: workers killed mid-render, the bridge
restarted mid-job, a reused upload URL, a stored object every read of which fails, a
delete mid-render. Each ends COMPLETED or FAILED, by the path meant for it (the stack's
log says which), and leaves nothing behind (docs/reliability.md).

The stack runs with a short lease and sweep interval so that the recoveries happen in
seconds; the code paths are those of the defaults. The job budget stays long enough for the
renders here on a busy machine (the worker keeps 20 s of it for its watchdog). The tests
wait for events, never for a time a busy machine may overrun: each wait's bound only stops
a test that would otherwise wait for ever.
"""

from __future__ import annotations

import contextlib
import io
import signal
import time
from collections.abc import Iterator

import numpy as np
import psutil
import pytest
import requests
import soundfile as sf

from chalicelib.recordings import audio_key
from infra.local.harness import ApiUser, RunningStack, running_stack
from tests.integration.test_pipeline import wait_for, wav_bytes

LEASE_S, SWEEP_EVERY_S, BUDGET_S = 3, 2, 90
# Generous bounds on waits for what comes within a budget and a sweep.
PATIENCE_S = BUDGET_S + SWEEP_EVERY_S + 90


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    with running_stack(
        JOB_LEASE_S=str(LEASE_S), SWEEP_EVERY_S=str(SWEEP_EVERY_S), JOB_TIMEOUT_S=str(BUDGET_S)
    ) as running:
        yield running


@pytest.fixture(scope="module")
def frank(stack: RunningStack) -> ApiUser:
    return ApiUser(stack.api_url, "frank")


@pytest.fixture(scope="module")
def long_flac() -> bytes:
    """An hour of silence at 48 kHz: under 1 MB of FLAC that takes seconds to render (its
    337,500 frames)."""
    sample_rate, buffer = 48000, io.BytesIO()
    minute = np.zeros(60 * sample_rate)
    with sf.SoundFile(buffer, "w", sample_rate, 1, format="FLAC", subtype="PCM_16") as out:
        for _ in range(60):
            out.write(minute)
    return buffer.getvalue()


def processes(stack: RunningStack, marker: str) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(stack.process.pid).children(recursive=True):
        # A job may end between the listing and the look at it.
        with contextlib.suppress(psutil.NoSuchProcess):
            if marker in " ".join(child.cmdline()):
                found.append(child)
    return found


def workers(stack: RunningStack) -> list[psutil.Process]:
    """The jobs the bridge runs: the children of its fork server."""
    found = []
    for server in processes(stack, "forkserver"):
        with contextlib.suppress(psutil.NoSuchProcess):
            found += server.children()
    return found


def status_of(user: ApiUser, recording_id: str) -> str:
    return user.request("GET", f"/recordings/{recording_id}/spectrogram/status").json()["status"]


def rendering_prefixes(stack: RunningStack, user: str, recording_id: str) -> set[str]:
    """The attempts with something stored for the recording."""
    prefix = audio_key(user, recording_id, "") + "/"
    listing = stack.client("s3").list_objects_v2(Bucket="spectrograms", Prefix=prefix)
    return {o["Key"].removeprefix(prefix).split("/")[0] for o in listing.get("Contents", [])}


def served_prefix(user: ApiUser, recording_id: str) -> str:
    manifest = user.request("GET", f"/recordings/{recording_id}/spectrogram").json()
    return manifest["image_url"].split("?")[0].split("/")[-2]


def attempt_of(stack: RunningStack, recording_id: str) -> str:
    """The attempt that holds (or last held) the recording's job, as the table says."""
    row = stack.client("dynamodb").get_item(
        TableName="sonagram-spectrograms", Key={"recording_id": {"S": recording_id}}
    )
    return row["Item"]["attempt_id"]["S"]


def logged(stack: RunningStack, text: str, since: int = 0) -> bool:
    return any(text in line for line in stack.log[since:])


def test_the_page_is_told_this_stages_timings(stack: RunningStack):
    config = requests.get(f"{stack.ui_url}/config.json", timeout=10).json()
    assert config["pipeline"] == {
        "jobBudgetS": BUDGET_S,
        "leaseS": LEASE_S,
        "sweepEveryS": SWEEP_EVERY_S,
        "uploadUrlS": 900,
        "lateUploadS": 300,
    }


def test_a_worker_killed_mid_render_is_taken_over_and_leaves_nothing(
    stack: RunningStack, frank: ApiUser, long_flac: bytes
):
    recording = frank.upload("killed.flac", long_flac, "audio/flac")
    wait_for(lambda: status_of(frank, recording["id"]) == "PROCESSING", 60, "PROCESSING")
    killed_attempt = attempt_of(stack, recording["id"])
    [worker] = wait_for(lambda: workers(stack), 10, "worker")
    since = len(stack.log)
    worker.send_signal(signal.SIGKILL)
    done = frank.wait_until_done(recording["id"], timeout_s=PATIENCE_S)
    assert done["status"] == "COMPLETED", done
    # The bridge saw the job die and handed its message back; a new attempt took the job
    # over once the killed one's lease lapsed, and what the killed one stored is gone.
    assert logged(stack, "job failed (exit -9): it will be redelivered", since)
    assert not logged(stack, "overran", since)
    served = served_prefix(frank, recording["id"])
    assert served != killed_attempt
    assert rendering_prefixes(stack, "frank", recording["id"]) == {served}


def test_a_bridge_restarted_mid_job_loses_nothing(
    stack: RunningStack, frank: ApiUser, long_flac: bytes
):
    recording = frank.upload("restart.flac", long_flac, "audio/flac")
    wait_for(lambda: status_of(frank, recording["id"]) == "PROCESSING", 60, "PROCESSING")
    [bridge] = processes(stack, "infra.local.bridge")
    bridge.terminate()  # stops its jobs, as a crash of the machine would
    done = frank.wait_until_done(recording["id"], timeout_s=PATIENCE_S)
    assert done["status"] == "COMPLETED", done
    assert any("starting it again" in line for line in stack.log)
    assert rendering_prefixes(stack, "frank", recording["id"]) == {
        served_prefix(frank, recording["id"])
    }


def test_a_reused_upload_url_renders_the_new_audio(frank: ApiUser):
    first, second = wav_bytes(5.0), wav_bytes(3.0)
    created = frank.request(
        "POST",
        "/recordings",
        json={"filename": "take.wav", "size": len(first), "content_type": "audio/wav"},
    ).json()
    form, recording_id = created["upload"], created["recording"]["id"]
    for data in (first, second):
        sent = requests.post(form["url"], data=form["fields"], files={"file": data}, timeout=30)
        assert sent.status_code in (200, 201, 204)
        seconds = len(data) / len(first) * 5.0
        wait_for(
            lambda s=seconds: (
                abs(
                    (frank.request("GET", f"/recordings/{recording_id}").json()["duration_s"] or 0)
                    - s
                )
                < 0.01
            ),
            30,
            f"a {seconds} s rendering",
        )
    recording = frank.request("GET", f"/recordings/{recording_id}").json()
    assert (recording["status"], recording["size"]) == ("COMPLETED", len(second))


def test_an_object_that_cannot_be_read_ends_and_the_stack_survives(
    stack: RunningStack, frank: ApiUser
):
    # A type whose newline makes every read of the stored object fail (500).
    broken = frank.upload("broken.wav", wav_bytes(1.0), stored_type="audio/wav\n")
    done = frank.wait_until_done(broken["id"], timeout_s=PATIENCE_S)
    assert done["status"] in ("COMPLETED", "FAILED"), done
    assert stack.process.poll() is None
    healthy = frank.upload("after.wav", wav_bytes(1.0))
    assert frank.wait_until_done(healthy["id"])["status"] == "COMPLETED"


def test_a_recording_deleted_mid_render_leaves_nothing(
    stack: RunningStack, frank: ApiUser, long_flac: bytes
):
    recording = frank.upload("deleted.flac", long_flac, "audio/flac")
    wait_for(lambda: status_of(frank, recording["id"]) == "PROCESSING", 60, "PROCESSING")
    assert frank.request("DELETE", f"/recordings/{recording['id']}").status_code == 204
    assert frank.request("DELETE", f"/recordings/{recording['id']}").status_code == 404
    wait_for(lambda: not workers(stack), PATIENCE_S, "end of the worker")
    assert rendering_prefixes(stack, "frank", recording["id"]) == set()
    # The audio key begins with a hash of the id (docs/scale.md): look through the bucket.
    assert not [key for key in stack.stored("recordings", "") if recording["id"] in key]


def test_a_lost_announcement_is_made_again_by_the_sweeper(stack: RunningStack, frank: ApiUser):
    # As if S3's event were lost, or the platform's retries ran out: the audio is stored,
    # the spectrogram PENDING, and nothing is coming.
    s3 = stack.client("s3")
    wiring = s3.get_bucket_notification_configuration(Bucket="recordings")
    wiring.pop("ResponseMetadata")
    s3.put_bucket_notification_configuration(Bucket="recordings", NotificationConfiguration={})
    # Before the recording is created: the sweeper counts its budget from then.
    created_before = time.monotonic()
    try:
        recording = frank.upload("unannounced.wav", wav_bytes(1.0))
    finally:
        s3.put_bucket_notification_configuration(
            Bucket="recordings", NotificationConfiguration=wiring
        )
    done = frank.wait_until_done(recording["id"], timeout_s=PATIENCE_S)
    assert done["status"] == "COMPLETED", done
    # Announced again by the sweeper, and not before the recording was PENDING for a whole
    # budget (a slower machine only makes the wait longer).
    assert any("sweeper announced: " in line and recording["id"] in line for line in stack.log)
    assert time.monotonic() - created_before >= BUDGET_S
