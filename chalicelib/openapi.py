"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /openapi.json``.

Written by hand from the same patterns and tables the server validates with, so a
request the document allows is one the server accepts, and the other way round.
tests/unit/test_openapi.py checks it against app.py's routes, and the fuzz test
(tests/integration/test_fuzz.py) checks real answers against it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from chalicelib import (
    access,
    agreements,
    annotation_files,
    annotations,
    assignments,
    auth,
    deployment_imports,
    detections,
    detector_presets,
    formats,
    members,
    multipart,
    projects,
    review_names,
    review_queue,
    route_access,
    status,
    users,
)
from chalicelib.audio_types import AUDIO_TYPES, filename_pattern
from chalicelib.config import Settings
from chalicelib.measurement_names import NAMES as COMPUTED
from chalicelib.paging import CURSOR, MAX_PAGE, TIMESTAMP
from chalicelib.recordings import MAX_DELETED_AT_ONCE, MAX_SEARCH, RECORDING_ID
from chalicelib.validation import LARGEST_NUMBER

STATUSES = list(status.ALL)


def _anchored(regex: re.Pattern) -> str:
    """An ECMA-262 pattern that must match the whole value, as our ``fullmatch`` does."""
    return f"^(?:{regex.pattern})$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, *, optional: dict | None = None, more: bool = False) -> dict:
    """An object with all these properties, any of ``optional``, and others only if ``more``."""
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
    }
    if not more:
        schema["additionalProperties"] = False
    return schema


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


_MEANING = {
    400: "bad input, named in `error`",
    401: "no valid bearer token",
    403: "your role in the project does not allow this: `error` names the role it needs",
    404: "no such recording (or one you may not see)",
    409: "the annotations changed since `version`: nothing was written",
    413: "too large, as `error` says",
}


def _errors(*codes: int) -> dict:
    return {str(code): _json(_ref("Error"), _MEANING[code]) for code in codes}


def _not_found(what: str) -> dict:
    return {"404": _json(_ref("Error"), f"no such {what} (or one you are no member of)")}


def _page_of(name: str, item: str, **more: dict) -> dict:
    return _json(
        _object(
            {
                name: {"type": "array", "items": _ref(item)},
                "next": _nullable({"type": "string", "pattern": _anchored(CURSOR)}),
                **more,
            }
        ),
        "a page; `next` is the cursor of the next one",
    )


def _op(
    summary: str,
    responses: dict,
    *,
    params=None,
    body=None,
    media="application/json",
    public=False,
) -> dict:
    operation = {"summary": summary, "responses": responses}
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = {"required": True, "content": {media: {"schema": body}}}
    if public:
        operation["security"] = []
    return operation


def _path_id(name: str, pattern: re.Pattern) -> list[dict]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": _anchored(pattern)},
        }
    ]


_ID = _path_id("recording_id", RECORDING_ID)
_PROJECT_ID = _path_id("project_id", projects.PROJECT_ID)
_PAGE = [
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    },
    {
        "name": "cursor",
        "in": "query",
        "description": "the `next` of the page before: the page starts after that place "
        "in your list",
        "schema": {"type": "string", "pattern": _anchored(CURSOR)},
    },
]
_A_PROJECT_ID = {"type": "string", "pattern": _anchored(projects.PROJECT_ID)}


def _new_recording(max_upload_bytes: int) -> dict:
    """The body of ``POST /recordings``: the content type must fit the file's extension."""
    extensions_by_types: dict[tuple[str, ...], list[str]] = {}
    for extension, types in AUDIO_TYPES.items():
        extensions_by_types.setdefault(types, []).append(extension)
    schema = _object(
        {
            "filename": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255,
                "pattern": filename_pattern(AUDIO_TYPES),
                "description": "the file's name; it must end in an audio extension",
            },
            "size": {"type": "integer", "minimum": 1, "maximum": max_upload_bytes},
            "content_type": {
                "type": "string",
                "description": 'a type that fits the extension, or "" for its usual one',
            },
        },
        optional={
            "project_id": {**_nullable(_A_PROJECT_ID), "description": "one of your projects"}
        },
    )
    schema["anyOf"] = [
        {
            "properties": {
                "filename": {"pattern": filename_pattern(extensions)},
                "content_type": {"enum": ["", *types]},
            }
        }
        for types, extensions in extensions_by_types.items()
    ]
    return schema


def _project_schemas(count: dict) -> dict:
    presets = {
        "f_max_hz": _nullable(
            {
                "type": "number",
                "minimum": projects.MIN_F_MAX_HZ,
                "maximum": projects.MAX_F_MAX_HZ,
                "description": "top of the frequency axis, in Hz",
            }
        ),
        "n_fft": {"enum": [*projects.N_FFTS, None], "description": "FFT size, in samples"},
        "hop_length": _nullable(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": projects.N_FFTS[-1],
                "description": "samples from one frame to the next, at most n_fft",
            }
        ),
    }
    meaning = "spectrogram presets; null (or left out) is the engine's default"
    new_presets = _object({}, optional=presets)
    new_presets["description"] = meaning
    # hop_length <= n_fft, the engine's n_fft when that is null or left out.
    new_presets["anyOf"] = [
        {
            "required": ["n_fft"],
            "properties": {"n_fft": {"const": n_fft}, "hop_length": {"maximum": n_fft}},
        }
        for n_fft in projects.N_FFTS
    ] + [
        {
            "properties": {
                "n_fft": {"const": None},
                "hop_length": {"maximum": projects.ENGINE_N_FFT},
            }
        }
    ]
    name = {
        "type": "string",
        "minLength": 1,
        "maxLength": projects.MAX_NAME,
        "pattern": _anchored(projects.NAME),
    }
    given_presets = _nullable(_ref("NewPresets"))
    given_detectors = {
        "type": "array",
        "items": _ref("NewDetectorPreset"),
        "maxItems": detector_presets.MAX_PRESETS,
        "description": "the project's detector presets, replacing any it had; names unique",
    }
    label_keys = {
        "type": "array",
        "items": _nullable(
            {
                "type": "string",
                "minLength": 1,
                "maxLength": annotations.MAX_LABEL,
                "pattern": _anchored(annotations.LABEL),
            }
        ),
        "maxItems": projects.MAX_LABEL_KEYS,
        "description": "the labels keys 1, 2, ... give the selected box in the viewer; null: "
        "that key gives none",
    }
    detector, new_detector = _detector_preset_schemas()
    return {
        "Presets": {**_object(presets), "description": meaning},
        "NewPresets": new_presets,
        "DetectorPreset": detector,
        "NewDetectorPreset": new_detector,
        "Project": _object(
            {
                "id": _A_PROJECT_ID,
                "name": name,
                "created_at": {"type": "string", "format": "date-time"},
                "presets": _ref("Presets"),
                "detectors": {
                    "type": "array",
                    "items": _ref("DetectorPreset"),
                    "maxItems": detector_presets.MAX_PRESETS,
                },
                "label_keys": label_keys,
                "recording_count": count,
                "role": {"enum": list(access.ROLES), "description": "the caller's role in it"},
            }
        ),
        "NewProject": _object(
            {"name": name}, optional={"presets": given_presets, "detectors": given_detectors}
        ),
        "ProjectChange": _object(
            {},
            optional={
                "name": name,
                "presets": given_presets,
                "detectors": given_detectors,
                "label_keys": label_keys,
            },
        ),
    }


def _detector_preset_schemas() -> tuple[dict, dict]:
    """A detector preset as stored (every field) and as sent (a name; the rest defaults).

    The server alone checks what relates two fields: min below max frequency and duration,
    the noise hop at most the noise block.
    """
    properties = {
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": detector_presets.MAX_NAME,
            "pattern": _anchored(detector_presets.NAME),
        },
        "enabled": {"type": "boolean", "description": "run on every upload into the project"},
        "band": {
            "enum": list(detector_presets.BANDS),
            "description": "a proposal spans the event's 5-95 % energy band, or the preset's",
        },
    }
    for parameter in detector_presets.PARAMETERS:
        properties[parameter.name] = {
            "type": "number",
            "minimum": parameter.minimum,
            "maximum": parameter.maximum,
            "default": parameter.default,
            "description": f"{parameter.explanation} ({parameter.unit})",
        }
    sent = _object(properties)
    sent["required"] = ["name"]
    return _object(properties), sent


