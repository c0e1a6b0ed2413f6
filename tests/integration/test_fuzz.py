"""Schemathesis against the running local API: every operation of /openapi.json.

Each operation gets a fixed budget of valid and of invalid requests, generated from
the served document by a derandomized Hypothesis run. Every answer must be as the
document says (status, content type, body, headers), none may be a 5xx, every valid
request must be accepted and every invalid one refused, and every route that needs
a token must refuse a request without one or with a forged one.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis import GenerationMode

from chalicelib.config import Settings
from chalicelib.openapi import document
from infra.local.harness import ApiUser, RunningStack
from tests.integration.test_pipeline import wav_bytes

# Per operation and mode; the whole file takes about 20 s on a 2-core machine.
EXAMPLES = 50
# The fuzzer's recordings, one in each state that answers differently.
RENDERED, NEVER_UPLOADED, NOT_AUDIO = "rendered", "never uploaded", "not audio"


def cases() -> list:
    """(method, path, mode, recording) for every operation, in the document's order.

    Invalid requests only where the operation takes input besides the recording id
    (which is always a real one). Each operation on one recording runs on each of the
    fuzzer's recordings; the spectrogram is read before regenerate sends it back to
    PENDING. Deletes get recordings of their own (see the test).
    """
    found = []
    for path, operations in document(Settings())["paths"].items():
        for method, operation in operations.items():
            places = {parameter["in"] for parameter in operation.get("parameters", [])}
            modes = [GenerationMode.POSITIVE]
            if "requestBody" in operation or places - {"path"}:
                modes.append(GenerationMode.NEGATIVE)
            on_each = "path" in places and method != "delete"
            for mode in modes:
                for recording in (RENDERED, NEVER_UPLOADED, NOT_AUDIO) if on_each else (None,):
                    label = f"{method.upper()} {path} {mode.value}" + (
                        f" {recording}" if recording else ""
                    )
                    found.append(pytest.param(method, path, mode, recording, id=label))
    return found


@pytest.fixture(scope="module")
def recordings(alice: ApiUser) -> dict[str, str]:
    rendered = alice.upload("fuzzed.wav", wav_bytes(0.5))
    not_audio = alice.upload("fuzzed notes.wav", b"field notes, not audio\n" * 10)
    never = alice.request(
        "POST", "/recordings", json={"filename": "fuzzed.flac", "size": 10, "content_type": ""}
    ).json()["recording"]
    assert alice.wait_until_done(rendered["id"])["status"] == "COMPLETED"
    assert alice.wait_until_done(not_audio["id"])["status"] == "FAILED"
    return {RENDERED: rendered["id"], NEVER_UPLOADED: never["id"], NOT_AUDIO: not_audio["id"]}


@pytest.fixture(scope="module")
def api_schema(stack: RunningStack, alice: ApiUser):
    token = alice.session.headers["Authorization"].removeprefix("Bearer ")
    config = schemathesis.Config.from_dict(
        {
            # Requests carry alice's token; the ignored_auth check still sends each
            # without one and with a forged one.
            "auth": {"openapi": {"bearer": {"bearer": token}}},
            "generation": {"with-security-parameters": False},
            "checks": {
                # A valid request is refused by nothing but the state it finds: 409 is a
                # spectrogram that FAILED or is being rendered, never a bad request.
                "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "409"]},
            },
            "operations": [
                {
                    # JSON Schema cannot relate two fields or the recording: a box the
                    # document allows may still end before it starts or after the recording.
                    # Nor can it say which bytes are an annotation file.
                    "include-name": [
                        "PUT /recordings/{recording_id}/annotations",
                        "PATCH /recordings/{recording_id}/annotations",
                        "POST /recordings/{recording_id}/annotations/import",
                    ],
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "409"]}
                    },
                }
            ],
        }
    )
    return schemathesis.openapi.from_url(stack.api_url + "/openapi.json", config=config)


@pytest.fixture(scope="module")
def cursor(alice: ApiUser, recordings: dict[str, str]) -> str:
    """A cursor the server issued: the document cannot say which strings those are."""
    return alice.request("GET", "/recordings", params={"limit": 1}).json()["next"]


@pytest.mark.parametrize(("method", "path", "mode", "recording"), cases())
def test_the_api_answers_as_its_document_says(
    api_schema, alice: ApiUser, recordings, cursor, method, path, mode, recording
):
    fixed = {}
    if recording:
        fixed["path_parameters"] = {"recording_id": recordings[recording]}
    if (method, path) == ("get", "/recordings"):
        fixed["query"] = {"cursor": cursor}
    strategy = api_schema[path][method].as_strategy(mode, **fixed)

    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def answers_as_documented(case):
        if method == "delete":
            # A recording of its own for each delete: the fuzzer's three outlive the run.
            created = alice.request(
                "POST",
                "/recordings",
                json={"filename": "doomed.wav", "size": 1, "content_type": ""},
            )
            case.path_parameters = {"recording_id": created.json()["recording"]["id"]}
        case.call_and_validate()

    answers_as_documented()
