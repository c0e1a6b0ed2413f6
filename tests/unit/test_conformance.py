"""The check every integration test's answers go through: it passes what the document allows
and catches what it does not."""

from __future__ import annotations

import json

import pytest

from chalicelib.config import Settings
from chalicelib.openapi import document
from infra.local.conformance import Conformance

CHECK = Conformance(document(Settings()))
JSON = {"Content-Type": "application/json"}
RECORDING_ID = "2a3c92b3-401c-4ba7-9454-082cb01c9f7c"
PROJECT_ID = "8b0c6f0e-3c9a-4c57-9d8e-5b1f0f9a2f11"
NOW = "2026-12-03T18:42:00.000000Z"
RECORDING = {
    "id": RECORDING_ID,
    "filename": "dawn.wav",
    "size": 10,
    "content_type": "audio/wav",
    "created_at": "2026-12-03T18:41:58.336263Z",
    "status": "PENDING",
    "error": None,
    "updated_at": "2026-12-03T18:41:58.336263Z",
    "duration_s": None,
    "sample_rate": None,
    "channels": None,
    "project_id": PROJECT_ID,
    "annotation_count": 0,
    "detection": None,
    "uploaded_by": "ana",
    "assignees": ["bo"],
}
PROJECT = {
    "id": PROJECT_ID,
    "name": "pond",
    "created_at": "2026-12-03T18:41:58.336263Z",
    "presets": {"f_max_hz": 8000, "n_fft": None, "hop_length": None},
    "detectors": [],
    "label_keys": ["Wren", None, "Song Thrush"],
    "recording_count": 1,
    "role": "annotator",
}


def body(value: object) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("method", "path", "status", "headers", "content"),
    [
        ("GET", "/health", 200, JSON, body({"ok": True})),
        (
            "GET",
            "/recordings?limit=1&q=dawn",
            200,
            JSON,
            body({"recordings": [RECORDING], "next": None, "server_time": NOW}),
        ),
        ("GET", f"/recordings/{RECORDING_ID}", 404, JSON, body({"error": "no recording"})),
        ("DELETE", f"/recordings/{RECORDING_ID}", 204, {}, b""),
        ("POST", "/recordings/delete", 200, JSON, body({"deleted": [], "not_found": ["x"]})),
        ("PATCH", f"/recordings/{RECORDING_ID}", 200, JSON, body(RECORDING)),
        (
            "GET",
            f"/projects/{PROJECT_ID}",
            200,
            {"content-type": "application/json"},
            body(PROJECT),
        ),
        ("GET", "/projects", 401, JSON, body({"error": "sign in first"})),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/spectrogram",
            202,
            {**JSON, "retry-after": "2"},
            body({"status": "PENDING"}),
        ),
        ("GET", f"/recordings/{RECORDING_ID}/audio", 302, {"Location": "http://a/b"}, b""),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/annotations/export?format=csv",
            200,
            {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": "attachment; a"},
            b"start_s,end_s\n0,1\n",
        ),
    ],
)
def test_an_answer_the_document_allows_passes(method, path, status, headers, content):
    CHECK.check(method, path, status, headers, content)


@pytest.mark.parametrize(
    ("method", "path", "status", "headers", "content", "fault"),
    [
        ("GET", "/health", 500, JSON, body({"ok": True}), "the status is not documented"),
        ("GET", "/health", 200, JSON, body({"ok": False}), "true was expected at /ok"),
        (
            "GET",
            f"/projects/{PROJECT_ID}",
            200,
            JSON,
            body({**PROJECT, "recording_count": -1}),
            "-1 is less than the minimum of 0 at /recording_count",
        ),
        (
            "GET",
            f"/projects/{PROJECT_ID}",
            200,
            JSON,
            body({**PROJECT, "label_keys": ["Wren"] * 10}),
            "has more than 9 items at /label_keys",
        ),
        (
            "GET",
            f"/recordings/{RECORDING_ID}",
            200,
            JSON,
            body({k: v for k, v in RECORDING.items() if k != "project_id"}),
            '"project_id" is a required property',
        ),
        (
            "GET",
            "/recordings",
            200,
            JSON,
            body(
                {
                    "recordings": [{**RECORDING, "created_at": "yesterday"}],
                    "next": None,
                    "server_time": NOW,
                }
            ),
            '"yesterday" is not a "date-time" at /recordings/0/created_at',
        ),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/spectrogram",
            202,
            JSON,
            body({"status": "PENDING"}),
            "the documented header Retry-After is missing",
        ),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/audio",
            302,
            {},
            b"",
            "the documented header Location is missing",
        ),
        ("DELETE", f"/projects/{PROJECT_ID}", 204, JSON, b"{}", "a body where none is documented"),
        (
            "GET",
            "/projects",
            200,
            {"Content-Type": "text/html"},
            b"<p>",
            "Content-Type 'text/html'",
        ),
        ("GET", "/projects", 400, JSON, b"{", "the body is not application/json"),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/annotations/export?format=csv",
            200,
            {"Content-Type": "image/png", "Content-Disposition": "attachment; x.png"},
            b"\x89PNG",
            "Content-Type 'image/png' where text/plain, text/csv, application/json is documented",
        ),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/annotations/export?format=csv",
            200,
            {"Content-Type": "text/csv", "Content-Disposition": 'inline; filename="a.csv"'},
            b"start_s,end_s\n",
            "the header Content-Disposition does not match the documented schema",
        ),
        (
            "GET",
            f"/recordings/{RECORDING_ID}/spectrogram",
            202,
            {**JSON, "Retry-After": "soon"},
            body({"status": "PENDING"}),
            "the header Retry-After does not match the documented schema",
        ),
        ("PUT", "/projects", 200, JSON, b"{}", "the document has no such operation"),
        ("GET", "/nowhere", 404, JSON, b"{}", "the document has no such operation"),
    ],
)
def test_an_answer_the_document_does_not_allow_is_caught(
    method, path, status, headers, content, fault
):
    with pytest.raises(AssertionError) as caught:
        CHECK.check(method, path, status, headers, content)
    assert fault in str(caught.value)
    if "no such operation" not in fault:
        assert str(caught.value).startswith(f"{method} {path} answered {status}: ")


def test_a_fixed_path_is_not_taken_for_a_template_it_fits():
    # /recordings/delete also fits /recordings/{recording_id}, which has no POST but a GET;
    # OpenAPI matches fixed paths first.
    CHECK.check("POST", "/recordings/delete", 400, JSON, body({"error": "ids must be a list"}))
    with pytest.raises(AssertionError, match="GET /recordings/delete: the document has no such"):
        CHECK.check("GET", "/recordings/delete", 200, JSON, body(RECORDING))