def _annotation(*, stored: bool) -> dict:
    """An annotation as shown (every field) or as sent (only the times are required).

    What JSON Schema cannot say is checked by the server alone: end_s not before start_s
    (equal for a point) and within the recording, high_hz above low_hz (or equal, for a
    point) and at most half the sample rate, the channel one the recording has.
    """
    # Any number a request may carry is a double (a JSON number past them is refused).
    number = {"type": "number", "minimum": -LARGEST_NUMBER, "maximum": LARGEST_NUMBER}
    optional_number = _nullable(number)
    amount = {"type": "number", "minimum": 0, "maximum": LARGEST_NUMBER}
    names = {"minLength": 1, "maxLength": annotations.MAX_NAME}
    properties = {
        "id": {"type": "string", "pattern": _anchored(annotations.ANNOTATION_ID)},
        "start_s": amount,
        "end_s": amount,
        "low_hz": _nullable(amount),
        "high_hz": _nullable({"type": "number", "exclusiveMinimum": 0, "maximum": LARGEST_NUMBER}),
        "label": {
            "type": "string",
            "maxLength": annotations.MAX_LABEL,
            "pattern": _anchored(annotations.LABEL),
        },
        "confidence": optional_number,
        "notes": _nullable({"type": "string", "maxLength": annotations.MAX_NOTES}),
        "measurements": {
            "type": "object",
            # Served: the box's own and the computed ones (measurement_names); sent: the
            # box's own (a computed one sent is dropped).
            "maxProperties": annotations.MAX_ENTRIES + (len(COMPUTED) if stored else 0),
            "propertyNames": names,
            "additionalProperties": number,
        },
        "attributes": {
            "type": "object",
            "maxProperties": annotations.MAX_ENTRIES,
            "propertyNames": names,
            "additionalProperties": {"type": "string", "maxLength": annotations.MAX_VALUE},
        },
        "channel": {"type": "integer", "minimum": 1},
        "source": _nullable(
            {
                "type": "string",
                "minLength": 1 if stored else 0,
                "maxLength": annotations.MAX_SOURCE,
                "pattern": _anchored(annotations.LABEL),
                "description": "where the box came from: null for a person's, "
                "`detector:<preset>` for a detector's proposal, or the importer's name "
                "(`raven`, `birdnet`, `audacity`, `csv`); empty is null",
            }
        ),
        "review": _nullable(_review(stored=stored)),
        **_signature(),
    }
    if stored:
        return _object(properties)
    sent = {name: schema for name, schema in properties.items() if name not in ("id", "channel")}
    sent["id"] = _nullable(properties["id"])
    sent["channel"] = _nullable(properties["channel"])
    for name in ("label", "measurements", "attributes"):
        sent[name] = _nullable(properties[name])
    schema = _object(sent)
    schema["required"] = ["start_s", "end_s"]
    return schema


def _signature() -> dict:
    """Who created a box and who changed it last, when: the server writes them on every
    write (docs/annotations.md); what a client sends in them is ignored."""
    who = {"type": "string", "maxLength": annotations.MAX_REVIEWER}
    return {
        "created_by": _nullable(
            {
                **who,
                "description": "who created the box (a username; on the cloud a Cognito "
                "sub; an import's Annotator); null for a machine's (`source` names it)",
            }
        ),
        "updated_by": _nullable({**who, "description": "who changed it last; null: a machine"}),
        "updated_at": _nullable(
            {
                "type": "string",
                "pattern": _anchored(TIMESTAMP),
                "description": "when it was last changed (UTC); null for boxes saved before "
                "boxes were signed",
            }
        ),
    }


def _review(*, stored: bool) -> dict:
    """Who accepted or rejected a box, when, and its label before; null is not reviewed."""
    text = {"type": "string", "pattern": _anchored(annotations.LABEL)}
    properties = {
        "state": {"enum": list(annotations.REVIEW_STATES)},
        "by": _nullable({**text, "maxLength": annotations.MAX_REVIEWER}),
        "at": _nullable({"type": "string", "pattern": _anchored(annotations.REVIEW_AT)}),
        "label_before": _nullable({**text, "maxLength": annotations.MAX_LABEL}),
    }
    schema = _object(properties)
    if not stored:
        schema["required"] = ["state"]
    return schema


def _exported(annotation: dict, *, whose: bool = False) -> dict:
    """An annotation in our JSON file: the same, without the id an import would not keep;
    in a project's file (``whose``), led by its recording's id and file name."""
    properties = {name: schema for name, schema in annotation["properties"].items() if name != "id"}
    if whose:
        recording = {"type": "string", "pattern": _anchored(RECORDING_ID)}
        properties = {"recording_id": recording, "filename": {"type": "string"}, **properties}
    return _object(properties)


# ?review= of the exports.
_REVIEW_FILTER = {
    "name": "review",
    "in": "query",
    "description": "accepted: only the boxes a person accepted; omitted: every box",
    "schema": {"enum": list(annotation_files.REVIEW_FILTERS)},
}


def _patch_body() -> dict:
    schema = _object(
        {
            "version": {"type": "integer", "minimum": 0},
            "upsert": {
                "type": "array",
                "items": _ref("NewAnnotation"),
                "maxItems": annotations.MAX_ANNOTATIONS,
            },
            "delete": {
                "type": "array",
                "items": {"type": "string"},
                "maxItems": annotations.MAX_ANNOTATIONS,
            },
        }
    )
    schema["required"] = ["version"]
    return schema


