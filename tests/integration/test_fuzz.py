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
from chalicelib.projects import PROJECT_ID
from infra.local.harness import ApiUser, RunningStack
from tests.integration.test_pipeline import wav_bytes

# Per operation and mode; the whole file takes about 20 s on a 2-core machine.
EXAMPLES = 50
# The fuzzer's recordings, one in each state that answers differently.
RENDERED, NEVER_UPLOADED, NOT_AUDIO = "rendered", "never uploaded", "not audio"
# The member the fuzzer's member routes change or remove.
MEMBER = "fuzzed-member"


def cases() -> list:
    """(method, path, mode, recording) for every operation, in the document's order.

    Invalid requests only where the operation takes input besides the id in its path
    (which is always a real one: the fuzzer's project, or one of its recordings). Each
    operation on one recording runs on each of the fuzzer's recordings; the spectrogram
    is read before regenerate sends it back to PENDING. Deletes get recordings and
    projects of their own (see the test).
    """
    found = []
    for path, operations in document(Settings())["paths"].items():
        for method, operation in operations.items():
            places = {parameter["in"] for parameter in operation.get("parameters", [])}
            modes = [GenerationMode.POSITIVE]
            if "requestBody" in operation or places - {"path"}:
                modes.append(GenerationMode.NEGATIVE)
            on_each = "{recording_id}" in path and method != "delete"
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
    return loaded_schema(stack, alice)


@pytest.fixture(scope="module")
def linked_schema(stack: RunningStack, alice: ApiUser):
    # A sequence may use an id of its own making, or one it deleted a step before, or a
    # project it handed over to another member (403 for what only the owner may do).
    return loaded_schema(stack, alice, gone=["404", "403"])


def loaded_schema(stack: RunningStack, alice: ApiUser, *, gone: list[str] = ()):
    """The served document, with the checks each valid request must pass; ``gone`` adds
    the statuses a valid request may get for a recording or project that is not there."""
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
                "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "409", *gone]},
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
                        "POST /projects/{project_id}/annotations/import",
                    ],
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "400", "409", *gone]
                        }
                    },
                },
                {
                    # Nor which cursors a queue's pages gave, for which filters.
                    "include-name": [
                        "GET /projects/{project_id}/review",
                        "GET /recordings/{recording_id}/review",
                    ],
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", *gone]}
                    },
                },
                {
                    # Nor which recordings are in the project, who its members are, and to
                    # whom a recording is assigned.
                    "include-name": [
                        "POST /projects/{project_id}/assignments",
                        "PATCH /recordings/{recording_id}/assignments/{username}",
                        "DELETE /recordings/{recording_id}/assignments/{username}",
                    ],
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "400", "404", "409"]
                        }
                    },
                },
                {
                    # Nor that a detector preset's minimum is below its maximum.
                    "include-name": ["POST /projects", "PATCH /projects/{project_id}"],
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", *gone]}
                    },
                },
            ],
        }
    )
    return schemathesis.openapi.from_url(stack.api_url + "/openapi.json", config=config)


@pytest.fixture(scope="module")
def project(alice: ApiUser) -> str:
    """The fuzzer's project (two, so that a page of one has a next)."""
    alice.request("POST", "/projects", json={"name": "fuzzed too"})
    return alice.request("POST", "/projects", json={"name": "fuzzed"}).json()["id"]


def in_the_fuzzers_project(values: object, project: str) -> None:
    """Point any project id among ``values`` (a body or a query) at the fuzzer's project.

    A valid request names an existing project of alice's: the document cannot say which
    ids those are. An id of the wrong form stays, for the server to refuse.
    """
    if isinstance(values, dict):
        for name in ("project_id", "project"):
            if isinstance(values.get(name), str) and PROJECT_ID.fullmatch(values[name]):
                values[name] = project


@pytest.mark.parametrize(("method", "path", "mode", "recording"), cases())
def test_the_api_answers_as_its_document_says(
    api_schema, alice: ApiUser, recordings, project, method, path, mode, recording
):
    fixed = {}
    if recording:
        fixed["path_parameters"] = {"recording_id": recordings[recording]}
    if "{project_id}" in path:
        fixed["path_parameters"] = {"project_id": project}
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
        if (method, path) == ("delete", "/recordings/{recording_id}"):
            # A recording of its own for each delete: the fuzzer's three outlive the run.
            case.path_parameters = {"recording_id": new_recording(alice)}
        if (method, path) == ("delete", "/projects/{project_id}"):
            # Likewise a project, with a recording in it.
            doomed = alice.request("POST", "/projects", json={"name": "doomed"}).json()["id"]
            new_recording(alice, project_id=doomed)
            case.path_parameters = {"project_id": doomed}
        if path.startswith("/projects/{project_id}/members"):
            # A project of its own, with a member to change or remove: adding an owner hands
            # the project over, removing leaves it without.
            case.path_parameters = {
                "project_id": project_with_member(alice),
                **({"username": MEMBER} if "{username}" in path else {}),
            }
        in_the_fuzzers_project(case.body, project)
        in_the_fuzzers_project(case.query, project)
        case.call_and_validate()

    answers_as_documented()


def project_with_member(alice: ApiUser) -> str:
    project_id = alice.request("POST", "/projects", json={"name": "shared"}).json()["id"]
    member = {"username": MEMBER, "role": "annotator"}
    assert alice.request("POST", f"/projects/{project_id}/members", json=member).ok
    return project_id


def new_recording(alice: ApiUser, project_id: str | None = None) -> str:
    body = {"filename": "doomed.wav", "size": 1, "content_type": "", "project_id": project_id}
    return alice.request("POST", "/recordings", json=body).json()["recording"]["id"]


def test_what_a_post_created_answers_as_documented_when_followed(linked_schema, project):
    """Sequences the document's links allow: a recording or project created, then the
    operations on it with the id its answer gave (say GET .../upload right after POST
    /recordings), each answer as documented."""
    workflow = linked_schema.as_state_machine()

    class InTheFuzzersProject(workflow):
        def before_call(self, case):
            in_the_fuzzers_project(case.body, project)
            in_the_fuzzers_project(case.query, project)

    InTheFuzzersProject.run(
        settings=hypothesis.settings(
            max_examples=EXAMPLES // 2,
            stateful_step_count=4,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
