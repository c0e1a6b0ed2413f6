"""CDK entry point for the cloud stage; cdk.json at the repository root runs it.

From the repository root, with the ``infra`` extra installed and the layer built (``make layer``):

    npx --yes aws-cdk@2.1148.1 synth -c ui_origin=https://sonagram.example.org -c region=eu-west-1

Context: ``ui_origin`` (required) is the browser UI's origin: the buckets' CORS and the hosted
UI's sign-in and sign-out redirects (``<ui_origin>/``) allow it alone; ``region`` defaults to the
CLI's (the AWS configuration's, else us-east-1); ``worker_layer_zip`` defaults to what ``make
layer`` writes; ``auth_domain_prefix`` names the hosted UI's domain
(``<prefix>.auth.<region>.amazoncognito.com``, unique in the region; default
``sonagram-<account>``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import aws_cdk as cdk

from infra.stack import ROOT, SonagramStack
from layers import build_layer

STACK_NAME = "Sonagram"
DEFAULT_LAYER_ZIP = ROOT / "layers" / "build" / build_layer.ZIP_NAME


def main() -> int:
    app = cdk.App()
    context = {
        "ui_origin": app.node.try_get_context("ui_origin"),
        "region": app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION"),
    }
    missing = [f"-c {name}=..." for name, value in context.items() if not value]
    if missing:
        print(f"infra/app.py: pass {' '.join(missing)} to cdk", file=sys.stderr)
        return 2
    layer_zip = Path(app.node.try_get_context("worker_layer_zip") or DEFAULT_LAYER_ZIP)
    try:
        SonagramStack(
            app,
            STACK_NAME,
            ui_origin=context["ui_origin"],
            worker_layer_zip=layer_zip.resolve(),
            auth_domain_prefix=app.node.try_get_context("auth_domain_prefix"),
            env=cdk.Environment(
                account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=context["region"]
            ),
        )
    except FileNotFoundError as e:
        print(f"infra/app.py: {e}", file=sys.stderr)
        return 2
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
