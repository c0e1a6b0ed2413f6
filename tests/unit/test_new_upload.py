import re
from collections import Counter

import pytest

from chalicelib.audio_types import AUDIO_TYPES
from chalicelib.errors import BadRequestError
from chalicelib.recordings import NewUpload, audio_key
from chalicelib.renderings import attempt_prefix, spectrogram_prefix
from chalicelib.spread import key_hash
from chalicelib.validation import json_body

LIMIT = 100 * 2**20


def test_a_good_request_keeps_the_name_and_finds_the_extension():
    upload = NewUpload.from_request(
        {"filename": "Dawn Chorus.MP3", "size": 10, "content_type": "audio/mpeg"}, max_bytes=LIMIT
    )
    assert upload == NewUpload("Dawn Chorus.MP3", 10, "audio/mpeg", ".mp3")


@pytest.mark.parametrize(
    "filename", ["Grünfrosch 🐸.WAV", "a" * 251 + ".wav", "..wav", "field\\day 1\\x.Flac"]
)
def test_any_printable_name_with_an_audio_extension_is_kept_as_sent(filename):
    body = {"filename": filename, "size": 10, "content_type": ""}
    assert NewUpload.from_request(body, max_bytes=LIMIT).filename == filename


def test_a_size_written_as_a_whole_float_is_that_integer():
    body = {"filename": "a.wav", "size": 8001.0, "content_type": ""}
    size = NewUpload.from_request(body, max_bytes=LIMIT).size
    assert size == 8001 and isinstance(size, int)


def test_an_unknown_content_type_falls_back_to_the_extensions():
    upload = NewUpload.from_request(
        {"filename": "frog.flac", "size": 10, "content_type": ""}, max_bytes=LIMIT
    )
    assert upload.content_type == "audio/flac"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ([], "JSON object"),
        ({"size": 1}, "missing field(s): filename, content_type"),
        (
            {"filename": "a.wav", "size": 1, "content_type": "", "title": "x"},
            "unknown field(s): title",
        ),
        ({"filename": "a.doc", "size": 1, "content_type": "x/y"}, "not a supported audio file"),
        ({"filename": "a.wav", "size": "1", "content_type": "audio/wav"}, "integer"),
        ({"filename": "a.wav", "size": True, "content_type": "audio/wav"}, "integer"),
        ({"filename": "a.wav", "size": 1.5, "content_type": "audio/wav"}, "integer"),
        ({"filename": "a.wav", "size": float("nan"), "content_type": "audio/wav"}, "integer"),
        ({"filename": "a.wav", "size": float("inf"), "content_type": "audio/wav"}, "integer"),
        ({"filename": "a.wav", "size": -3, "content_type": "audio/wav"}, "empty"),
        ({"filename": "a.wav", "size": LIMIT + 1, "content_type": "audio/wav"}, "100 MiB"),
        ({"filename": "a.wav", "size": 1, "content_type": "wav"}, "cannot be uploaded as 'wav'"),
        (
            {"filename": "a.wav", "size": 1, "content_type": "audio/wav\n"},
            "cannot be uploaded as 'audio/wav\\n'",
        ),
        ({"filename": "a.wav", "size": 1, "content_type": None}, "content_type must be a string"),
        ({"filename": " ", "size": 1, "content_type": "audio/wav"}, "' ' is not a supported"),
        ({"filename": "", "size": 1, "content_type": "audio/wav"}, "1 to 255 characters"),
        ({"filename": "a" * 252 + ".wav", "size": 1, "content_type": ""}, "1 to 255 characters"),
        ({"filename": "\ud800.wav", "size": 1, "content_type": ""}, "not valid Unicode text"),
        ({"filename": "a\nb.wav", "size": 1, "content_type": ""}, "control characters"),
        ({"filename": "a\x00.wav", "size": 1, "content_type": ""}, "control characters"),
        ({"filename": "song.wav/", "size": 1, "content_type": ""}, "not a supported audio file"),
        ({"filename": "songs/.wav", "size": 1, "content_type": ""}, "not a supported audio file"),
    ],
)
def test_bad_requests_name_the_problem(body, complaint):
    with pytest.raises(BadRequestError, match=re.escape(complaint)):
        NewUpload.from_request(body, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [(extension, kind) for extension, kinds in AUDIO_TYPES.items() for kind in kinds],
)
def test_every_type_that_fits_the_extension_is_accepted(extension, content_type):
    body = {"filename": f"call{extension}", "size": 10, "content_type": content_type}
    assert NewUpload.from_request(body, max_bytes=LIMIT).content_type == content_type


@pytest.mark.parametrize("content_type", ["text/html", "audio/mpeg", "video/wav", "AUDIO/WAV"])
def test_a_type_that_does_not_fit_the_extension_is_refused_with_the_ones_that_do(content_type):
    body = {"filename": "page.wav", "size": 10, "content_type": content_type}
    with pytest.raises(BadRequestError) as refused:
        NewUpload.from_request(body, max_bytes=LIMIT)
    assert refused.value.message == (
        f"'page.wav' cannot be uploaded as {content_type!r}: a .wav file is audio/wav or "
        'audio/x-wav or audio/wave or audio/vnd.wave (or "" for audio/wav)'
    )


def test_the_object_key_is_the_servers_not_the_users_filename():
    assert audio_key("alice", "1234", ".wav") == f"{key_hash('1234')}/alice/1234.wav"


def test_keys_begin_with_four_hex_digits_that_spread_even_sequential_ids():
    ids = [f"recording-{n:06d}" for n in range(16_000)]
    assert all(re.fullmatch("[0-9a-f]{4}", key_hash(i)) for i in ids[:100])
    first_digits = Counter(key_hash(i)[0] for i in ids)
    # 16 prefixes S3 may split on, each taking its share of a burst (1,000 expected each).
    assert len(first_digits) == 16
    assert max(first_digits.values()) < 1_150 and min(first_digits.values()) > 850


@pytest.mark.parametrize(
    ("object_key", "renderings"),
    [
        ("0a1f/alice/1234.wav", "0a1f/alice/1234/"),
        # Stored before keys began with a hash: the row's key still finds them.
        ("alice/1234.flac", "alice/1234/"),
        ("0a1f/mr.smith/1234.mp3", "0a1f/mr.smith/1234/"),
    ],
)
def test_a_recordings_renderings_live_under_its_audio_key_without_the_extension(
    object_key, renderings
):
    assert spectrogram_prefix(object_key) == renderings
    assert attempt_prefix(object_key, "a1") == renderings + "a1/"


@pytest.mark.parametrize("size", [b"1e400", b"9" * 400, b"NaN"])
def test_a_size_no_double_holds_is_refused_by_name(size):
    body = json_body(
        b'{"filename": "a.wav", "content_type": "", "size": ' + size + b"}", max_containers=1
    )
    with pytest.raises(BadRequestError, match="size"):
        NewUpload.from_request(body, max_bytes=LIMIT)
