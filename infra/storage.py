"""The buckets: recordings (uploads), spectrograms (rendered images) and their access logs."""

from __future__ import annotations

import aws_cdk as cdk
import boto3
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from botocore.config import Config
from constructs import Construct

from infra.cors import cors_rules
from infra.logical_ids import Concern
from infra.nag import acknowledge

# Every bucket: no public access, TLS only, no ACLs. SSE-S3, because S3 server access logs are
# delivered only to SSE-S3 buckets and CloudFront's origin access control reads them without a
# key policy.
PRIVATE_BUCKET = {
    "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
    "encryption": s3.BucketEncryption.S3_MANAGED,
    "enforce_ssl": True,
    "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
}


def access_logs_bucket(scope: Construct) -> s3.Bucket:
    """The bucket that every other bucket's server access logs go to, kept for a year."""
    return s3.Bucket(
        scope,
        "AccessLogs",
        **PRIVATE_BUCKET,
        lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


class Storage(Concern):
    """The recordings and spectrograms buckets, logged to ``access_logs`` and kept when the
    stack goes. They answer browser uploads and reads from ``ui_origins`` only."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        access_logs: s3.IBucket,
        ui_origins: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.recordings = self._bucket("Recordings", access_logs, ui_origins)
        self.spectrograms = self._bucket("Spectrograms", access_logs, ui_origins)
        stack = cdk.Stack.of(self)
        for bucket in (self.recordings, self.spectrograms):
            acknowledge(
                stack,
                f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(bucket.node.default_child)}"
                ".Arn>/*]",
                reason="Object keys are generated per recording: a role that handles any "
                "recording acts on any key of this one bucket",
            )

    def _bucket(
        self, construct_id: str, access_logs: s3.IBucket, ui_origins: list[str]
    ) -> s3.Bucket:
        # No bucket policy grants reads: audio and images reach the browser only through
        # presigned URLs that the API signs.
        return s3.Bucket(
            self,
            construct_id,
            **PRIVATE_BUCKET,
            cors=cdk_cors_rules(ui_origins),
            lifecycle_rules=[
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=cdk.Duration.days(1))
            ],
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{construct_id.lower()}/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )


def cdk_cors_rules(ui_origins: list[str]) -> list[s3.CorsRule]:
    """The buckets' browser CORS rules (infra/cors.py, which the local cloud sets too) for CDK."""
    return [
        s3.CorsRule(
            allowed_origins=rule["AllowedOrigins"],
            allowed_methods=[s3.HttpMethods[method] for method in rule["AllowedMethods"]],
            allowed_headers=rule["AllowedHeaders"],
            exposed_headers=rule["ExposeHeaders"],
            max_age=rule["MaxAgeSeconds"],
        )
        for rule in cors_rules(*ui_origins)["CORSRules"]
    ]


def presigned_url_origin(region: str) -> str:
    """The origin of the buckets' presigned URLs in ``region``, as the API's S3 client signs
    them (path-style, chalicelib/clients.py): S3's endpoint for the region, which botocore
    names (``https://s3.amazonaws.com`` in us-east-1)."""
    client = boto3.client("s3", region_name=region, config=Config(s3={"addressing_style": "path"}))
    return client.meta.endpoint_url


def grant_objects(grantee: iam.IGrantable, bucket: s3.IBucket, *actions: str) -> None:
    """Let ``grantee`` do ``actions`` on any object in ``bucket``, and list the bucket.

    Without s3:ListBucket a missing key answers 403 instead of 404, and Storage would report a
    retryable access error instead of "does not exist"; deleting a prefix lists it first.
    """
    iam.Grant.add_to_principal(
        grantee=grantee,
        actions=["s3:ListBucket"],
        resource_arns=[bucket.bucket_arn],
    )
    iam.Grant.add_to_principal(
        grantee=grantee,
        actions=[f"s3:{action}" for action in actions],
        resource_arns=[bucket.arn_for_objects("*")],
    )
