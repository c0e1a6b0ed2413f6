"""The buckets' CORS rules have one home, infra/cors.py, which both stages apply."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fresh import modules_after

from chalicelib import clients
from infra.cors import cors_rules
from infra.local.cloud import provision

ROOT = Path(__file__).resolve().parents[2]


def test_the_local_cloud_gives_both_buckets_the_rules(cloud_settings):
    # Buckets and a queue of this test's own; the tables (and so the models' binding) stay.
    settings = dataclasses.replace(
        cloud_settings,
        recordings_bucket="cors-recordings",
        spectrograms_bucket="cors-spectrograms",
        jobs_queue="cors-jobs",
        ui_origin="http://127.0.0.1:5999",
    )
    provision(settings)
    s3 = clients.s3(settings)
    for bucket in (settings.recordings_bucket, settings.spectrograms_bucket):
        rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
        assert rules == cors_rules("http://127.0.0.1:5999")["CORSRules"]


def test_the_aws_stack_does_not_depend_on_the_local_cloud():
    loaded = modules_after("import infra.stack")
    assert {"infra.cors", "infra.stack"} <= loaded
    assert not {m for m in loaded if m.startswith("infra.local")}
