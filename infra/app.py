"""CDK entry point for the cloud stage; cdk.json at the repository root runs it.

``make deploy STAGE=<name>`` and ``make destroy STAGE=<name>`` run it through the pinned CDK CLI
(the Makefile's ``CDK``) after building the layer and the UI; by hand, from the repository
root, with the ``infra`` extra installed:

    npx --yes aws-cdk@2.1148.1 synth -c stage=lab -c region=eu-west-1

The stack is ``Sonagram-<stage>``, so several stages live side by side in one account. Context
(``-c name=value``; infra/options.py checks each): ``stage`` (default ``prod``), ``region``
(default the CLI's: the AWS configuration's, else us-east-1), ``host_ui`` (default true: the UI
on CloudFront), ``ui_origin`` (another https origin allowed to use the stage, required when
``host_ui=false``), ``allow_localhost_ui`` (false: a ``ui_origin`` on localhost is refused),
``worker_concurrency`` (300, or ``none``), ``stages_in_account`` (2),
``account_concurrency`` (1000), ``api_rate_limit`` (100/s), ``api_burst_limit`` (200),
``log_retention_days`` (30),
``alarm_email``, ``auth_domain_prefix`` (default ``<stack name>-<account>``),
``max_upload_bytes`` (100 MiB) and ``worker_layer_zip`` (default what ``make layer`` writes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

from infra.options import OptionError, StageOptions
from infra.stack import ROOT, SonagramStack
from layers import build_layer

STACK_NAME = "Sonagram"
DEFAULT_LAYER_ZIP = ROOT / "layers" / "build" / build_layer.ZIP_NAME


def stack_name(stage: str) -> str:
    return f"{STACK_NAME}-{stage}"


def main() -> int:
    app = cdk.App()
    region = app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION")
    if not region:
        print("infra/app.py: pass -c region=... to cdk", file=sys.stderr)
        return 2
    layer_zip = Path(app.node.try_get_context("worker_layer_zip") or DEFAULT_LAYER_ZIP)
    try:
        options = StageOptions.from_context(app.node.try_get_context)
        SonagramStack(
            app,
            stack_name(options.stage),
            options=options,
            worker_layer_zip=layer_zip.resolve(),
            env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region),
        )
    except (OptionError, FileNotFoundError) as e:
        print(f"infra/app.py: {e}", file=sys.stderr)
        return 2
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