def _upload_schemas() -> dict:
    """The two ways a file goes to the bucket, and the routes of an upload in parts."""
    number = {"type": "integer", "minimum": 1, "maximum": multipart.MAX_PARTS}
    etag = {"type": "string", "minLength": 1}
    expires_at = {"type": "string", "format": "date-time"}
    part_size = {
        "type": "integer",
        "minimum": multipart.MIN_PART_BYTES,
        "description": "bytes of every part but the last, which holds the rest of the file",
    }
    part_urls = {
        "parts": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "number": number,
                    "url": {
                        "type": "string",
                        "format": "uri",
                        "description": "PUT exactly this part's bytes here; the answer's ETag "
                        "header names the part when completing",
                    },
                }
            ),
        },
        "expires_at": expires_at,
    }
    return {
        "PresignedPost": {
            **_object(
                {
                    "url": {"type": "string", "format": "uri"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "expires_at": expires_at,
                }
            ),
            "description": "POST `fields`, then the file, to `url`: the bucket takes one "
            "file of exactly the size announced, until `expires_at`",
        },
        "PartUrls": _object(part_urls),
        "Multipart": _object(
            {
                "multipart": {
                    **_object({"part_size": part_size, "part_count": number, **part_urls}),
                    "description": "every part's URL, numbered from 1",
                }
            }
        ),
        "UploadProgress": _object(
            {
                "part_size": part_size,
                "part_count": number,
                "received": {
                    "type": "array",
                    "description": "the parts the bucket holds, by number: send the others",
                    "items": _object(
                        {"number": number, "etag": etag, "size": {"type": "integer", "minimum": 0}}
                    ),
                },
            }
        ),
        "PartNumbers": _object(
            {"numbers": {"type": "array", "items": number, "minItems": 1, "uniqueItems": True}}
        ),
        "Parts": _object(
            {
                "parts": {
                    "type": "array",
                    "minItems": 1,
                    "items": _object({"number": number, "etag": etag}),
                    "description": "every part, 1 to `part_count`, once, with the ETag its PUT "
                    "answered",
                }
            }
        ),
    }


def _upload_paths() -> dict:
    not_in_parts = _json(
        _ref("Error"),
        "no upload in parts is in progress (a small file's POST, cancelled, expired), the "
        "part numbers are not this upload's, or a part has not arrived: see `error`",
    )
    return {
        "/recordings/{recording_id}/upload": {
            "get": _op(
                "An upload in parts: which parts the bucket holds, to resume",
                {
                    "200": _json(_ref("UploadProgress"), "the parts received"),
                    **_errors(401, 404),
                    "409": not_in_parts,
                },
                params=_ID,
            )
        },
        "/recordings/{recording_id}/upload/parts": {
            "post": _op(
                "Fresh URLs for some parts of an upload in parts (the first ones expire)",
                {
                    "200": _json(_ref("PartUrls"), "a URL for each number asked for"),
                    **_errors(400, 401, 404),
                    "409": not_in_parts,
                },
                params=_ID,
                body=_ref("PartNumbers"),
            )
        },
        "/recordings/{recording_id}/upload/complete": {
            "post": _op(
                "Join the parts into the recording's audio, which then renders; again after "
                "success changes nothing",
                {
                    "200": _json(_ref("Recording"), "the recording, uploaded"),
                    "400": _json(
                        _ref("Error"),
                        "bad `parts`; or the parts do not add up to the file's size, and the "
                        "upload and the recording were deleted",
                    ),
                    **_errors(401, 404),
                    "409": not_in_parts,
                },
                params=_ID,
                body=_ref("Parts"),
            )
        },
    }


def _schemas(settings: Settings) -> dict:
    all_types = sorted({kind for kinds in AUDIO_TYPES.values() for kind in kinds})
    count = {"type": "integer", "minimum": 0}
    seconds = {"type": "number"}
    decibels = {"type": "number"}
    placed = {
        "level": count,
        "index": count,
        "start_s": seconds,
        "end_s": seconds,
        "px_per_s": seconds,
        "width": count,
        "height": count,
    }
    # The engine's (chalicelib/spectrogram/__init__.py), which may say more.
    in_level_object = _object(
        {
            **placed,
            "object": {
                "type": "string",
                "description": "the object of the level holding the tile, tiles back to back",
            },
            "offset": count,
            "length": {"type": "integer", "minimum": 1},
            "url": {
                "type": "string",
                "format": "uri",
                "description": "presigned GET of `object`, shared by the tiles in it",
            },
            "range": {
                "type": "string",
                "pattern": "^bytes=[0-9]+-[0-9]+$",
                "description": "the `Range` header that reads this tile's PNG alone from "
                "`url`: bytes `offset` to `offset + length - 1`",
            },
        },
        more=True,
    )
    # Rendered by engines before 1.2: each tile its own object.
    own_object = _object(
        {**placed, "key": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
        more=True,
    )
    level = _object(
        {
            "level": count,
            "px_per_s": seconds,
            "width": count,
            "tiles": count,
            "start_s": seconds,
            "end_s": seconds,
        },
        # objects: engine 1.4 on; object: 1.2 and 1.3, a level in one object.
        optional={
            "objects": {"type": "array", "items": {"type": "string"}},
            "object": {"type": "string"},
            "bytes": count,
        },
        more=True,
    )
    return {
        "Error": _object({"error": {"type": "string", "minLength": 1}}),
        "NewRecording": _new_recording(settings.max_upload_bytes),
        **_upload_schemas(),
        "Recording": _object(
            {
                "id": {"type": "string", "pattern": _anchored(RECORDING_ID)},
                "filename": {"type": "string", "minLength": 1, "maxLength": 255},
                "size": {"type": "integer", "minimum": 1},
                "content_type": {"enum": all_types},
                "created_at": {"type": "string", "format": "date-time"},
                # Null only in a list, for a recording deleted while it was listed.
                "status": {"enum": [*STATUSES, None]},
                "error": _nullable({"type": "string"}),
                # When the status last moved (null with it).
                "updated_at": _nullable({"type": "string", "format": "date-time"}),
                "duration_s": _nullable({"type": "number", "minimum": 0}),
                "sample_rate": _nullable({"type": "integer", "minimum": 1}),
                "channels": _nullable({"type": "integer", "minimum": 1}),
                "project_id": _nullable(_A_PROJECT_ID),
                "annotation_count": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": annotations.MAX_ANNOTATIONS,
                },
                # Null until a detector preset first runs on it.
                "detection": _nullable(_ref("Detection")),
                "uploaded_by": {
                    "type": "string",
                    "pattern": _anchored(auth.USERNAME),
                    "description": "who uploaded it (who moved it out of a project, since)",
                },
                "assignees": {
                    "type": "array",
                    "items": {"type": "string", "pattern": _anchored(auth.USERNAME)},
                    "description": "the members it is assigned to, sorted",
                },
            }
        ),
        **_detection_schemas(),
        "Annotation": _annotation(stored=True),
        "NewAnnotation": _annotation(stored=False),
        "AnnotationFile": _object(
            {
                "recording": {"type": "string"},
                "duration_s": _nullable({"type": "number", "minimum": 0}),
                "annotations": {"type": "array", "items": _exported(_annotation(stored=True))},
            }
        ),
        "ProjectAnnotationFile": _object(
            {
                "project": {"type": "string"},
                "annotations": {
                    "type": "array",
                    "items": _exported(_annotation(stored=True), whose=True),
                },
            }
        ),
        "DetectorOutputImport": _object(
            {
                "file": {"type": "string"},
                "format": {"enum": list(formats.FORMATS)},
                "matched": {
                    "type": "array",
                    "items": _object(
                        {
                            "recording_id": {"type": "string"},
                            "filename": {"type": "string"},
                            "boxes": {"type": "integer", "minimum": 1},
                        }
                    ),
                },
                "unmatched": {"type": "array", "items": {"type": "string"}},
                "boxes": {"type": "integer", "minimum": 0},
            }
        ),
        "Annotations": _object(
            {
                "annotations": {
                    "type": "array",
                    "items": _ref("Annotation"),
                    "maxItems": annotations.MAX_ANNOTATIONS,
                },
                "version": {"type": "integer", "minimum": 0},
                "blind": {
                    "type": "boolean",
                    "description": "true: the caller's own boxes of a blind double annotation "
                    "(their layer, with its own version), not the recording's set",
                },
            }
        ),
        "RecordingChange": _object({"project_id": _nullable(_A_PROJECT_ID)}),
        "RecordingIds": _object(
            {
                "ids": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": MAX_DELETED_AT_ONCE,
                    "uniqueItems": True,
                }
            }
        ),
        "Deleted": _object(
            {
                "deleted": {"type": "array", "items": {"type": "string"}},
                "not_found": {"type": "array", "items": {"type": "string"}},
            }
        ),
        **_project_schemas(count),
        **_member_schemas(settings),
        **_review_schemas(),
        **_assignment_schemas(),
        **_agreement_schemas(),
        "SpectrogramStatus": _object(
            {
                "status": {"enum": STATUSES},
                "error": _nullable({"type": "string"}),
                "processing_ms": _nullable(count),
                "width": _nullable(count),
                "height": _nullable(count),
                "updated_at": {"type": "string", "format": "date-time"},
            }
        ),
        "Manifest": _object(
            # The engine's manifest (chalicelib/spectrogram/__init__.py) with the URLs.
            {
                "engine_version": {"type": "string"},
                "sample_rate": {"type": "integer", "minimum": 1},
                "channels": {"type": "integer", "minimum": 1},
                "duration_s": seconds,
                "n_fft": {"type": "integer", "minimum": 1},
                "hop_length": {"type": "integer", "minimum": 1},
                "width": count,
                "height": count,
                "px_per_s": seconds,
                "f_max_hz": seconds,
                "db_range": {
                    **_object(
                        {
                            "max_db": decibels,
                            "floor_db": decibels,
                            "tile_db_at_0": decibels,
                            "tile_db_step": decibels,
                        },
                        more=True,
                    ),
                    "description": "a tile's value v is `tile_db_at_0 + v * tile_db_step` dB; the "
                    "overview spans `max_db + floor_db` to `max_db`",
                },
                "overview": _object(
                    {
                        "key": {"type": "string"},
                        "width": count,
                        "height": count,
                        "px_per_s": seconds,
                    },
                    more=True,
                ),
                "tile_levels": {"type": "array", "items": level},
                "tiles": {"type": "array", "items": {"oneOf": [in_level_object, own_object]}},
                "image_url": {"type": "string", "format": "uri"},
                "audio_url": {
                    "type": "string",
                    "format": "uri",
                    "description": "presigned GET of the audio for an `<audio>` element "
                    "(Range supported)",
                },
                "urls_expire_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "when the first of `image_url`, the tile URLs and "
                    "`audio_url` expires: read the manifest again before then",
                },
            },
            more=True,
        ),
    }


