"""What every function of the stack shares: runtime, architecture, code and log groups."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.nag import acknowledge
from layers import build_layer

ROOT = Path(__file__).resolve().parents[1]

# Every function runs where the layer's wheels load: the runtime and architecture that
# layers/build_layer.py builds and smoke-tests for. Chalice packages the API for the Python
# running the synth (the venv's 3.12; infra/api.py checks it).
RUNTIME = lambda_.Runtime(build_layer.RUNTIME, lambda_.RuntimeFamily.PYTHON)
ARCHITECTURE = lambda_.Architecture.X86_64


def log_group(scope: Construct, construct_id: str, retention_days: int) -> logs.LogGroup:
    group = logs.LogGroup(
        scope,
        construct_id,
        # CDK's RetentionDays names periods; the stage gives days (checked against the
        # periods CloudWatch accepts), written straight into the template.
        retention=logs.RetentionDays.INFINITE,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    group.node.default_child.retention_in_days = retention_days
    return group


def retain_logs_of_every_function(stack: cdk.Stack, retention_days: int) -> None:
    """Give each function that has no log group of ours one, with the stage's retention.

    Chalice's API function and CDK's own handlers (the bucket notifications, the UI
    deployment) would otherwise log to a group that Lambda creates and keeps forever.
    """
    for construct in stack.node.find_all():
        if not isinstance(construct, cdk.CfnResource) or construct.cfn_resource_type not in (
            "AWS::Lambda::Function",
            "AWS::Serverless::Function",
        ):
            continue
        resolved = stack.resolve(getattr(construct, "logging_config", None)) or {}
        if resolved.get("logGroup") or resolved.get("LogGroup"):
            continue
        group = log_group(construct.node.scope, "Logs", retention_days)
        construct.add_property_override("LoggingConfig.LogGroup", group.log_group_name)


def acknowledge_function(function: lambda_.Function) -> None:
    acknowledge(
        function,
        "AwsSolutions-L1",
        "Serverless-LambdaLatestVersion",
        reason=f"{RUNTIME.name} is the runtime the worker layer's wheels are built and "
        "smoke-tested for (layers/build_layer.py)",
    )
    acknowledge(
        function,
        "Serverless-LambdaTracing",
        reason="One invocation makes a handful of S3 and DynamoDB calls; the worker's "
        "structured logs and metrics time each render, and X-Ray would bill a trace per "
        "recording at fan-out volume",
    )
