"""Uploads in parts over real HTTP on the moto stack: complete and render, resume after a
drop, refuse parts that do not add up, cancel.

The stack sends files over 6 MiB in 5 MiB parts (S3's smallest), so three parts are ~12 MiB.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from infra.local.harness import ApiUser, RunningStack, running_stack
from tests.integration.test_pipeline import wav_bytes

MIB = 1024 * 1024
LIMIT = 14 * MIB


@pytest.fixture(scope="module")
def parted() -> Iterator[RunningStack]:
    with running_stack(
        MULTIPART_THRESHOLD_BYTES=str(6 * MIB),
        MULTIPART_PART_BYTES=str(5 * MIB),
        MAX_UPLOAD_BYTES=str(LIMIT),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def fern(parted: RunningStack) -> ApiUser:
    return ApiUser(parted.api_url, "fern")


@pytest.fixture(scope="module")
def song() -> bytes:
    data = wav_bytes(300.0)  # 16-bit at 22.05 kHz: ~12.6 MiB, three parts
    assert 10 * MIB < len(data) < LIMIT
    return data


def create(api: ApiUser, size: int) -> tuple[str, dict]:
    answer = api.request(
        "POST", "/recordings", json={"filename": "dawn.wav", "size": size, "content_type": ""}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["recording"]["id"], answer.json()["upload"]["multipart"]


def put_part(url: str, data: bytes, number: int, part_size: int) -> str:
    sent = requests.put(url, data=data[(number - 1) * part_size : number * part_size], timeout=60)
    assert sent.status_code == 200, sent.text
    return sent.headers["ETag"]


def complete(api: ApiUser, recording_id: str, etags: dict[int, str]) -> requests.Response:
    parts = [{"number": n, "etag": etag} for n, etag in sorted(etags.items())]
    return api.request("POST", f"/recordings/{recording_id}/upload/complete", json={"parts": parts})


# Keys begin with a hash of the recording id (docs/scale.md): look through the whole bucket.
def open_uploads(stack: RunningStack) -> list[str]:
    listing = stack.client("s3").list_multipart_uploads(Bucket="recordings")
    return [upload["Key"] for upload in listing.get("Uploads", []) if "/fern/" in upload["Key"]]


def stored_audio(stack: RunningStack, recording_id: str) -> list[str]:
    return [key for key in stack.stored("recordings", "") if f"/fern/{recording_id}" in key]


def test_a_large_file_goes_in_parts_completes_and_renders(fern: ApiUser, song: bytes):
    recording_id, upload = create(fern, len(song))
    assert upload["part_size"] == 5 * MIB and upload["part_count"] == 3
    assert [part["number"] for part in upload["parts"]] == [1, 2, 3]
    # The signature covers each part's length: S3 takes no other size through the URL.
    signed = parse_qs(urlsplit(upload["parts"][0]["url"]).query)["X-Amz-SignedHeaders"][0]
    assert "content-length" in signed.split(";")
    etags = {p["number"]: put_part(p["url"], song, p["number"], 5 * MIB) for p in upload["parts"]}

    completed = complete(fern, recording_id, etags)
    assert completed.status_code == 200, completed.text
    assert completed.json()["id"] == recording_id
    assert fern.wait_until_done(recording_id)["status"] == "COMPLETED"
    manifest = fern.request("GET", f"/recordings/{recording_id}/spectrogram").json()
    assert manifest["duration_s"] == pytest.approx(300.0, abs=0.01)
    assert requests.get(manifest["audio_url"], timeout=60).content == song
    # Completing again (a retry whose first answer was lost) changes nothing.
    assert complete(fern, recording_id, etags).status_code == 200
    gone = fern.request("GET", f"/recordings/{recording_id}/upload")
    assert gone.status_code == 409 and "no upload in parts" in gone.json()["error"]


def test_an_upload_resumes_from_the_parts_that_arrived(fern: ApiUser, song: bytes):
    recording_id, upload = create(fern, len(song))
    first = {p["number"]: p["url"] for p in upload["parts"]}
    put_part(first[1], song, 1, 5 * MIB)
    put_part(first[3], song, 3, 5 * MIB)
    # The connection dropped: part 2 never arrived and the page forgot every answer.
    early = complete(fern, recording_id, {1: "x", 2: "y", 3: "z"})
    assert early.status_code == 409 and "part 1" in early.json()["error"]

    progress = fern.request("GET", f"/recordings/{recording_id}/upload")
    assert progress.status_code == 200, progress.text
    received = {p["number"]: p for p in progress.json()["received"]}
    assert sorted(received) == [1, 3]
    assert received[3]["size"] == len(song) - 10 * MIB
    fresh = fern.request(
        "POST", f"/recordings/{recording_id}/upload/parts", json={"numbers": [2]}
    ).json()
    assert [p["number"] for p in fresh["parts"]] == [2]
    etags = {n: part["etag"] for n, part in received.items()}
    etags[2] = put_part(fresh["parts"][0]["url"], song, 2, 5 * MIB)

    assert complete(fern, recording_id, etags).status_code == 200
    assert fern.wait_until_done(recording_id)["status"] == "COMPLETED"


def test_parts_over_the_limit_are_refused_and_nothing_is_kept(
    parted: RunningStack, fern: ApiUser, song: bytes
):
    # Announced as 11 MiB; moto checks no signature, so the last part can carry 5 MiB.
    recording_id, upload = create(fern, 11 * MIB)
    big = song[: 15 * MIB] if len(song) >= 15 * MIB else song + bytes(15 * MIB - len(song))
    etags = {p["number"]: put_part(p["url"], big, p["number"], 5 * MIB) for p in upload["parts"]}

    refused = complete(fern, recording_id, etags)
    assert refused.status_code == 400
    assert "over the 14 MiB upload limit" in refused.json()["error"]
    assert fern.request("GET", f"/recordings/{recording_id}").status_code == 404
    assert open_uploads(parted) == []
    assert not stored_audio(parted, recording_id)


def test_cancel_aborts_the_upload_and_deletes_the_recording(
    parted: RunningStack, fern: ApiUser, song: bytes
):
    recording_id, upload = create(fern, len(song))
    put_part(upload["parts"][0]["url"], song, 1, 5 * MIB)
    assert open_uploads(parted)

    assert fern.request("DELETE", f"/recordings/{recording_id}").status_code == 204
    assert open_uploads(parted) == []
    late = requests.put(upload["parts"][1]["url"], data=song[5 * MIB : 10 * MIB], timeout=60)
    # S3 answers 404 NoSuchUpload; moto a 500. Either way nothing is stored.
    assert not late.ok
    assert open_uploads(parted) == []
    assert not stored_audio(parted, recording_id)


def test_small_files_still_go_by_presigned_post(fern: ApiUser):
    recording = fern.upload("short.wav", wav_bytes(1.0))
    assert fern.wait_until_done(recording["id"])["status"] == "COMPLETED"
    answer = fern.request(
        "POST", f"/recordings/{recording['id']}/upload/parts", json={"numbers": [1]}
    )
    assert answer.status_code == 409
