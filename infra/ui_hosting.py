"""The browser UI on CloudFront: a private bucket, a distribution that alone reads it, and the
deployment that copies the built UI there with the config.json of its stage."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.lambdas import log_group
from infra.logical_ids import Concern
from infra.nag import acknowledge
from infra.storage import PRIVATE_BUCKET

UI_CONFIG = "config.json"


class UiHosting(Concern):
    """The UI's bucket (logged to ``access_logs``) and its CloudFront distribution; :meth:`deploy`
    fills the bucket."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        access_logs: s3.IBucket,
        log_retention_days: int,
        content_security_policy: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_retention_days = log_retention_days
        self.bucket = s3.Bucket(
            self,
            "Ui",
            **PRIVATE_BUCKET,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="ui/",
            # Built from the repository at every deploy: nothing in it needs keeping.
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "UiDistribution",
            comment="Sonagram browser UI",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self._security_headers(content_security_policy),
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "AwsSolutions-CFR2",
            reason="The UI is the same static files for everyone and holds no data: every "
            "request that reads or changes data goes to API Gateway, behind Cognito",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR3",
            reason="CloudFront's standard logs need a bucket with ACLs enabled; the static "
            "files' fetches are in the UI bucket's server access logs, and every data request "
            "is in API Gateway's and the data buckets' logs",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR4",
            reason="The distribution answers on its cloudfront.net name, whose default "
            "certificate allows no minimum TLS version to be set; a custom domain with its own "
            "certificate would",
        )

    def _security_headers(self, content_security_policy: str) -> cloudfront.ResponseHeadersPolicy:
        """CloudFront's managed security headers, with the page's Content-Security-Policy and
        no framing at all (the page holds the user's ID token)."""
        return cloudfront.ResponseHeadersPolicy(
            self,
            "UiSecurityHeaders",
            comment="Sonagram browser UI: Content-Security-Policy and security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(365),
                    include_subdomains=False,
                    override=True,
                ),
            ),
        )

    @property
    def origin(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

    def deploy(self, ui_dist: Path, config: dict) -> s3deploy.BucketDeployment:
        """Copy the built UI to its bucket with ``config`` as its config.json.

        config.json has the shape frontend/src/config.ts's parseConfig reads; its values exist
        only once the stack is deployed, and the deployment fills them in then.
        """
        deployment = s3deploy.BucketDeployment(
            self,
            "UiDeployment",
            sources=[
                s3deploy.Source.asset(str(ui_dist)),
                s3deploy.Source.json_data(UI_CONFIG, config),
            ],
            destination_bucket=self.bucket,
            # Revalidated on every load (ETags make it cheap), so a deploy shows at once.
            cache_control=[s3deploy.CacheControl.no_cache()],
            distribution=self.distribution,
            distribution_paths=["/*"],
            retain_on_delete=False,
            log_group=log_group(self, "UiDeploymentLogs", self.log_retention_days),
        )
        stack = cdk.Stack.of(self)
        (handler,) = (
            child
            for child in stack.node.children
            if child.node.id.startswith("Custom::CDKBucketDeployment")
        )
        # cdk-nag names the account as the template has it: a number when the synth knows it
        # (cdk deploy, cdk destroy), <AWS::AccountId> when it does not.
        account = "<AWS::AccountId>" if cdk.Token.is_unresolved(stack.account) else stack.account
        assets = (
            f"arn:{stack.partition}:s3:::cdk-{cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER}"
            f"-assets-{account}-{stack.region}/*"
        )
        acknowledge(
            handler,
            *(
                f"AwsSolutions-IAM5[Action::s3:{action}*]"
                for action in ("GetBucket", "GetObject", "List", "Abort", "DeleteObject")
            ),
            f"AwsSolutions-IAM5[Resource::{assets}]",
            f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(self.bucket.node.default_child)}"
            ".Arn>/*]",
            "AwsSolutions-IAM5[Resource::*]",
            reason="CDK's BucketDeployment handler: it copies the UI from CDK's asset bucket to "
            "the UI bucket (any key of either) and invalidates the distribution, whose ARN "
            "CloudFront's invalidation permission cannot name",
        )
        acknowledge(
            handler,
            "AwsSolutions-L1",
            "Serverless-LambdaLatestVersion",
            "Serverless-LambdaDLQ",
            "Serverless-LambdaTracing",
            reason="CDK's BucketDeployment handler, a CloudFormation custom resource on CDK's "
            "choice of runtime: CloudFormation invokes it and reports its failure as the "
            "deploy's",
        )
        return deployment