def _member_schemas(settings: Settings) -> dict:
    username = {"type": "string", "pattern": _anchored(auth.USERNAME)}
    role = {"enum": list(access.ROLES)}
    if settings.is_local:
        given = {**username, "description": "any username: the account exists once it signs in"}
    else:
        given = {
            "type": "string",
            "pattern": _anchored(users.ACCOUNT_NAME),
            "description": "the Cognito username or e-mail of an account that signed up",
        }
    member = _object(
        {
            "username": {**username, "description": "as requests name them (cloud: the sub)"},
            "name": _nullable(
                {"type": "string", "description": "the Cognito username or e-mail (cloud)"}
            ),
            "role": role,
            "added_at": {"type": "string", "format": "date-time"},
            "added_by": username,
        }
    )
    return {
        "Member": member,
        "Members": _object(
            {
                "members": {
                    "type": "array",
                    "items": _ref("Member"),
                    "maxItems": members.MAX_MEMBERS,
                    "description": "owner first, then by username",
                },
                "you": _ref("Member"),
            }
        ),
        "NewMember": _object({"username": given, "role": role}),
        "MemberChange": _object({"role": role}),
    }


def _member_paths() -> dict:
    member = [
        *_PROJECT_ID,
        {
            "name": "username",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": _anchored(auth.USERNAME)},
        },
    ]
    ownership = _json(
        _ref("Error"),
        "already a member; or the owner would lose ownership without handing it over; or "
        f"the project has {members.MAX_MEMBERS} members already",
    )
    return {
        "/projects/{project_id}/members": {
            "get": _op(
                "The project's members and their roles, and yours",
                {
                    "200": _json(_ref("Members"), "every member"),
                    **_errors(401),
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
            ),
            "post": _op(
                "Add a member with a role (owner: add them and hand ownership over)",
                {
                    "201": _json(_ref("Member"), "added"),
                    **_errors(400, 401),
                    "404": _json(
                        _ref("Error"),
                        "no such project (or one you are no member of); on the cloud, no "
                        "account of that name: they must sign up first",
                    ),
                    "409": ownership,
                },
                params=_PROJECT_ID,
                body=_ref("NewMember"),
            ),
        },
        "/projects/{project_id}/members/{username}": {
            "patch": _op(
                "Change a member's role (owner: hand ownership over; you stay as annotator)",
                {
                    "200": _json(_ref("Member"), "the member"),
                    **_errors(400, 401),
                    "404": _json(_ref("Error"), "no such project or member"),
                    "409": ownership,
                },
                params=member,
                body=_ref("MemberChange"),
            ),
            "delete": _op(
                "Remove a member, or leave (your own username); refused from their next request on",
                {
                    "204": {"description": "removed"},
                    **_errors(401),
                    "404": _json(_ref("Error"), "no such project or member"),
                    "409": _json(_ref("Error"), "the owner leaving: hand ownership over first"),
                },
                params=member,
            ),
        },
    }


def _detection_schemas() -> dict:
    count = {"type": "integer", "minimum": 0}
    return {
        "Detection": _object(
            {
                "state": {"enum": list(detections.STATES)},
                "at": {"type": "string", "format": "date-time"},
                "error": _nullable({"type": "string"}),
                "presets": {
                    "type": "object",
                    "description": "what each preset found, by preset name (when done)",
                    "additionalProperties": _ref("PresetDetections"),
                },
            }
        ),
        "PresetDetections": _object(
            {
                "proposals": count,
                "candidates": count,
                "dropped": count,
                "refused": _object({reason: count for reason in detections.REFUSALS}),
            }
        ),
        "RunDetector": _object(
            {},
            optional={
                "presets": _nullable(
                    {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "maxLength": detector_presets.MAX_NAME},
                        "description": "the presets to run, by name; null or left out: the "
                        "project's enabled presets",
                    }
                )
            },
        ),
    }


def _detection_paths() -> dict:
    body = {
        "required": False,
        "content": {"application/json": {"schema": _ref("RunDetector")}},
    }
    no_preset = _json(
        _ref("Error"),
        "nothing to run: the recording is in no project, the project has no (enabled) "
        "preset or none of that name, or the spectrogram is not rendered yet; `error` "
        "names the fix",
    )
    return {
        "/recordings/{recording_id}/detect": {
            "post": {
                **_op(
                    "Run the project's detector presets on the recording again (no new render):"
                    " each preset's unreviewed proposals are replaced",
                    {
                        "202": _json(
                            _object({"detection": _ref("Detection")}), "queued for the worker"
                        ),
                        "409": no_preset,
                        **_errors(400, 401, 404),
                    },
                    params=_ID,
                ),
                "requestBody": body,
            }
        },
        "/projects/{project_id}/detect": {
            "post": {
                **_op(
                    "Run the detector presets on every recording of the project",
                    {
                        "202": _json(
                            _object({"recordings": {"type": "integer", "minimum": 0}}),
                            "queued: the worker runs them on this many recordings",
                        ),
                        "409": no_preset,
                        **_errors(400, 401),
                        **_not_found("project"),
                    },
                    params=_PROJECT_ID,
                ),
                "requestBody": body,
            }
        },
    }


def _project_paths() -> dict:
    project = _json(_ref("Project"), "the project")
    return {
        "/projects": {
            "post": _op(
                "New project",
                {"201": _json(_ref("Project"), "created"), **_errors(400, 401)},
                body=_ref("NewProject"),
            ),
            "get": _op(
                "The projects you are a member of, newest membership first, each with your role",
                {"200": _page_of("projects", "Project"), **_errors(400, 401)},
                params=_PAGE,
            ),
        },
        "/projects/{project_id}": {
            "get": _op(
                "One project",
                {"200": project, **_errors(401), **_not_found("project")},
                params=_PROJECT_ID,
            ),
            "patch": _op(
                "Rename the project or replace its presets, detector presets or label keys; a "
                "field left out stays as it is",
                {"200": project, **_errors(400, 401), **_not_found("project")},
                params=_PROJECT_ID,
                body=_ref("ProjectChange"),
            ),
            "delete": _op(
                "Delete the project and each of its recordings, as "
                "DELETE /recordings/{recording_id} does",
                {
                    "204": {"description": "deleted"},
                    "202": _json(
                        _object({"recordings_left": {"type": "integer", "minimum": 1}}),
                        "more recordings than one request can mark for deletion: those "
                        "marked are gone, the project stays (no recording may join it) and "
                        "the next DELETE goes on with `recordings_left`",
                    ),
                    **_errors(401),
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
            ),
        },
        "/projects/{project_id}/annotations/export": {
            "get": _op(
                "The boxes of every recording of the project as one Raven, CSV or JSON file, "
                "each box naming its recording (docs/formats.md)",
                {
                    "200": {
                        "description": "the file, named after the project",
                        "headers": {
                            "Content-Disposition": {
                                "required": True,
                                "schema": {"type": "string", "pattern": "^attachment; "},
                            }
                        },
                        "content": {
                            "text/plain": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/json": {"schema": _ref("ProjectAnnotationFile")},
                        },
                    },
                    **_errors(400, 401),
                    "413": _json(
                        _ref("Error"),
                        "more than one download carries: export only the accepted boxes, or "
                        "each recording on its own",
                    ),
                    **_not_found("project"),
                },
                params=[
                    *_PROJECT_ID,
                    {
                        "name": "format",
                        "in": "query",
                        "required": True,
                        "schema": {"enum": list(formats.PROJECT_EXPORT_FORMATS)},
                    },
                    _REVIEW_FILTER,
                ],
            )
        },
        "/projects/{project_id}/annotations/import": {
            "post": _op(
                "Add one result file of a deployment's detector output to the project's "
                "recordings it names (docs/annotations.md)",
                {
                    "200": _json(
                        _ref("DetectorOutputImport"),
                        "imported into each matched recording; names of recordings the "
                        "project lacks listed in `unmatched`",
                    ),
                    **_errors(400, 401, 413),
                    **_not_found("project"),
                    "409": _json(
                        _ref("Error"),
                        "two recordings of the project have a name the file gives, or a "
                        "recording's annotations kept changing: nothing was imported",
                    ),
                },
                params=[
                    *_PROJECT_ID,
                    {
                        "name": "file",
                        "in": "query",
                        "required": True,
                        "description": "the result file's name: without a column naming "
                        "the audio, it names the recording; boxes it brought before are "
                        "replaced",
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": deployment_imports.MAX_FILE_NAME,
                            "pattern": _anchored(deployment_imports.FILE_NAME),
                        },
                    },
                    {
                        "name": "format",
                        "in": "query",
                        "description": "omitted: detected from the content",
                        "schema": {"enum": list(formats.FORMATS)},
                    },
                ],
                body={
                    "type": "string",
                    "format": "binary",
                    "maxLength": annotation_files.MAX_IMPORT_BYTES,
                    "description": "the file's bytes: BirdNET's tables and CSVs (a combined "
                    "CSV too), Raven selection tables (Begin File / Begin Path split one over "
                    "several recordings), Audacity labels, CSV or Sonagram's JSON",
                },
                media="application/octet-stream",
            )
        },
    }


