"""`make synth|deploy|destroy STAGE=...`: what they run, checked offline with `make -n`.

Deploying needs an AWS account; here only the commands are checked: the pinned CDK CLI, the
stage passed as context, the layer and the UI built first.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from infra import app as cdk_app
from infra.stack import ROOT

CDK_PIN = re.compile(r"npx --yes aws-cdk@(\d+\.\d+\.\d+)")


def dry_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("target", ["synth", "deploy", "destroy"])
def test_a_target_runs_the_pinned_cdk_with_the_stage_after_building_layer_and_ui(target):
    result = dry_run(target, "STAGE=lab", "CDK_ARGS=-c alarm_email=lab@example.org")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    (cdk,) = [line for line in lines if CDK_PIN.search(line)]
    assert re.search(rf"aws-cdk@\S+ {target} -c stage=lab -c alarm_email=lab@example.org", cdk)
    # `make -n` lists what would be rebuilt: the layer is always rebuilt, the UI when stale.
    assert any("layers.build_layer" in line for line in lines[: lines.index(cdk)])


@pytest.mark.parametrize("target", ["deploy", "destroy"])
def test_a_target_without_a_stage_stops_and_says_how(target):
    result = dry_run(target)
    assert result.returncode != 0
    assert f"make {target} needs STAGE=<name>" in result.stderr
    assert "aws-cdk@" not in result.stdout


def test_the_makefile_deploy_guide_and_app_name_one_cdk_version():
    versions = {
        CDK_PIN.search(text)[1]
        for text in (
            (ROOT / "Makefile").read_text(),
            (ROOT / "docs" / "deploy.md").read_text(),
            cdk_app.__doc__,
        )
    }
    assert len(versions) == 1, versions


def test_each_stage_is_its_own_stack():
    assert cdk_app.stack_name("lab") == "Sonagram-lab"
