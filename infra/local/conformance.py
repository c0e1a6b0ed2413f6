"""Every answer of the HTTP API held to the OpenAPI document the API serves.

The integration tests' clients (infra/local/harness.py) check each answer they get, so
every request a test makes also tests the document: its status must be one the
operation documents, a JSON body must be valid against the schema documented for that
status (JSON Schema 2020-12, formats included), and the documented headers must be
there. Anything else is an AssertionError naming the request, the status and the fault.
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
        self._validators: dict[tuple[str, str, str], jsonschema_rs.Draft202012Validator] = {}

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
        present = {name.lower() for name in headers}
        for name, header in answer.get("headers", {}).items():
            if header.get("required") and name.lower() not in present:
                raise fault(f"the documented header {name} is missing")
        if "application/json" not in answer.get("content", {}):
            if body:
                raise fault(f"a body where none is documented: {body[:200]!r}")
            return
        content_type = {name.lower(): value for name, value in headers.items()}.get(
            "content-type", ""
        )
        if not content_type.startswith("application/json"):
            raise fault(f"Content-Type {content_type!r} where JSON is documented")
        try:
            instance = json.loads(body)
        except ValueError as e:
            raise fault(f"the body is not JSON ({e}): {body[:200]!r}") from e
        errors = list(self._validator(template, method.lower(), str(status)).iter_errors(instance))
        if errors:
            shown = "; ".join(
                f"{error.message} at /{'/'.join(map(str, error.instance_path))}"
                for error in errors[:SHOWN_ERRORS]
            )
            raise fault(f"the body does not match the documented schema: {shown}")

    def _validator(
        self, template: str, method: str, status: str
    ) -> jsonschema_rs.Draft202012Validator:
        key = (template, method, status)
        if key not in self._validators:
            answer = self._document["paths"][template][method]["responses"][status]
            schema = answer["content"]["application/json"]["schema"]
            # Its $refs point into the document's components.
            self._validators[key] = jsonschema_rs.Draft202012Validator(
                {**schema, "components": self._document["components"]}, validate_formats=True
            )
        return self._validators[key]


def _path_pattern(template: str) -> re.Pattern:
    """``/recordings/{recording_id}`` as a regex of the paths it stands for."""
    parts = template.split("/")
    return re.compile("/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))
