"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /openapi.json``.

Written by hand, checked against app.py's routes by tests/unit/test_openapi.py.
"""

from __future__ import annotations

_ERROR = {"$ref": "#/components/schemas/Error"}
_ID = [{"name": "recording_id", "in": "path", "required": True, "schema": {"type": "string"}}]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    meaning = {
        400: "bad input, named in `error`",
        401: "no valid bearer token",
        404: "no such recording (or another user's)",
        409: "conflict, see `error`",
    }
    return {str(code): _json(_ERROR, meaning[code]) for code in codes}


def _op(summary: str, responses: dict, *, params=None, body=None, public=False) -> dict:
    operation = {"summary": summary, "responses": responses}
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": body}}
    if public:
        operation["security"] = []
    return operation


_RECORDING = {"$ref": "#/components/schemas/Recording"}
_STATUS = {"$ref": "#/components/schemas/SpectrogramStatus"}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Sonagram", "version": "1", "description": "Spectrograms of animal sound."},
    "security": [{"bearer": []}],
    "paths": {
        "/health": {"get": _op("Liveness", {"200": _json({"type": "object"}, "ok")}, public=True)},
        "/openapi.json": {
            "get": _op("This document", {"200": _json({"type": "object"}, "OpenAPI")}, public=True)
        },
        "/auth/login": {
            "post": _op(
                "Local stage only: a token for a username (no password)",
                {"200": _json({"type": "object"}, "`token`, `username`"), **_errors(400, 404)},
                body={"schema": {"type": "object", "properties": {"username": {"type": "string"}}}},
                public=True,
            )
        },
        "/recordings": {
            "post": _op(
                "New recording and a presigned POST to upload its audio",
                {
                    "201": _json({"type": "object"}, "`recording` and `upload` (url, fields)"),
                    **_errors(400, 401),
                },
                body={"schema": {"$ref": "#/components/schemas/NewRecording"}},
            ),
            "get": _op(
                "Your recordings, newest first",
                {
                    "200": _json({"type": "object"}, "`recordings`, `next` cursor"),
                    **_errors(400, 401),
                },
                params=[
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
            ),
        },
        "/recordings/{recording_id}": {
            "get": _op(
                "One recording", {"200": _json(_RECORDING, "R"), **_errors(401, 404)}, params=_ID
            ),
            "delete": _op(
                "Delete audio, images, manifest and annotations",
                {"204": {"description": "deleted"}, **_errors(401, 404)},
                params=_ID,
            ),
        },
        "/recordings/{recording_id}/spectrogram/status": {
            "get": _op(
                "Spectrogram status",
                {"200": _json(_STATUS, "status"), **_errors(401, 404)},
                params=_ID,
            )
        },
        "/recordings/{recording_id}/spectrogram": {
            "get": _op(
                "The manifest with presigned image and tile URLs",
                {
                    "200": _json({"type": "object"}, "manifest (COMPLETED)"),
                    "202": _json({"type": "object"}, "`status` (PENDING, PROCESSING); Retry-After"),
                    **_errors(401, 404, 409),
                },
                params=_ID,
            )
        },
        "/recordings/{recording_id}/spectrogram/regenerate": {
            "post": _op(
                "Render again",
                {"202": _json({"type": "object"}, "PENDING"), **_errors(401, 404, 409)},
                params=_ID,
            )
        },
        "/recordings/{recording_id}/audio": {
            "get": _op(
                "Redirect to a presigned GET of the audio (Range supported)",
                {"302": {"description": "Location: the audio"}, **_errors(401, 404)},
                params=_ID,
            )
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            "NewRecording": {
                "type": "object",
                "required": ["filename", "size", "content_type"],
                "properties": {
                    "filename": {"type": "string"},
                    "size": {"type": "integer", "minimum": 1},
                    "content_type": {"type": "string"},
                },
            },
            "Recording": {
                "type": "object",
                "properties": {
                    name: {"type": kind}
                    for name, kind in {
                        "id": "string",
                        "filename": "string",
                        "size": "integer",
                        "content_type": "string",
                        "created_at": "string",
                        "status": "string",
                        "error": ["string", "null"],
                        "duration_s": ["number", "null"],
                        "sample_rate": ["integer", "null"],
                        "channels": ["integer", "null"],
                    }.items()
                },
            },
            "SpectrogramStatus": {
                "type": "object",
                "properties": {
                    "status": {"enum": ["PENDING", "PROCESSING", "COMPLETED", "FAILED"]},
                    "error": {"type": ["string", "null"]},
                    "processing_ms": {"type": ["integer", "null"]},
                    "width": {"type": ["integer", "null"]},
                    "height": {"type": ["integer", "null"]},
                    "updated_at": {"type": "string"},
                },
            },
        },
    },
}
