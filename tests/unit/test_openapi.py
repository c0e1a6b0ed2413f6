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
from chalicelib.recordings import NewUpload

SETTINGS = Settings(max_upload_bytes=1000)
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


def new_recording_validator():
    return jsonschema_rs.Draft202012Validator(
        {"$ref": "#/components/schemas/NewRecording", "components": DOCUMENT["components"]}
    )


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
