"""The browser app as `make run` serves it: the built page, and where its API is."""

from __future__ import annotations

from pathlib import Path

import requests

from chalicelib.detector_presets import parameters_json
from chalicelib.measurement_names import measurements_json
from chalicelib.review_names import review_json
from infra.csp import content_security_policy
from infra.local.harness import RunningStack

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"


def test_the_ready_line_names_the_ui_first(stack: RunningStack):
    ready = next(line for line in stack.log if "ready" in line)
    assert ready.startswith(f"Sonagram ready: UI {stack.ui_url} | API {stack.api_url} |")


def test_the_page_learns_the_api_url_limits_and_timings_from_config_json(stack: RunningStack):
    answer = requests.get(f"{stack.ui_url}/config.json", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {
        "apiUrl": stack.api_url,
        "maxUploadBytes": 100 * 1024 * 1024,
        "auth": {"kind": "local"},
        # The local bridge sweeps every minute.
        "pipeline": {
            "jobBudgetS": 300,
            "leaseS": 20,
            "sweepEveryS": 60,
            "uploadUrlS": 900,
            "lateUploadS": 300,
        },
        # Tables the page shows and never copies.
        "detectorParameters": parameters_json(),
        "detectorBands": ["energy", "preset"],
        "maxDetectorPresets": 10,
        "measurements": measurements_json(),
        "review": review_json(),
    }


def test_the_built_page_and_its_assets_are_served(stack: RunningStack):
    assert (DIST / "index.html").is_file(), "frontend/dist is missing: run `make ui`"
    page = requests.get(f"{stack.ui_url}/", timeout=10)
    assert page.status_code == 200
    assert page.content == (DIST / "index.html").read_bytes()
    script = next(DIST.glob("assets/*.js"))
    asset = requests.get(f"{stack.ui_url}/assets/{script.name}", timeout=10)
    assert asset.status_code == 200
    assert asset.content == script.read_bytes()


def test_every_answer_carries_the_content_security_policy(stack: RunningStack):
    policy = content_security_policy(api_origin=stack.api_url, bucket_origins=[stack.cloud_url])
    assert "frame-ancestors 'none'" in policy
    for path in ("/", "/config.json", "/no-such-file"):
        answer = requests.get(f"{stack.ui_url}{path}", timeout=10)
        assert answer.headers["Content-Security-Policy"] == policy, path