def _review_schemas() -> dict:
    count = {"type": "integer", "minimum": 0}
    fraction = {"type": "number", "minimum": 0, "maximum": 1}
    label = {
        "type": "string",
        "maxLength": annotations.MAX_LABEL,
        "pattern": _anchored(annotations.LABEL),
    }
    box = _annotation(stored=True)["properties"]
    item = _object(
        {
            "recording_id": {"type": "string", "pattern": _anchored(RECORDING_ID)},
            "filename": {"type": "string"},
            "annotation_id": box["id"],
            **{name: box[name] for name in ("start_s", "end_s", "low_hz", "high_hz", "label")},
            "confidence": box["confidence"],
            "source": box["source"],
            "review": box["review"],
            "duration_s": {
                **_nullable({"type": "number", "minimum": 0}),
                "description": "the recording's length (null until its audio is decoded)",
            },
        },
        optional={
            "stratum": {
                **_object(
                    {
                        "label": {"type": "string"},
                        "bin": {
                            "anyOf": [
                                {"type": "integer", "minimum": 0},
                                {"const": review_queue.NO_BIN},
                            ]
                        },
                    }
                ),
                "description": "order=sample: the label the box came in with and its "
                "confidence bin (`bins` equal bins on [0, 1]; none: no confidence)",
            }
        },
    )
    decision = _object(
        {
            "recording_id": {"type": "string"},
            "annotation_id": {"type": "string"},
            "state": {
                "enum": [*annotations.REVIEW_STATES, None],
                "description": "null: not reviewed (undoes a decision)",
            },
        },
        optional={
            "label": {
                **label,
                "minLength": 1,
                "description": "relabel the box; the label it came in with is kept in "
                "`review.label_before`",
            }
        },
    )
    ids = {"recording_id": {"type": "string"}, "annotation_id": {"type": "string"}}
    return {
        "ReviewItem": item,
        "ReviewPage": _object(
            {
                "items": {"type": "array", "items": _ref("ReviewItem")},
                "next_cursor": _nullable({"type": "string"}),
                "counts": {
                    **_object(
                        {"boxes": count, "reviewed": count, "accepted": count, "rejected": count}
                    ),
                    "description": "over the filter but not the review state (for "
                    "order=sample, over the sample)",
                },
                "labels": {
                    "type": "array",
                    "items": _object({"label": {"type": "string"}, "boxes": count}),
                    "description": "every label of the project (or recording), with the boxes "
                    "that came in with it",
                },
                "sources": {
                    "type": "array",
                    "items": _object({"source": _nullable({"type": "string"}), "boxes": count}),
                    "description": "every source and its boxes; null: people's",
                },
            }
        ),
        "Decisions": _object(
            {
                "decisions": {
                    "type": "array",
                    "items": decision,
                    "minItems": 1,
                    "maxItems": review_names.MAX_DECISIONS,
                }
            }
        ),
        "DecisionResults": _object(
            {
                "results": {
                    "type": "array",
                    "items": {
                        "oneOf": [
                            _object(
                                {
                                    **ids,
                                    "ok": {"const": True},
                                    "review": box["review"],
                                    "label": box["label"],
                                }
                            ),
                            _object(
                                {
                                    **ids,
                                    "ok": {"const": False},
                                    "error": {"type": "string", "minLength": 1},
                                }
                            ),
                        ]
                    },
                    "description": "one per decision, in the order sent",
                },
                "versions": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 1},
                    "description": "each recording written: its annotations' new version",
                },
            }
        ),
        "AcceptAbove": _object(
            {"label": {**label, "minLength": 1}, "min_confidence": fraction},
            optional={
                "source": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": annotations.MAX_SOURCE,
                    "pattern": _anchored(annotations.LABEL),
                }
            },
        ),
        "Accepted": _object(
            {
                "action": {
                    "type": "string",
                    "pattern": _anchored(TIMESTAMP),
                    "description": "the `review.at` of every box accepted: undo with it",
                },
                "accepted": count,
                "recordings": count,
            }
        ),
        "Precision": _object(
            {
                "target": fraction,
                "method": {"type": "string"},
                "labels": {
                    "type": "array",
                    "items": _object(
                        {
                            "label": {"type": "string"},
                            "boxes": count,
                            "reviewed": count,
                            "accepted": count,
                            "rejected": count,
                            "threshold": _nullable(fraction),
                            "rows": {
                                "type": "array",
                                "description": "one a threshold, 0.10 to 0.95: the boxes "
                                "scoring at least it, their reviews, and the precision those "
                                "estimate with its 95 % Wilson interval (null: none reviewed)",
                                "items": _object(
                                    {
                                        "threshold": fraction,
                                        "boxes": count,
                                        "reviewed": count,
                                        "accepted": count,
                                        "rejected": count,
                                        "precision": _nullable(fraction),
                                        "low": _nullable(fraction),
                                        "high": _nullable(fraction),
                                    }
                                ),
                            },
                        },
                        more=True,
                    ),
                },
            },
            more=True,
        ),
    }


def _queue_params(*, project: bool) -> list[dict]:
    def query(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "query", "description": description, "schema": schema}

    fraction = {"type": "number", "minimum": 0, "maximum": 1}
    params = [
        query("label", {"type": "string"}, "the label boxes came in with (before a relabel)"),
        query(
            "source",
            {"type": "string"},
            "people (a person's boxes), detector (any detector preset's) or one exact source",
        ),
        query("state", {"enum": list(review_names.STATES)}, "default all"),
        query("min_confidence", fraction, "boxes without a confidence are left out"),
        query("max_confidence", fraction, "boxes without a confidence are left out"),
        query("order", {"enum": list(review_names.ORDERS)}, "default confidence_desc"),
        query(
            "per_stratum",
            {"type": "integer", "minimum": 1, "maximum": review_names.MAX_PER_STRATUM},
            f"order=sample: boxes per stratum (default {review_names.DEFAULT_PER_STRATUM})",
        ),
        query(
            "bins",
            {"type": "integer", "minimum": 1, "maximum": review_names.MAX_BINS},
            f"order=sample: confidence bins (default {review_names.DEFAULT_BINS})",
        ),
        query(
            "seed",
            {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
            f"order=sample (default {review_names.DEFAULT_SEED})",
        ),
        query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": review_names.MAX_LIMIT},
            f"default {review_names.DEFAULT_LIMIT}",
        ),
        query("cursor", {"type": "string"}, "the `next_cursor` of the page before"),
    ]
    if project:
        params.append(
            query(
                "recording",
                {"type": "string"},
                "only this recording's boxes",
            )
        )
    return params


