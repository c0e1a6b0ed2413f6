"""Presigned URLs refuse what they should, proved against LocalStack.

moto accepts any presigned POST, so these run on a stack started with
LOCAL_CLOUD=localstack. LocalStack enforces a POST's policy (key, content type,
size range) but, unlike S3, not its signature; it does check GET signatures.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from infra.local.harness import ApiUser, RunningStack, free_port, running_stack
from tests.integration.test_pipeline import wav_bytes

LIMIT = 100_000


@pytest.fixture(scope="module")
def policed() -> Iterator[RunningStack]:
    # The tables' moto server would take the cloud's port + 1, which nothing checked was
    # free: after the fuzz test's thousands of requests, a closing client port often
    # still held it. Give it a port that is free.
    with running_stack(
        LOCAL_CLOUD="localstack",
        MAX_UPLOAD_BYTES=str(LIMIT),
        LOCAL_DYNAMODB_PORT=str(free_port()),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def dana(policed: RunningStack) -> ApiUser:
    return ApiUser(policed.api_url, "dana")


def new_upload(api: ApiUser, size: int) -> tuple[str, dict]:
    answer = api.request(
        "POST", "/recordings", json={"filename": "a.wav", "size": size, "content_type": "audio/wav"}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["recording"]["id"], answer.json()["upload"]


def post(upload: dict, data: bytes, **changed_fields: str) -> requests.Response:
    fields = {**upload["fields"], **changed_fields}
    return requests.post(upload["url"], data=fields, files={"file": ("a.wav", data)}, timeout=30)


def stored_keys(stack: RunningStack) -> list[str]:
    """Dana's audio keys (they begin with a hash of the recording id, docs/scale.md)."""
    return [key for key in stack.stored("recordings", "") if "/dana/" in key]


def test_a_proper_upload_is_accepted_and_rendered(dana: ApiUser):
    recording = dana.upload("song.wav", wav_bytes(1.0))
    assert dana.wait_until_done(recording["id"])["status"] == "COMPLETED"


@pytest.mark.parametrize(
    ("change", "data", "announced"),
    [
        ({"Content-Type": "text/html"}, wav_bytes(0.5), None),
        ({"key": "dana/someone-elses.wav"}, wav_bytes(0.5), None),
        ({}, b"\0" * (LIMIT + 1), LIMIT),
        ({}, b"\0" * 1001, 1000),
        ({}, b"\0" * 999, 1000),
    ],
    ids=[
        "other content type",
        "other key",
        "over the size limit",
        "larger than announced",
        "smaller than announced",
    ],
)
def test_the_bucket_refuses_uploads_outside_the_policy(
    policed: RunningStack, dana: ApiUser, change: dict, data: bytes, announced: int | None
):
    before = stored_keys(policed)
    recording_id, upload = new_upload(dana, size=announced or len(data))
    refused = post(upload, data, **change)
    assert refused.status_code in (400, 403), refused.text
    assert stored_keys(policed) == before
    status = dana.request("GET", f"/recordings/{recording_id}/spectrogram/status").json()
    assert status["status"] == "PENDING"


def test_a_file_posted_again_after_its_recording_was_deleted_is_removed(
    policed: RunningStack, dana: ApiUser
):
    data = wav_bytes(0.5)
    recording_id, upload = new_upload(dana, size=len(data))
    assert post(upload, data).status_code in (200, 201, 204)
    assert dana.wait_until_done(recording_id)["status"] == "COMPLETED"
    before = stored_keys(policed)
    assert dana.request("DELETE", f"/recordings/{recording_id}").status_code == 204
    # The URL is valid until it expires; what it stores now belongs to no recording.
    assert post(upload, data).status_code in (200, 201, 204)
    key = upload["fields"]["key"]
    assert key in before
    assert removed(policed, key)


def removed(stack: RunningStack, key: str, timeout_s: float = 60) -> bool:
    """Whether the object at ``key`` is gone within ``timeout_s`` (the worker deletes it)."""
    deadline = time.monotonic() + timeout_s
    while key in stored_keys(stack):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def test_the_manifests_image_and_audio_urls_are_signed(dana: ApiUser):
    recording = dana.upload("signed.wav", wav_bytes(1.0))
    assert dana.wait_until_done(recording["id"])["status"] == "COMPLETED"
    manifest = dana.request("GET", f"/recordings/{recording['id']}/spectrogram").json()
    for url in (manifest["image_url"], manifest["audio_url"]):
        assert requests.get(url, timeout=10).status_code == 200
        forged = url[: url.index("X-Amz-Signature=")] + "X-Amz-Signature=" + "0" * 64
        assert requests.get(forged, timeout=10).status_code == 403
