from urllib.parse import unquote

import hypothesis
import jsonschema_rs
import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

import app
from chalicelib.audio_types import AUDIO_TYPES
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, NotFoundError
from chalicelib.openapi import document
from chalicelib.projects import Presets
from chalicelib.recordings import BY_OWNER, NewUpload

SETTINGS = Settings(max_upload_bytes=1000)
PROJECT = "8b0c6f0e-3c9a-4c57-9d8e-5b1f0f9a2f11"
DOCUMENT = document(SETTINGS)


def test_the_document_lists_exactly_the_routes_app_serves():
    served = {
        (path, method.lower()) for path, methods in app.app.routes.items() for method in methods
    }
    documented = {
        (path, method) for path, operations in DOCUMENT["paths"].items() for method in operations
    }
    assert documented == served


def test_only_health_login_and_the_document_are_public():
    public = {
        path
        for path, operations in DOCUMENT["paths"].items()
        for operation in operations.values()
        if operation.get("security") == []
    }
    assert public == {"/health", "/auth/login", "/openapi.json"}


def test_the_document_is_valid_openapi_3_1():
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    schema.validate()  # against the OpenAPI 3.1 meta-schema
    assert all(isinstance(result, Ok) for result in schema.get_all_operations())


def validator(schema: dict):
    """``schema``, whose refs point into the document's components."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


def new_recording_validator():
    return validator({"$ref": "#/components/schemas/NewRecording"})


def accepted(body: object) -> bool:
    try:
        NewUpload.from_request(body, max_bytes=SETTINGS.max_upload_bytes)
    except (BadRequestError, NotFoundError):  # a project id we never issue is not found
        return False
    return True


@pytest.mark.parametrize(
    "body",
    [
        *(
            {"filename": f"a{extension}", "size": 1, "content_type": kind}
            for extension, kinds in AUDIO_TYPES.items()
            for kind in ("", *kinds)
        ),
        {"filename": "Grünfrosch 🐸.WAV", "size": 1000, "content_type": "audio/x-wav"},
        {"filename": "dir\\sub/..mp3", "size": 5, "content_type": "audio/mp3"},
        {"filename": "a" * 251 + ".wav", "size": 5, "content_type": ""},
        {"filename": "a" * 252 + ".wav", "size": 5, "content_type": ""},
        {"filename": "a.wav", "size": 1001, "content_type": ""},
        {"filename": "a.wav", "size": 0, "content_type": ""},
        {"filename": "a.wav", "size": 1.5, "content_type": ""},
        {"filename": "a.wav", "size": 5.0, "content_type": ""},
        {"filename": "a.wav", "size": True, "content_type": ""},
        {"filename": "a.wav", "size": 1, "content_type": "audio/mpeg"},
        {"filename": "a.wav", "size": 1, "content_type": "text/html"},
        {"filename": "a.mp3", "size": 1, "content_type": "audio/wav"},
        {"filename": "a.ogg", "size": 1, "content_type": "audio/opus"},
        {"filename": "a.oga", "size": 1, "content_type": "audio/opus"},
        {"filename": "a.wav", "size": 1, "content_type": "audio/wav\n"},
        {"filename": "a.wav", "size": 1, "content_type": None},
        {"filename": "a.wav\n", "size": 1, "content_type": ""},
        {"filename": "a\x85.wav", "size": 1, "content_type": ""},
        {"filename": ".wav", "size": 1, "content_type": ""},
        {"filename": "a/.wav", "size": 1, "content_type": ""},
        {"filename": "a.wav/", "size": 1, "content_type": ""},
        {"filename": "a.wav.txt", "size": 1, "content_type": ""},
        {"filename": "a.wav", "size": 1},
        {"filename": "a.wav", "size": 1, "content_type": "", "extra": 1},
        {"filename": "a.wav", "size": 1, "content_type": "", "project_id": None},
        {"filename": "a.wav", "size": 1, "content_type": "", "project_id": PROJECT},
        {"filename": "a.wav", "size": 1, "content_type": "", "project_id": PROJECT.upper()},
        {"filename": "a.wav", "size": 1, "content_type": "", "project_id": 5},
        [],
    ],
)
def test_the_document_allows_exactly_the_new_recordings_the_server_accepts(body):
    assert new_recording_validator().is_valid(body) == accepted(body)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_new_recordings_are_accepted_exactly_when_the_document_allows_them(mode):
    operation = schemathesis.openapi.from_dict(DOCUMENT)["/recordings"]["POST"]
    validator = new_recording_validator()

    @hypothesis.settings(
        max_examples=400,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(mode))
    def agree(case):
        # Bodies that are not JSON at all are the route's to refuse, not NewUpload's.
        hypothesis.assume(isinstance(case.body, dict | list | str | int | float | None))
        assert validator.is_valid(case.body) == accepted(case.body)

    agree()


def presets_accepted(body: object) -> bool:
    try:
        Presets.from_request(body)
    except BadRequestError:
        return False
    return True


@pytest.mark.parametrize(
    "presets",
    [
        None,
        {},
        {"f_max_hz": None, "n_fft": None, "hop_length": None},
        *({"f_max_hz": hz} for hz in (1, 1.5, 22050, 1_000_000, 0.99, 0, -5, 1_000_000.01)),
        *({"f_max_hz": value} for value in (True, "8000", [8000])),
        *({"n_fft": n} for n in (256, 512, 1024, 2048, 4096, 8192, 1024.0, 128, 1000, 16384)),
        *({"n_fft": value} for value in (True, "1024", 1024.5)),
        *({"hop_length": hop} for hop in (1, 512, 2048, 2049, 0, -1, 2.0, 2.5, "2", False)),
        {"n_fft": 4096, "hop_length": 4096},
        {"n_fft": 4096, "hop_length": 4097},
        {"n_fft": 256, "hop_length": 257},
        {"n_fft": None, "hop_length": 2049},
        {"n_fft": 8192, "hop_length": 8192, "f_max_hz": 96000},
        {"window": "hann"},
        [],
        "2048",
    ],
)
def test_the_document_allows_exactly_the_presets_the_server_accepts(presets):
    allowed = validator({"anyOf": [{"$ref": "#/components/schemas/NewPresets"}, {"type": "null"}]})
    assert allowed.is_valid(presets) == presets_accepted(presets)


@pytest.mark.parametrize(
    ("collection", "parameter", "pointer"),
    [("/recordings", "recording_id", "/recording/id"), ("/projects", "project_id", "/id")],
)
def test_what_a_post_creates_is_linked_to_every_operation_on_it(collection, parameter, pointer):
    links = DOCUMENT["paths"][collection]["post"]["responses"]["201"]["links"]
    on_it = {
        (path, method)
        for path, operations in DOCUMENT["paths"].items()
        if path.startswith(f"{collection}/{{{parameter}}}")
        for method in operations
    }
    linked = set()
    for link in links.values():
        assert link["parameters"] == {parameter: f"$response.body#{pointer}"}
        *escaped, method = link["operationRef"].removeprefix("#/paths/").split("/")
        path = unquote("/".join(escaped)).replace("~1", "/").replace("~0", "~")
        assert method in DOCUMENT["paths"][path]
        linked.add((path, method))
    assert linked == on_it and len(on_it) > 2


def test_a_cursor_of_the_documented_form_is_one_the_server_takes():
    cursor = next(
        p["schema"]
        for p in DOCUMENT["paths"]["/recordings"]["get"]["parameters"]
        if p["name"] == "cursor"
    )
    taken = validator(cursor)
    place = "2026-12-03T18:41:58.336263Z_2a3c92b3-401c-4ba7-9454-082cb01c9f7c"
    assert taken.is_valid(place)
    assert BY_OWNER.start(place, "una")["created_at"] == {"S": place[:27]}
    for refused in ("", place + "\n", "bm9wZQ==", place.replace("_", "-")):
        assert not taken.is_valid(refused)
        with pytest.raises(BadRequestError):
            BY_OWNER.start(refused, "una")
