"""Every answer of the HTTP API held to the OpenAPI document the API serves.

The integration tests' clients (infra/local/harness.py) check each answer they get, so
every request a test makes also tests the document: its status must be one the
operation documents, its Content-Type one documented for that status and its body
(JSON, or text) valid against that type's schema (JSON Schema 2020-12, formats
included), and the documented headers must be there, with values their schemas allow.
Anything else is an AssertionError naming the request, the status and the fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import jsonschema_rs

# Enough of a long list of schema errors to see what went wrong.
SHOWN_ERRORS = 3


class Conformance:
    """The checks of one OpenAPI document (as ``GET /openapi.json`` serves it)."""

    def __init__(self, document: dict) -> None:
        self._document = document
        # A fixed path ("/recordings/delete") wins over a template it also fits.
        templates = sorted(document["paths"], key=lambda template: template.count("{"))
        self._paths = [(_path_pattern(template), template) for template in templates]
        # By schema (as JSON): compiled once.
        self._validators: dict[str, jsonschema_rs.Draft202012Validator] = {}

    def check(
        self, method: str, path: str, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        """Raise AssertionError unless the document allows this answer to ``method path``."""
        request = f"{method.upper()} {path}"
        template = next(
            (t for pattern, t in self._paths if pattern.fullmatch(urlsplit(path).path)), None
        )
        operation = self._document["paths"].get(template, {}).get(method.lower())
        if operation is None:
            raise AssertionError(f"{request}: the document has no such operation")

        def fault(what: str) -> AssertionError:
            return AssertionError(f"{request} answered {status}: {what}")

        answer = operation["responses"].get(str(status))
        if answer is None:
            documented = ", ".join(operation["responses"])
            raise fault(
                f"the status is not documented (documented: {documented}); body {body[:200]!r}"
            )
        headers = {name.lower(): value for name, value in headers.items()}
        for name, header in answer.get("headers", {}).items():
            if name.lower() not in headers:
                if header.get("required"):
                    raise fault(f"the documented header {name} is missing")
                continue
            value = _header_value(headers[name.lower()], header["schema"])
            if problems := self._problems(header["schema"], value):
                raise fault(f"the header {name} does not match the documented schema: {problems}")
        content = answer.get("content", {})
        if not content:
            if body:
                raise fault(f"a body where none is documented: {body[:200]!r}")
            return
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in content:
            raise fault(f"Content-Type {media_type!r} where {', '.join(content)} is documented")
        if media_type != "application/json" and not media_type.startswith("text/"):
            return  # bytes: nothing a JSON Schema can say of them
        try:
            instance = json.loads(body) if media_type == "application/json" else body.decode()
        except ValueError as e:  # UnicodeDecodeError is a ValueError too
            raise fault(f"the body is not {media_type} ({e}): {body[:200]!r}") from e
        if problems := self._problems(content[media_type]["schema"], instance):
            raise fault(f"the body does not match the documented schema: {problems}")

    def _problems(self, schema: dict, instance: object) -> str:
        """What is wrong with ``instance`` by ``schema`` (whose refs point into the document)."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = jsonschema_rs.Draft202012Validator(
                {**schema, "components": self._document["components"]}, validate_formats=True
            )
        errors = list(self._validators[key].iter_errors(instance))
        return "; ".join(
            f"{error.message} at /{'/'.join(map(str, error.instance_path))}"
            for error in errors[:SHOWN_ERRORS]
        )


def _header_value(text: str, schema: dict) -> object:
    """A header's text as the value its schema describes (OpenAPI's "simple" style)."""
    if schema.get("type") == "integer" and text.strip().isdigit():
        return int(text)
    return text


def _path_pattern(template: str) -> re.Pattern:
    """``/recordings/{recording_id}`` as a regex of the paths it stands for."""
    parts = template.split("/")
    return re.compile("/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))
