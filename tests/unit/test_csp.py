"""The browser app's Content-Security-Policy (infra/csp.py): strict scripts, two inline styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.csp import RADIX_STYLES, content_security_policy, style_hash

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
RADIX_SOURCES = [
    FRONTEND / "node_modules/@radix-ui/react-scroll-area/dist/index.mjs",
    FRONTEND / "node_modules/@radix-ui/react-select/dist/index.mjs",
]


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def test_scripts_are_the_ui_s_own_files_only():
    policy = directives(
        content_security_policy(api_origin="https://api.example", bucket_origins=["https://b"])
    )
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_styles_are_the_ui_s_files_and_radix_s_two_fixed_blocks():
    policy = directives(
        content_security_policy(api_origin="https://api.example", bucket_origins=["https://b"])
    )
    assert policy["style-src"] == ["'self'", *(style_hash(css) for css in RADIX_STYLES)]


def test_a_style_hash_is_the_one_chromium_asks_for():
    # Chromium's refusal of Radix's scroll-area <style> named this source.
    assert style_hash(RADIX_STYLES[0]) == "'sha256-vGQdhYJbTuF+M8iCn1IZCHpdkiICocWHDq4qnQF4Rjw='"


@pytest.mark.parametrize(
    ("source", "css"), zip(RADIX_SOURCES, RADIX_STYLES, strict=True), ids=["scroll-area", "select"]
)
def test_each_allowed_style_is_the_installed_radix_s_text(source: Path, css: str):
    """An upgrade that changes Radix's text would be refused in the page: this says so first."""
    # `make test` installs the browser app's packages first: a missing file is a failure.
    assert source.exists(), f"{source} is missing: run make install"
    assert f"__html: `{css}`" in source.read_text()
