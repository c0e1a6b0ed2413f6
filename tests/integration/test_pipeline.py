"""Upload -> bucket notification -> spectrogram function -> status -> HTTP, over real processes."""

from __future__ import annotations

import base64
import io
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
import requests
import soundfile as sf
from PIL import Image

from chalicelib.config import Settings
from chalicelib.recordings import audio_key
from infra.local.harness import ApiClient, ApiUser, RunningStack
from tests.integration.conftest import SAMPLES

BIRDSONG = SAMPLES / "XC249066_Willisornis_poecilinotus.mp3"


def wav_bytes(seconds: float, sample_rate: int = 22050) -> bytes:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    chirp = 0.5 * np.sin(2 * np.pi * (1000 + 400 * t) * t)
    buffer = io.BytesIO()
    sf.write(buffer, chirp.astype(np.float32), sample_rate, format="WAV")
    return buffer.getvalue()


def wait_for(condition, timeout_s: float, what: str):
    """``condition()``'s first true value; AssertionError naming ``what`` if there is none
    within ``timeout_s``, a bound for a test that would otherwise wait for ever."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {timeout_s} s")


def outcomes(stack: RunningStack, outcome: str, key: str) -> int:
    """How many jobs for the object ``key`` the bridge has logged as ending in ``outcome``."""
    return sum(f"{outcome} {key} " in line for line in stack.log)


def spectrogram_png(api: ApiUser, recording_id: str) -> Image.Image:
    answer = api.request("GET", f"/recordings/{recording_id}/spectrogram")
    assert answer.status_code == 200, answer.text
    manifest = answer.json()
    image = requests.get(manifest["image_url"], timeout=30)
    assert image.status_code == 200
    assert image.headers["Cache-Control"] == "max-age=86400"
    picture = Image.open(io.BytesIO(image.content))
    assert picture.format == "PNG"
    assert (manifest["width"], manifest["height"]) == picture.size
    return picture


def test_health_needs_no_token(stack: RunningStack):
    assert ApiClient(stack.api_url).request("GET", "/health").json() == {"ok": True}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"username": "alice", "password": "x"}, "unknown field(s): password"),
        ({}, "missing field(s): username"),
        ({"username": "alice\n"}, "username must be"),
    ],
)
def test_login_names_what_is_wrong(stack: RunningStack, body: dict, complaint: str):
    answer = ApiClient(stack.api_url).request("POST", "/auth/login", json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]


def test_birdsong_mp3_becomes_a_3200_by_400_spectrogram(alice: ApiUser):
    recording = alice.upload(BIRDSONG.name, BIRDSONG.read_bytes(), "audio/mpeg")
    assert recording["status"] == "PENDING"
    status = alice.wait_until_done(recording["id"])
    assert status["status"] == "COMPLETED", status
    assert status["processing_ms"] > 0
    assert spectrogram_png(alice, recording["id"]).size == (3200, 400)
    shown = alice.request("GET", f"/recordings/{recording['id']}").json()
    assert shown["sample_rate"] == 44100
    assert shown["channels"] == 1
    # Decoded samples, not the MP3 header's estimate (102.14 s).
    assert shown["duration_s"] == pytest.approx(101.85, abs=0.05)


def test_five_second_wav_becomes_1000_by_400(alice: ApiUser):
    recording = alice.upload("five seconds+chirp.wav", wav_bytes(5.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    assert spectrogram_png(alice, recording["id"]).size == (1000, 400)


def test_text_file_named_wav_fails_with_a_clear_message(alice: ApiUser):
    recording = alice.upload("notes.wav", b"these are my field notes, not audio\n" * 20)
    status = alice.wait_until_done(recording["id"])
    assert status["status"] == "FAILED"
    assert "notes.wav" in status["error"]
    assert "not an audio file" in status["error"]
    answer = alice.request("GET", f"/recordings/{recording['id']}/spectrogram")
    assert answer.status_code == 409
    assert answer.json() == {"status": "FAILED", "error": status["error"]}


def test_spectrogram_answers_202_with_retry_after_until_uploaded(alice: ApiUser):
    created = alice.request(
        "POST", "/recordings", json={"filename": "later.wav", "size": 10, "content_type": ""}
    )
    recording_id = created.json()["recording"]["id"]
    answer = alice.request("GET", f"/recordings/{recording_id}/spectrogram")
    assert answer.status_code == 202
    assert answer.headers["Retry-After"]
    assert answer.json() == {"status": "PENDING"}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"filename": "song.txt", "size": 10, "content_type": "text/plain"}, "song.txt"),
        ({"filename": "song.wav", "size": 0, "content_type": "audio/wav"}, "empty"),
        ({"filename": "song.wav", "size": 101 * 2**20, "content_type": "audio/wav"}, "limit"),
        ({"filename": "song.wav"}, "missing field(s): size, content_type"),
        ({"filename": "song.wav", "size": 10, "content_type": "audio/wav\n"}, "cannot be"),
        ({"filename": "page.wav", "size": 10, "content_type": "text/html"}, "'text/html'"),
        ({"filename": "\ud800.wav", "size": 10, "content_type": ""}, "not valid Unicode"),
    ],
)
def test_bad_new_recordings_are_refused_with_a_reason(alice: ApiUser, body: dict, complaint: str):
    answer = alice.request("POST", "/recordings", json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]


@pytest.mark.parametrize("path", ["/recordings", "/auth/login"])
@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        # Deeper than the parser recurses, yet within the arrays a body may hold.
        ("[" * 30_000, "not valid JSON"),
        ('{"filename": ', "not valid JSON"),
        ("\xff", "not valid JSON"),
        # More arrays than any body may hold: refused before it is parsed.
        ("[" * 100_000, "the request body holds 100000 JSON arrays and objects"),
    ],
    ids=["deep", "cut", "bytes", "too-many"],
)
def test_a_body_that_is_not_json_is_a_bad_request(
    alice: ApiUser, path: str, body: str, complaint: str
):
    answer = alice.request(
        "POST", path, data=body.encode("latin-1"), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert complaint in answer.json()["error"]


@pytest.mark.parametrize("label", ["application/xml", "multipart/form-data", "x/y; a=b"])
def test_a_body_is_read_as_json_whatever_its_label(alice: ApiUser, label: str):
    body = {"filename": "labelled.wav", "size": 10, "content_type": ""}
    answer = alice.request(
        "POST", "/recordings", data=json.dumps(body), headers={"Content-Type": label}
    )
    assert answer.status_code == 201, answer.text
    refused = alice.request("POST", "/recordings", data="<a/>", headers={"Content-Type": label})
    assert refused.status_code == 400
    assert "not valid JSON" in refused.json()["error"]


def test_presigned_post_pins_key_type_and_size(alice: ApiUser):
    answer = alice.request(
        "POST",
        "/recordings",
        json={"filename": "Dawn Chorus.flac", "size": 5, "content_type": "audio/flac"},
    )
    upload = answer.json()["upload"]
    assert upload["url"].endswith("/recordings")
    fields = upload["fields"]
    recording_id = answer.json()["recording"]["id"]
    # The server's key, spread over S3 prefixes by a hash of the id; never the user's name.
    assert fields["key"] == audio_key("alice", recording_id, ".flac")
    assert fields["Content-Type"] == "audio/flac"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 5, 5] in policy["conditions"]
    assert {"Content-Type": "audio/flac"} in policy["conditions"]


def test_another_user_gets_404(alice: ApiUser, bob: ApiUser):
    recording = alice.upload("mine.wav", wav_bytes(1.0))
    for path in ("", "/spectrogram", "/spectrogram/status"):
        answer = bob.request("GET", f"/recordings/{recording['id']}{path}")
        assert answer.status_code == 404, path
    assert bob.request("DELETE", f"/recordings/{recording['id']}").status_code == 404
    assert recording["id"] not in [
        r["id"] for r in bob.request("GET", "/recordings").json()["recordings"]
    ]


def test_list_is_newest_first_and_pages(stack: RunningStack):
    carol = ApiUser(stack.api_url, "carol")
    ids = [carol.upload(f"take {n}.wav", wav_bytes(0.5))["id"] for n in range(3)]
    first = carol.request("GET", "/recordings?limit=2").json()
    assert [r["id"] for r in first["recordings"]] == ids[::-1][:2]
    second = carol.request("GET", f"/recordings?limit=2&cursor={first['next']}").json()
    assert [r["id"] for r in second["recordings"]] == ids[:1]


@pytest.mark.parametrize(
    "cursor",
    ["bm9wZQ==", "2026-12-03T18:41:58.336263Z", "x_" + "0" * 5000, "[" * 5000],
    ids=["base64", "no id", "not a time", "brackets"],
)
def test_a_cursor_of_the_wrong_shape_is_a_bad_request(alice: ApiUser, cursor):
    answer = alice.request("GET", "/recordings", params={"cursor": cursor})
    assert answer.status_code == 400, answer.text
    assert cursor in answer.json()["error"]


def test_a_cursor_pages_only_the_callers_own_recordings(alice: ApiUser, bob: ApiUser):
    for n in range(2):
        alice.upload(f"private {n}.wav", wav_bytes(0.2))
    cursor = alice.request("GET", "/recordings?limit=1").json()["next"]
    answer = bob.request("GET", "/recordings", params={"cursor": cursor, "limit": 100})
    assert answer.status_code == 200
    assert not {r["filename"] for r in answer.json()["recordings"]} & {
        "private 0.wav",
        "private 1.wav",
    }


def test_replayed_event_renders_once(stack: RunningStack, alice: ApiUser):
    recording = alice.upload("replayed.wav", wav_bytes(1.0))
    done = alice.wait_until_done(recording["id"])
    sqs = stack.client("sqs")
    queue = sqs.get_queue_url(QueueName="sonagram-spectrogram-jobs")["QueueUrl"]
    key = audio_key("alice", recording["id"], ".wav")
    event = {
        "Records": [
            {
                "eventName": "ObjectCreated:Post",
                "s3": {"bucket": {"name": "recordings"}, "object": {"key": key, "size": 1}},
            }
        ]
    }
    skipped_before = outcomes(stack, "SKIPPED", key)
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(event))
    # The replay is processed, and skipped: the spectrogram is already rendered.
    wait_for(lambda: outcomes(stack, "SKIPPED", key) > skipped_before, 120, "replay processed")
    assert outcomes(stack, "COMPLETED", key) == 1
    again = alice.request("GET", f"/recordings/{recording['id']}/spectrogram/status").json()
    assert again == done
    prefix = audio_key("alice", recording["id"], "") + "/"
    attempts = {k.removeprefix(prefix).split("/")[0] for k in stack.stored("spectrograms", prefix)}
    assert len(attempts) == 1


def test_delete_removes_audio_images_and_rows(stack: RunningStack, alice: ApiUser):
    recording = alice.upload("gone soon.wav", wav_bytes(2.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    prefix = audio_key("alice", recording["id"], "")
    assert stack.stored("recordings", prefix) and stack.stored("spectrograms", prefix)
    assert alice.request("DELETE", f"/recordings/{recording['id']}").status_code == 204
    assert stack.stored("recordings", prefix) == stack.stored("spectrograms", prefix) == []
    assert alice.request("GET", f"/recordings/{recording['id']}").status_code == 404


def test_regenerate_renders_again_and_drops_the_old_images(stack: RunningStack, alice: ApiUser):
    recording = alice.upload("again.wav", wav_bytes(1.0))
    path = f"/recordings/{recording['id']}/spectrogram"
    first = alice.wait_until_done(recording["id"])
    old_image = alice.request("GET", path).json()["image_url"]
    answer = alice.request("POST", path + "/regenerate")
    assert answer.status_code == 202
    assert answer.json() == {"status": "PENDING"}
    second = alice.wait_until_done(recording["id"])
    assert second["status"] == "COMPLETED" and second["updated_at"] > first["updated_at"]
    new_image = alice.request("GET", path).json()["image_url"]
    assert requests.get(new_image, timeout=10).status_code == 200
    assert requests.get(old_image, timeout=10).status_code == 404


def test_regenerate_waits_for_a_finished_spectrogram(alice: ApiUser):
    created = alice.request(
        "POST", "/recordings", json={"filename": "never.wav", "size": 10, "content_type": ""}
    )
    recording_id = created.json()["recording"]["id"]
    answer = alice.request("POST", f"/recordings/{recording_id}/spectrogram/regenerate")
    assert answer.status_code == 409
    assert "never uploaded" in answer.json()["error"]


def test_audio_redirects_to_a_url_that_serves_byte_ranges(alice: ApiUser):
    data = wav_bytes(1.0)
    recording = alice.upload("listen.wav", data)
    answer = alice.request("GET", f"/recordings/{recording['id']}/audio", allow_redirects=False)
    assert answer.status_code == 302
    part = requests.get(answer.headers["Location"], headers={"Range": "bytes=0-99"}, timeout=10)
    assert part.status_code == 206
    assert part.content == data[:100]


def expiry_of(url: str) -> datetime:
    """When a presigned URL stops working, as its own signature says."""
    query = parse_qs(urlsplit(url).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return signed + timedelta(seconds=int(query["X-Amz-Expires"][0]))


def test_the_manifest_gives_the_audio_url_and_when_its_urls_expire(alice: ApiUser):
    data = wav_bytes(1.0)
    recording = alice.upload("manifest audio.wav", data)
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    asked = datetime.now(UTC)
    manifest = alice.request("GET", f"/recordings/{recording['id']}/spectrogram").json()
    part = requests.get(manifest["audio_url"], headers={"Range": "bytes=40-139"}, timeout=10)
    assert part.status_code == 206
    assert part.content == data[40:140]
    assert part.headers["Content-Type"] == "audio/wav"
    expires_at = datetime.fromisoformat(manifest["urls_expire_at"])
    lifetime = timedelta(seconds=Settings().download_expiry_s)
    # Signed after the request left, in whole seconds.
    assert asked - timedelta(seconds=1) + lifetime <= expires_at <= datetime.now(UTC) + lifetime
    urls = [manifest["audio_url"], manifest["image_url"], *(t["url"] for t in manifest["tiles"])]
    assert min(expiry_of(url) for url in urls) == expires_at


def test_a_range_request_on_a_tiles_url_reads_exactly_that_tile(
    stack: RunningStack, alice: ApiUser
):
    # 100 s at 22.05 kHz: level 0 (43 px/s) is two tiles, level 1 one.
    recording = alice.upload("tiles.wav", wav_bytes(100.0))
    assert alice.wait_until_done(recording["id"])["status"] == "COMPLETED"
    manifest = alice.request("GET", f"/recordings/{recording['id']}/spectrogram").json()
    tiles = manifest["tiles"]
    assert [(tile["level"], tile["index"]) for tile in tiles] == [(0, 0), (0, 1), (1, 0)]
    # One URL an object of tiles, however many tiles it holds.
    assert len({tile["url"] for tile in tiles}) == len(manifest["tile_levels"]) == 2
    origin = {"Origin": stack.ui_url}
    for tile in tiles:
        first, last = tile["offset"], tile["offset"] + tile["length"] - 1
        assert tile["range"] == f"bytes={first}-{last}"
        part = requests.get(tile["url"], headers={"Range": tile["range"], **origin}, timeout=10)
        assert part.status_code == 206
        assert part.headers["Content-Range"].startswith(f"bytes {first}-{last}/")
        assert "Content-Range" in part.headers["Access-Control-Expose-Headers"]
        png = Image.open(io.BytesIO(part.content))
        assert (png.format, png.mode, png.size) == ("PNG", "L", (tile["width"], 400))
        assert len(part.content) == tile["length"]
    preflight = requests.options(
        tiles[0]["url"],
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "range",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == stack.ui_url
    # "*" (moto's answer to AllowedHeaders "*") lets any header but Authorization through.
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert allowed == "*" or "range" in allowed.split(", ")


def test_audio_is_served_as_audio_under_the_users_name_whatever_type_was_stored(
    stack: RunningStack, alice: ApiUser
):
    page = b"<html><script>alert(document.domain)</script></html>"
    recording = alice.upload("Grünfrosch.wav", page, stored_type="text/html")
    key = audio_key("alice", recording["id"], ".wav")
    stored = stack.client("s3").head_object(Bucket="recordings", Key=key)
    assert stored["ContentType"] == "text/html"
    answer = alice.request("GET", f"/recordings/{recording['id']}/audio", allow_redirects=False)
    assert answer.status_code == 302
    audio = requests.get(answer.headers["Location"], timeout=10)
    assert audio.status_code == 200 and audio.content == page
    assert audio.headers["Content-Type"] == "audio/wav"
    assert audio.headers["Content-Disposition"] == (
        "inline; filename=\"Gr_nfrosch.wav\"; filename*=UTF-8''Gr%C3%BCnfrosch.wav"
    )
