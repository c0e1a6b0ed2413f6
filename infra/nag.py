"""cdk-nag's findings that the stack accepts, each with its reason next to the resource."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct


def acknowledge(scope: Construct, *findings: str, reason: str) -> None:
    """Accept cdk-nag findings on ``scope`` and below, each for the reason written here."""
    cdk.Validations.of(scope).acknowledge(
        *(cdk.Acknowledgment(id=finding, reason=reason) for finding in findings)
    )
