"""The browser app's /config.json: where its API is, how people sign in, and the stage's own
limits and pipeline timings, so that the page waits as long as this stage's pipeline may take
before calling a spectrogram stuck, and the tables the page shows but never copies: the
detector's parameters, the computed measurements and the review queue's names and defaults
(frontend/src/config.ts reads it).

The local UI server (infra/local/ui.py) and the cloud stack (infra/stack.py) both write it
from the stage's :class:`Settings`.
"""

from __future__ import annotations

from chalicelib.config import Settings
from chalicelib.detector_presets import BANDS, MAX_PRESETS, parameters_json
from chalicelib.measurement_names import measurements_json
from chalicelib.review_names import review_json
from chalicelib.sweeper import LATE_UPLOAD_S


def ui_config(settings: Settings, *, api_url: str, auth: dict) -> dict:
    """The body of /config.json; ``auth`` is how people sign in (``{"kind": "local"}`` or
    Cognito's hosted UI)."""
    return {
        "apiUrl": api_url,
        "maxUploadBytes": settings.max_upload_bytes,
        "auth": auth,
        "pipeline": {
            "jobBudgetS": settings.job_timeout_s,
            "leaseS": settings.job_lease_s,
            "sweepEveryS": settings.sweep_every_s,
            "uploadUrlS": settings.upload_expiry_s,
            "lateUploadS": LATE_UPLOAD_S,
        },
        "detectorParameters": parameters_json(),
        "detectorBands": list(BANDS),
        "maxDetectorPresets": MAX_PRESETS,
        "measurements": measurements_json(),
        "review": review_json(),
    }