def _review_paths() -> dict:
    page = {
        "200": _json(_ref("ReviewPage"), "a page of the queue"),
        **_errors(400, 401),
    }
    body_or_missing = _errors(400, 401)
    return {
        "/projects/{project_id}/review": {
            "get": _op(
                "The review queue of the project's boxes: filtered, ordered, a page at a time "
                "(docs/review.md)",
                {**page, **_not_found("project")},
                params=[*_PROJECT_ID, *_queue_params(project=True)],
            )
        },
        "/recordings/{recording_id}/review": {
            "get": _op(
                "The review queue of one recording's boxes",
                {**page, **_not_found("recording")},
                params=[*_ID, *_queue_params(project=False)],
            )
        },
        "/reviews": {
            "post": _op(
                "Accept, reject, relabel or undo boxes, over several recordings; each "
                "decision succeeds or fails alone",
                {"200": _json(_ref("DecisionResults"), "what became of each"), **body_or_missing},
                body=_ref("Decisions"),
            )
        },
        "/projects/{project_id}/reviews/accept": {
            "post": _op(
                "Accept every unreviewed box of a label at or above a confidence, as one action",
                {
                    "200": _json(_ref("Accepted"), "accepted"),
                    **body_or_missing,
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
                body=_ref("AcceptAbove"),
            )
        },
        "/projects/{project_id}/reviews/accept/undo": {
            "post": _op(
                "Undo an accept: the boxes it accepted (and nobody decided since) are "
                "unreviewed again",
                {
                    "200": _json(_object({"undone": {"type": "integer", "minimum": 0}}), "undone"),
                    **body_or_missing,
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
                body=_object({"action": {"type": "string", "pattern": _anchored(TIMESTAMP)}}),
            )
        },
        "/projects/{project_id}/precision": {
            "get": _op(
                "Precision by confidence threshold for each label, from the reviewed boxes "
                "(docs/review.md)",
                {
                    "200": {
                        "description": "the table: JSON, or CSV as an attachment",
                        "content": {
                            "application/json": {"schema": _ref("Precision")},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(400, 401),
                    **_not_found("project"),
                },
                params=[
                    *_PROJECT_ID,
                    *[
                        p
                        for p in _queue_params(project=True)
                        if p["name"] in ("label", "source", "recording")
                    ],
                    {
                        "name": "target",
                        "in": "query",
                        "description": "the precision a threshold must reach (default "
                        f"{review_names.DEFAULT_TARGET_PRECISION})",
                        "schema": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    },
                    {
                        "name": "format",
                        "in": "query",
                        "schema": {"enum": list(review_queue.PRECISION_FORMATS)},
                    },
                ],
            )
        },
    }


def _agreement_schemas() -> dict:
    """Agreement between a recording's two blind annotators, and their consensus
    (chalicelib/agreement.py, docs/lab-agreement.md)."""
    count = {"type": "integer", "minimum": 0}
    fraction = {"type": "number", "minimum": 0, "maximum": 1}
    difference = _object(
        {
            "mean": _nullable({"type": "number"}),
            "median": _nullable({"type": "number"}),
            "mean_abs": _nullable({"type": "number", "minimum": 0}),
        }
    )
    annotators = {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "minItems": 2,
        "maxItems": 2,
        "description": "the two annotators by username: a is the first, b the second",
    }
    box_id = {"type": "string", "pattern": _anchored(annotations.ANNOTATION_ID)}
    figures = _object(
        {
            "boxes": _object({"a": count, "b": count}),
            "matched": count,
            "match_rate": _object(
                {"a": _nullable(fraction), "b": _nullable(fraction)},
            ),
            "label_agreement": _nullable(fraction),
            "kappa": _nullable({"type": "number", "minimum": -1, "maximum": 1}),
            "kappa_undefined": _nullable({"type": "string"}),
            "onset_diff_s": difference,
            "offset_diff_s": difference,
        }
    )
    figures["description"] = (
        "boxes matched one to one by time-frequency IoU >= 0.5; `match_rate.a`: the share "
        "of a's boxes b matched (null without boxes); `kappa`: Cohen's kappa over the "
        "matched pairs' labels, null when undefined (`kappa_undefined` says why); "
        "differences are b - a in seconds"
    )
    label = _nullable(
        {
            "type": "string",
            "maxLength": annotations.MAX_LABEL,
            "pattern": _anchored(annotations.LABEL),
            "description": "the kept box's (or boxes') label, when it differs: signed by you",
        }
    )
    # A kept side needs its box; keeping none takes no label.
    choice = {
        "oneOf": [
            _object(
                {
                    "a": box_id if "a" in kept else _nullable(box_id),
                    "b": box_id if "b" in kept else _nullable(box_id),
                    "keep": {"const": keep},
                },
                optional={"label": label if kept else {"type": "null"}},
            )
            for keep, kept in agreements.KEEP.items()
        ]
    }
    return {
        "AgreementFigures": figures,
        "Agreement": _object(
            {
                "annotators": annotators,
                "figures": _ref("AgreementFigures"),
                "pairs": {
                    "type": "array",
                    "items": _object(
                        {
                            "a": _nullable(_ref("Annotation")),
                            "b": _nullable(_ref("Annotation")),
                            "iou": _nullable(fraction),
                            "onset_diff_s": _nullable({"type": "number"}),
                            "offset_diff_s": _nullable({"type": "number"}),
                            "same_label": _nullable({"type": "boolean"}),
                        }
                    ),
                    "description": "matched pairs by a's onset, then a's boxes b did not "
                    "match, then b's a did not",
                },
                "version": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "the version of the recording's set: a consensus names it",
                },
            }
        ),
        "ProjectAgreement": _object(
            {
                "recordings": count,
                "figures": _ref("AgreementFigures"),
                "annotator_pairs": {
                    "type": "array",
                    "items": _object(
                        {
                            "annotators": annotators,
                            "recordings": {"type": "integer", "minimum": 1},
                            "figures": _ref("AgreementFigures"),
                        }
                    ),
                },
            }
        ),
        "Consensus": _object(
            {
                "version": {"type": "integer", "minimum": 0},
                "choices": {
                    "type": "array",
                    "items": choice,
                    "maxItems": 2 * annotations.MAX_ANNOTATIONS,
                    "description": "one choice for each pair the agreement lists: keep a's "
                    "box, b's, both or none",
                },
            }
        ),
        "Merged": _object(
            {
                "version": {"type": "integer", "minimum": 1},
                "annotation_count": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": annotations.MAX_ANNOTATIONS,
                },
                "merged": count,
            }
        ),
    }


def _agreement_paths() -> dict:
    not_both_done = "the recording is not annotated blind by two members, or not both are done"
    return {
        "/recordings/{recording_id}/agreement": {
            "get": _op(
                "How far the recording's two blind annotators agree, once both are done: "
                "their boxes paired, and the figures",
                {
                    "200": _json(_ref("Agreement"), "the pairs and the figures"),
                    "409": _json(_ref("Error"), not_both_done),
                    **_errors(401),
                    **_not_found("recording"),
                },
                params=_ID,
            )
        },
        "/projects/{project_id}/agreement": {
            "get": _op(
                "The agreement of every doubly annotated recording of the project pooled, "
                "and per pair of annotators",
                {
                    "200": _json(_ref("ProjectAgreement"), "the pooled figures"),
                    **_errors(401),
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
            )
        },
        "/recordings/{recording_id}/consensus": {
            "post": _op(
                "Merge the two blind annotators' boxes into the recording's set: for each "
                "pair, keep a's, b's, both or none (and relabel)",
                {
                    "200": _json(_ref("Merged"), "merged; the set's new version"),
                    "409": _json(
                        _ref("Error"),
                        f"{not_both_done}, or the set changed since `version`: nothing was written",
                    ),
                    **_errors(400, 401, 413),
                    **_not_found("recording"),
                },
                params=_ID,
                body=_ref("Consensus"),
            )
        },
    }


# Assignments, My work and the dashboard (chalicelib/assignments.py, my_work.py, dashboard.py).
_USERNAME_PATH = _path_id("username", auth.USERNAME)


def _assignment_schemas() -> dict:
    count = {"type": "integer", "minimum": 0}
    username = {"type": "string", "pattern": _anchored(auth.USERNAME)}
    when = {"type": "string", "format": "date-time"}
    assignment = {
        "recording_id": {"type": "string", "pattern": _anchored(RECORDING_ID)},
        "project_id": _A_PROJECT_ID,
        "assignee": username,
        "state": {"enum": list(assignments.STATES)},
        "blind": {
            "type": "boolean",
            "description": "double annotation: the assignee sees only their own boxes until "
            "every blind assignee of the recording is done",
        },
        "assigned_at": when,
        "assigned_by": username,
        "updated_at": when,
    }
    return {
        "Assignment": _object(assignment),
        "Assignments": _object({"assignments": {"type": "array", "items": _ref("Assignment")}}),
        "NewAssignments": _object(
            {
                "recording_ids": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": assignments.MAX_RECORDINGS,
                    "uniqueItems": True,
                },
                "assignees": {
                    "type": "array",
                    "items": username,
                    "minItems": 1,
                    "maxItems": assignments.MAX_ASSIGNEES,
                    "uniqueItems": True,
                    "description": "annotators or the owner of the project; exactly "
                    f"{assignments.BLIND_ASSIGNEES} when `blind`",
                },
            },
            optional={"blind": {"type": "boolean", "default": False}},
        ),
        "AssignmentChange": _object({"state": {"enum": list(assignments.STATES)}}),
        "WorkItem": _object(
            {
                **assignment,
                "filename": {"type": "string", "minLength": 1, "maxLength": 255},
                "duration_s": _nullable({"type": "number", "minimum": 0}),
                "status": {"enum": STATUSES},
                "project_name": {"type": "string", "minLength": 1},
                "annotation_count": {
                    **count,
                    "description": "the boxes of the set the assignee works on: their own "
                    "while `blind`",
                },
            }
        ),
        "Dashboard": _object(
            {
                "members": {
                    "type": "array",
                    "items": _object(
                        {
                            "username": username,
                            "name": _nullable({"type": "string"}),
                            "role": {"enum": list(access.ROLES)},
                            "assigned": count,
                            "to_do": count,
                            "in_progress": count,
                            "done": count,
                            "boxes_drawn": {"type": "integer"},
                            "decisions": {"type": "integer"},
                            "audio_hours_done": {"type": "number", "minimum": 0},
                        }
                    ),
                },
                "labels": {
                    "type": "array",
                    "items": _object({"label": {"type": "string"}, "boxes": {"type": "integer"}}),
                },
                "recordings": count,
            }
        ),
    }


def _assignment_paths() -> dict:
    one = [*_ID, *_USERNAME_PATH]
    not_assigned = _json(
        _ref("Error"), "no such recording (or not yours to see), or not assigned to `username`"
    )
    changed = {"409": _json(_ref("Error"), "the assignment changed meanwhile: nothing was written")}
    return {
        "/projects/{project_id}/assignments": {
            "post": _op(
                "Assign recordings of the project to one or two members (owner only); "
                "assigning again is harmless",
                {
                    "200": _json(
                        _ref("Assignments"),
                        "every assignment asked for, in the order of `recording_ids` then "
                        "`assignees` (those made before unchanged)",
                    ),
                    **_errors(400, 401),
                    "404": _json(
                        _ref("Error"), "no such project, or a recording not in the project"
                    ),
                    "409": _json(
                        _ref("Error"),
                        "a recording is already assigned otherwise (blind or not, or blind to "
                        "others), or changed meanwhile",
                    ),
                },
                params=_PROJECT_ID,
                body=_ref("NewAssignments"),
            )
        },
        "/recordings/{recording_id}/assignments": {
            "get": _op(
                "Who the recording is assigned to, and how far each got",
                {"200": _json(_ref("Assignments"), "its assignments"), **_errors(401, 404)},
                params=_ID,
            )
        },
        "/recordings/{recording_id}/assignments/{username}": {
            "patch": _op(
                "Set the state of an assignment (the assignee, or the project's owner)",
                {
                    "200": _json(_ref("Assignment"), "the assignment"),
                    **_errors(400, 401),
                    "404": not_assigned,
                    **changed,
                },
                params=one,
                body=_ref("AssignmentChange"),
            ),
            "delete": _op(
                "Take the recording back from the assignee (owner only); a blind assignee's "
                "own boxes go with it",
                {
                    "204": {"description": "removed"},
                    **_errors(401),
                    "404": not_assigned,
                    **changed,
                },
                params=one,
            ),
        },
        "/my-work": {
            "get": _op(
                "Your assignments in the projects you are a member of, newest first",
                {
                    "200": _page_of("assignments", "WorkItem"),
                    **_errors(400, 401),
                    **_not_found("project"),
                },
                params=[
                    {"name": "state", "in": "query", "schema": {"enum": list(assignments.STATES)}},
                    {"name": "project", "in": "query", "schema": _A_PROJECT_ID},
                    *_PAGE,
                ],
            )
        },
        "/projects/{project_id}/dashboard": {
            "get": _op(
                "Per member: assignments and their progress, boxes drawn, decisions made, "
                "audio hours done; boxes per label; the number of recordings",
                {
                    "200": _json(_ref("Dashboard"), "the project's figures"),
                    **_errors(401),
                    **_not_found("project"),
                },
                params=_PROJECT_ID,
            )
        },
    }


def document(settings: Settings) -> dict:
    """The document for the API these settings serve (the upload limit is theirs)."""
    retry_after = {
        "Retry-After": {
            "required": True,
            "description": "seconds to wait before asking again",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Sonagram",
            "version": "1",
            "description": "Spectrograms of animal sound.",
        },
        "security": [{"bearer": []}],
        "paths": {
            "/health": {
                "get": _op(
                    "Liveness",
                    {"200": _json(_object({"ok": {"const": True}}), "up")},
                    public=True,
                )
            },
            "/openapi.json": {
                "get": _op(
                    "This document",
                    {
                        "200": _json(
                            {"type": "object", "required": ["openapi", "paths"]}, "OpenAPI 3.1"
                        )
                    },
                    public=True,
                )
            },
            "/auth/login": {
                "post": _op(
                    "Local stage only: a token for a username (no password)",
                    {
                        "200": _json(
                            _object(
                                {
                                    "token": {
                                        "type": "string",
                                        "pattern": _anchored(auth.TOKEN),
                                        "description": "a JWT (HS256) naming the user in "
                                        f"`sub`, valid for {settings.token_ttl_s} s: send it "
                                        "as `Authorization: Bearer <token>`",
                                    },
                                    "username": {
                                        "type": "string",
                                        "pattern": _anchored(auth.USERNAME),
                                    },
                                }
                            ),
                            "signed in",
                        ),
                        **_errors(400),
                        "404": _json(_ref("Error"), "not on this stage (Cognito signs in)"),
                        "415": _json(_ref("Error"), "the body is not labelled application/json"),
                    },
                    body=_object(
                        {"username": {"type": "string", "pattern": _anchored(auth.USERNAME)}}
                    ),
                    public=True,
                )
            },
            "/recordings": {
                "post": _op(
                    "New recording and a presigned POST to upload its audio",
                    {
                        "201": _json(
                            _object(
                                {
                                    "recording": _ref("Recording"),
                                    "upload": {"oneOf": [_ref("PresignedPost"), _ref("Multipart")]},
                                }
                            ),
                            "created. Up to "
                            f"{settings.multipart_threshold_bytes} bytes: POST `upload.fields` "
                            "and then the file to `upload.url`. Larger: PUT each part to its "
                            "URL, then POST /recordings/{recording_id}/upload/complete",
                        ),
                        **_errors(400, 401),
                        **_not_found("project"),
                    },
                    body=_ref("NewRecording"),
                ),
                "get": _op(
                    "A project's recordings (`project`), or else your own uploads, newest first; "
                    "the filters combine",
                    {
                        "200": _page_of(
                            "recordings",
                            "Recording",
                            # A client's own clock may be off: how long a status has not
                            # moved is this minus its updated_at.
                            server_time={"type": "string", "format": "date-time"},
                        ),
                        **_errors(400, 401),
                        **_not_found("project"),
                    },
                    params=[
                        *_PAGE,
                        {
                            "name": "project",
                            "in": "query",
                            "description": "only the recordings of this project",
                            "schema": _A_PROJECT_ID,
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "description": "only the recordings whose spectrogram is in it",
                            "schema": {"enum": STATUSES},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "description": "only the recordings whose filename holds this, "
                            "in any letter case",
                            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_SEARCH},
                        },
                    ],
                ),
            },
            "/recordings/delete": {
                "post": _op(
                    "Delete several recordings, each as DELETE /recordings/{recording_id} does",
                    {
                        "200": _json(
                            _ref("Deleted"),
                            "`deleted`: the ids deleted; `not_found`: those that are not "
                            "recordings you may delete (left alone)",
                        ),
                        **_errors(400, 401),
                    },
                    body=_ref("RecordingIds"),
                )
            },
            "/recordings/{recording_id}": {
                "get": _op(
                    "One recording",
                    {"200": _json(_ref("Recording"), "the recording"), **_errors(401, 404)},
                    params=_ID,
                ),
                "delete": _op(
                    "Delete the recording: gone from every route at once; its audio (or the "
                    "upload in parts), images, manifest and annotations within the request, "
                    "or the next sweep if storage is slow",
                    {"204": {"description": "deleted"}, **_errors(401, 404)},
                    params=_ID,
                ),
                "patch": _op(
                    "Move the recording into one of your projects, or out of any (null)",
                    {
                        "200": _json(_ref("Recording"), "the recording, moved"),
                        **_errors(400, 401),
                        **_not_found("recording or project"),
                    },
                    params=_ID,
                    body=_ref("RecordingChange"),
                ),
            },
            **_upload_paths(),
            "/recordings/{recording_id}/spectrogram/status": {
                "get": _op(
                    "Spectrogram status",
                    {"200": _json(_ref("SpectrogramStatus"), "status"), **_errors(401, 404)},
                    params=_ID,
                )
            },
            "/recordings/{recording_id}/spectrogram": {
                "get": _op(
                    "The manifest with presigned image, tile and audio URLs",
                    {
                        "200": _json(_ref("Manifest"), "COMPLETED: the manifest"),
                        "202": _json(
                            _object({"status": {"enum": [status.PENDING, status.PROCESSING]}}),
                            "not rendered yet: ask again after Retry-After",
                            retry_after,
                        ),
                        "409": _json(
                            _object(
                                {"status": {"const": status.FAILED}, "error": {"type": "string"}}
                            ),
                            "FAILED: `error` says why",
                        ),
                        **_errors(401, 404),
                    },
                    params=_ID,
                )
            },
            "/recordings/{recording_id}/spectrogram/regenerate": {
                "post": _op(
                    "Render again",
                    {
                        "202": _json(_object({"status": {"const": status.PENDING}}), "queued"),
                        "409": _json(
                            _ref("Error"), "never uploaded, or still being rendered: see `error`"
                        ),
                        **_errors(401, 404),
                    },
                    params=_ID,
                )
            },
            "/recordings/{recording_id}/annotations": {
                "get": _op(
                    "The recording's annotations and their version",
                    {"200": _json(_ref("Annotations"), "every box"), **_errors(401, 404)},
                    params=_ID,
                ),
                "put": _op(
                    "Replace every annotation, if `version` is still the one read",
                    {
                        "200": _json(_ref("Annotations"), "stored; the new version"),
                        **_errors(400, 401, 404, 409, 413),
                    },
                    params=_ID,
                    body=_object(
                        {
                            "annotations": {
                                "type": "array",
                                "items": _ref("NewAnnotation"),
                                "maxItems": annotations.MAX_ANNOTATIONS,
                            },
                            "version": {"type": "integer", "minimum": 0},
                        }
                    ),
                ),
                "patch": _op(
                    "Apply changes (autosave): upsert boxes by id, delete ids",
                    {
                        "200": _json(
                            _object(
                                {
                                    "version": {"type": "integer", "minimum": 1},
                                    "annotation_count": {
                                        "type": "integer",
                                        "minimum": 0,
                                        "maximum": annotations.MAX_ANNOTATIONS,
                                    },
                                    "upserted": {"type": "array", "items": _ref("Annotation")},
                                    "deleted": {"type": "array", "items": {"type": "string"}},
                                }
                            ),
                            "applied; the new version",
                        ),
                        **_errors(400, 401, 404, 409, 413),
                    },
                    params=_ID,
                    body=_patch_body(),
                ),
            },
            "/recordings/{recording_id}/measurements": {
                "get": _op(
                    "The boxes' computed measurements, and the boxes still being measured",
                    {
                        "200": _json(
                            _object(
                                {
                                    "measurements": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "object",
                                            "propertyNames": {"enum": list(COMPUTED)},
                                            "additionalProperties": {"type": "number"},
                                        },
                                        "description": "box id: its current values",
                                    },
                                    "pending": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "description": "ids of boxes without current values "
                                        "(new or moved): poll until empty",
                                    },
                                }
                            ),
                            "every box's current values",
                        ),
                        **_errors(401, 404),
                    },
                    params=_ID,
                )
            },
            "/recordings/{recording_id}/annotations/export": {
                "get": _op(
                    "The annotations as a Raven, Audacity, CSV or JSON file (docs/formats.md)",
                    {
                        "200": {
                            "description": "the file, named after the recording",
                            "headers": {
                                "Content-Disposition": {
                                    "required": True,
                                    "schema": {"type": "string", "pattern": "^attachment; "},
                                }
                            },
                            "content": {
                                "text/plain": {"schema": {"type": "string"}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/json": {"schema": _ref("AnnotationFile")},
                            },
                        },
                        **_errors(400, 401, 404),
                    },
                    params=[
                        *_ID,
                        {
                            "name": "format",
                            "in": "query",
                            "required": True,
                            "schema": {"enum": list(formats.EXPORT_FORMATS)},
                        },
                        _REVIEW_FILTER,
                    ],
                )
            },
            "/recordings/{recording_id}/annotations/import": {
                "post": _op(
                    "Add the boxes of an annotation file (all of it or nothing)",
                    {
                        "200": _json(
                            _object(
                                {
                                    "annotations": {
                                        "type": "array",
                                        "items": _ref("Annotation"),
                                        "maxItems": annotations.MAX_ANNOTATIONS,
                                    },
                                    "version": {"type": "integer", "minimum": 1},
                                    "format": {"enum": list(formats.FORMATS)},
                                    "imported": {"type": "integer", "minimum": 0},
                                }
                            ),
                            "imported; every box and the new version",
                        ),
                        **_errors(400, 401, 404, 409, 413),
                    },
                    params=[
                        *_ID,
                        {
                            "name": "format",
                            "in": "query",
                            "description": "omitted: detected from the content",
                            "schema": {"enum": list(formats.FORMATS)},
                        },
                        {
                            "name": "mode",
                            "in": "query",
                            "description": "append (the default) or replace every box",
                            "schema": {"enum": list(annotation_files.IMPORT_MODES)},
                        },
                    ],
                    body={
                        "type": "string",
                        "format": "binary",
                        "maxLength": annotation_files.MAX_IMPORT_BYTES,
                        "description": "the file's bytes: a Raven selection table, BirdNET "
                        "results, Audacity labels, CSV or Sonagram's JSON, as UTF-8, UTF-16 or "
                        "Windows-1252 text. Other bytes, or boxes outside the recording, "
                        "answer 400 naming the line; nothing is imported",
                    },
                    media="application/octet-stream",
                )
            },
            "/recordings/{recording_id}/audio": {
                "get": _op(
                    "Redirect to a presigned GET of the audio (Range supported)",
                    {
                        "302": {
                            "description": "the audio, served as audio and inline",
                            "headers": {
                                "Location": {
                                    "required": True,
                                    "schema": {"type": "string", "format": "uri"},
                                }
                            },
                        },
                        **_errors(401, 404),
                    },
                    params=_ID,
                )
            },
            **_project_paths(),
            **_member_paths(),
            **_detection_paths(),
            **_review_paths(),
            **_assignment_paths(),
            **_agreement_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Local stage: the token of `POST /auth/login`. Cloud stage: "
                    "the ID token of a sign-in through the Cognito hosted UI (authorization "
                    "code + PKCE), which API Gateway checks before the route runs",
                }
            },
            "schemas": _schemas(settings),
        },
    }
    _refused_by_role(document["paths"])
    _link_created(document["paths"], "/recordings", "recording_id", "/recording/id")
    _link_created(document["paths"], "/projects", "project_id", "/id")
    return document


def _refused_by_role(paths: dict) -> None:
    """Document the 403 of every operation a member's role may not be enough for
    (chalicelib/route_access.py)."""
    for path, operations in paths.items():
        for method, operation in operations.items():
            if route_access.may_refuse_role(f"{method.upper()} {path}"):
                operation["responses"].update(_errors(403))


def _link_created(paths: dict, collection: str, parameter: str, pointer: str) -> None:
    """Link what ``POST <collection>`` creates to every operation on it: a client (or a
    fuzzer following links) calls them with the id the answer gave, not a guess."""
    prefix = f"{collection}/{{{parameter}}}"
    created = paths[collection]["post"]["responses"]["201"]
    created["links"] = {
        re.sub(r"[^A-Za-z0-9]+", "_", f"{method} {path}").strip("_"): {
            # A JSON pointer to the operation as a URI fragment: braces percent-encoded.
            "operationRef": "#/paths/"
            + quote(path.replace("~", "~0").replace("/", "~1"), safe="~")
            + f"/{method}",
            "parameters": {parameter: f"$response.body#{pointer}"},
        }
        for path, operations in paths.items()
        if path.startswith(prefix)
        for method in operations
    }
