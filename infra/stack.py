"""The cloud stage as one CDK stack: what infra/local/cloud.py provisions locally, the AWS way.

Locally a queue and a bridge stand between the recordings bucket and the worker; here the bucket
invokes the worker Lambda directly, Lambda retries a failed event and then parks it in an SQS
queue. The HTTP API is the Chalice app, packaged by ``chalice.cdk``. Alarms on the worker and
its failure queue notify an SNS topic; the browser UI may be served from S3 through CloudFront.
What each deployment may choose is in infra/options.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from chalice.cdk import Chalice
from chalice.config import Config as ChaliceConfig
from constructs import Construct
from pynamodb.models import Model

from chalicelib import auth
from chalicelib.annotations import MAX_SET_BYTES
from chalicelib.config import Settings
from chalicelib.models import (
    AnnotationChunkModel,
    ProjectModel,
    RecordingModel,
    SpectrogramModel,
)
from chalicelib.ui_config import ui_config
from infra.cors import cors_rules
from infra.options import StageOptions
from layers import build_layer

ROOT = Path(__file__).resolve().parents[1]
# The stage of .chalice/config.json whose settings the API function gets, whatever the
# deployment's own stage is called.
CHALICE_STAGE = "prod"
LAYER_BUILD_COMMAND = "make layer"
UI_DIST = ROOT / "frontend" / "dist"
UI_BUILD_COMMAND = "make ui"
UI_CONFIG = "config.json"

# Every function runs where the layer's wheels load: the runtime and architecture that
# layers/build_layer.py builds and smoke-tests for. Chalice packages the API for the Python
# running the synth (the venv's 3.12; SonagramStack checks it).
RUNTIME = lambda_.Runtime(build_layer.RUNTIME, lambda_.RuntimeFamily.PYTHON)
ARCHITECTURE = lambda_.Architecture.X86_64
WORKER_TIMEOUT_S = 300
# From make bench's fan-out rows: 1,024 MB is the cheapest size that renders 1,000 hours
# at once in about 30 s (512 MB: twice that); a render's peak memory is ~170 MB.
WORKER_MEMORY_MB = 1024
WORKER_RETRIES = 2
SWEEPER_TIMEOUT_S = 60
SWEEP_EVERY = cdk.Duration.minutes(5)

# Alarms look at 5-minute periods. A render that takes 80 % of the timeout is near the
# watchdog's cut (WATCHDOG_MARGIN_S before it): the audio is close to what the function's size
# can render at all.
ALARM_PERIOD = cdk.Duration.minutes(5)
SLOW_RENDER_S = 0.8 * WORKER_TIMEOUT_S
# A few retried errors (S3 SlowDown, a throttled write) are the platform working as meant.
WORKER_ERRORS_PER_PERIOD = 5
# Throttles are expected while a burst of uploads exceeds the reserved concurrency: S3's
# asynchronous invocations wait and are retried for up to 6 hours. Throttling through three
# periods in a row means the queue is not draining.
THROTTLED_PERIODS = 3

# The worker and the sweeper ship only their own code: the libraries come in the layer, and the
# tests, the UI, the virtualenv and build outputs stay out. Later patterns override earlier ones.
FUNCTION_CODE = ("chalicelib", "functions")
FUNCTION_CODE_EXCLUDE = [
    "*",
    ".*",
    *(pattern for top in FUNCTION_CODE for pattern in (f"!{top}", f"!{top}/**")),
    "__pycache__",
    "*.pyc",
]

# API Gateway's hard cap on a request; nothing can raise it. The API's own largest body, a
# recording's annotations (chalicelib.annotations.MAX_SET_BYTES, 5 MB), stays under it and under
# Lambda's 6 MB synchronous payload, which the gateway's event adds headers to.
GATEWAY_MAX_REQUEST_MB = 10

# API Gateway answers these itself, before any route runs: a missing, expired or forged token,
# a request over its size cap or over the stage's throttle, and any other request it refuses
# (the gateway's message, quoted) or fails.
GATEWAY_RESPONSES = {
    kind: {
        "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
        "responseTemplates": {"application/json": f'{{"error": {message}}}'},
    }
    for kind, message in {
        "UNAUTHORIZED": json.dumps(
            "sign in first: send 'Authorization: Bearer <ID token>' of a current sign-in"
        ),
        "REQUEST_TOO_LARGE": json.dumps(
            f"the request is over API Gateway's {GATEWAY_MAX_REQUEST_MB} MB limit: a "
            f"recording's annotations may take {MAX_SET_BYTES / 1e6:.0f} MB at most"
        ),
        "THROTTLED": json.dumps(
            "too many requests to this API at once: wait a few seconds and send it again"
        ),
        "DEFAULT_4XX": "$context.error.messageString",
        "DEFAULT_5XX": "$context.error.messageString",
    }.items()
}

# Every bucket: no public access, TLS only, no ACLs. SSE-S3, because S3 server access logs are
# delivered only to SSE-S3 buckets and CloudFront's origin access control reads them without a
# key policy.
PRIVATE_BUCKET = {
    "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
    "encryption": s3.BucketEncryption.S3_MANAGED,
    "enforce_ssl": True,
    "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
}

ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
KEY_ROLES = {"HASH": "partition_key", "RANGE": "sort_key"}


class SonagramStack(cdk.Stack):
    """Buckets, tables, the spectrogram worker, the sweeper, the Chalice API, Cognito, alarms
    and, when ``options.host_ui``, the browser UI on CloudFront.

    The buckets answer browser uploads and reads from the UI's origins only (CloudFront's and
    ``options.ui_origin``), and the hosted UI sends users back to them. ``worker_layer_zip`` is
    what ``make layer`` writes, ``ui_dist`` what ``make ui`` builds. The hosted UI's domain is
    ``https://<prefix>.auth.<region>.amazoncognito.com``; the prefix must be unique in the
    region, and defaults to the stack's name and account. The stack needs a concrete region
    (``env``): Chalice packages the API for one.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        options: StageOptions,
        worker_layer_zip: Path,
        ui_dist: Path = UI_DIST,
        **kwargs,
    ) -> None:
        if not worker_layer_zip.is_file():
            raise FileNotFoundError(
                f"the worker layer {worker_layer_zip} is missing: build it with "
                f"`{LAYER_BUILD_COMMAND}` first"
            )
        if options.host_ui and not (ui_dist / "index.html").is_file():
            raise FileNotFoundError(
                f"the browser UI {ui_dist} is not built: build it with `{UI_BUILD_COMMAND}` "
                "first, or pass -c host_ui=false"
            )
        super().__init__(scope, construct_id, **kwargs)
        if cdk.Token.is_unresolved(self.region):
            raise ValueError("SonagramStack needs env=cdk.Environment(region=...)")
        self.options = options
        cdk.Validations.of(self).add_plugins(AwsSolutionsChecks(self), ServerlessChecks(self))
        acknowledge(
            self,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            reason="The worker's, the sweeper's and CDK's bucket notification handler's roles: "
            "AWSLambdaBasicExecutionRole grants CloudWatch Logs writes only",
        )

        access_logs = self._access_logs_bucket()
        # The UI's bucket and distribution come first: the buckets' CORS and the sign-in
        # redirects name the distribution's origin.
        self.ui_bucket, self.ui_distribution = (
            self._ui_hosting(access_logs) if options.host_ui else (None, None)
        )
        self.ui_origins = [
            origin
            for origin in (
                self.ui_distribution and f"https://{self.ui_distribution.distribution_domain_name}",
                options.ui_origin,
            )
            if origin
        ]
        self.recordings = self._bucket("Recordings", access_logs)
        self.spectrograms = self._bucket("Spectrograms", access_logs)
        self.recordings_table = table_from_model(self, "RecordingsTable", RecordingModel)
        self.spectrograms_table = table_from_model(self, "SpectrogramsTable", SpectrogramModel)
        self.projects_table = table_from_model(self, "ProjectsTable", ProjectModel)
        self.annotations_table = table_from_model(self, "AnnotationsTable", AnnotationChunkModel)
        environment = self._environment()

        layer = lambda_.LayerVersion(
            self,
            "WorkerLayer",
            code=lambda_.Code.from_asset(str(worker_layer_zip)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="numpy, soundfile, PyAV and Powertools for the spectrogram engine; "
            "pynamodb",
        )
        code = lambda_.Code.from_asset(str(ROOT), exclude=FUNCTION_CODE_EXCLUDE)
        self.alarm_topic = self._alarm_topic()
        self.worker = self._worker(code, layer, environment)
        self.sweeper = self._sweeper(code, layer, environment)
        self.users = self._users()
        self.web_client = self._web_client()
        self.hosted_ui = self.users.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(
                domain_prefix=options.auth_domain_prefix
                or f"{self.stack_name.lower()}-{self.account}"
            ),
        )
        # Only the API deals with projects.
        self.api = self._api({**environment, "PROJECTS_TABLE": self.projects_table.table_name})
        self.api_url = cdk.Fn.sub(
            "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
            + chalice_stage_config()["api_gateway_stage"],
            {"RestAPI": self.api.get_resource("RestAPI").ref},
        )
        if self.ui_bucket is not None:
            self._deploy_ui(ui_dist, Settings.from_environ(environment))

        # What the browser UI needs to sign in (authorization code + PKCE through the hosted UI).
        for name, value in {
            "RecordingsBucketName": self.recordings.bucket_name,
            "SpectrogramsBucketName": self.spectrograms.bucket_name,
            "UserPoolId": self.users.user_pool_id,
            "UserPoolClientId": self.web_client.user_pool_client_id,
            "HostedUiUrl": self.hosted_ui.base_url(),
            "ApiUrl": self.api_url,
            "AlarmTopicArn": self.alarm_topic.topic_arn,
            **({"UiUrl": f"{self.ui_origins[0]}/"} if options.host_ui else {}),
        }.items():
            cdk.CfnOutput(self, name, value=value)
        self._acknowledge_wildcards()
        self._retain_logs_of_every_function()

    def _access_logs_bucket(self) -> s3.Bucket:
        return s3.Bucket(
            self,
            "AccessLogs",
            **PRIVATE_BUCKET,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    def _bucket(self, construct_id: str, access_logs: s3.IBucket) -> s3.Bucket:
        # No bucket policy grants reads: audio and images reach the browser only through
        # presigned URLs that the API signs.
        return s3.Bucket(
            self,
            construct_id,
            **PRIVATE_BUCKET,
            cors=cdk_cors_rules(self.ui_origins),
            lifecycle_rules=[
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=cdk.Duration.days(1))
            ],
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{construct_id.lower()}/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    def _environment(self) -> dict[str, str]:
        """What chalicelib.config.Settings reads, for every function of the stage: the API
        stage's settings in .chalice/config.json, the names of what this stack creates and
        the deploy's options, checked here, so a bad value stops the synth."""
        environment = {
            **chalice_stage_config().get("environment_variables", {}),
            "SONAGRAM_STAGE": self.options.stage,
            "RECORDINGS_BUCKET": self.recordings.bucket_name,
            "SPECTROGRAMS_BUCKET": self.spectrograms.bucket_name,
            "RECORDINGS_TABLE": self.recordings_table.table_name,
            "SPECTROGRAMS_TABLE": self.spectrograms_table.table_name,
            "ANNOTATIONS_TABLE": self.annotations_table.table_name,
            # The worker's watchdog and the sweeper's "stuck" threshold follow the real timeout.
            "JOB_TIMEOUT_S": str(WORKER_TIMEOUT_S),
            # The schedule's, for the UI's config.json: "seems stuck" waits for a sweep.
            "SWEEP_EVERY_S": str(SWEEP_EVERY.to_seconds()),
            "UI_ORIGIN": self.ui_origins[0],
            "MAX_UPLOAD_BYTES": str(self.options.max_upload_bytes),
        }
        Settings.from_environ(environment)
        return environment

    def _worker(
        self, code: lambda_.Code, layer: lambda_.ILayerVersion, environment: dict[str, str]
    ) -> lambda_.Function:
        failures = sqs.Queue(
            self,
            "WorkerFailures",
            retention_period=cdk.Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        acknowledge(
            failures,
            "AwsSolutions-SQS3",
            reason="This queue is the worker's on-failure destination: the end of the line",
        )
        worker = lambda_.Function(
            self,
            "SpectrogramWorker",
            description="S3 ObjectCreated on recordings -> spectrogram images and manifest",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler="functions.spectrogram_worker.handler",
            code=code,
            layers=[layer],
            timeout=cdk.Duration.seconds(WORKER_TIMEOUT_S),
            memory_size=WORKER_MEMORY_MB,
            environment=environment,
            retry_attempts=WORKER_RETRIES,
            on_failure=destinations.SqsDestination(failures),
            # The rest of the account's concurrency stays free for the API (infra/options.py).
            reserved_concurrent_executions=self.options.worker_concurrency,
            log_group=self._log_group("SpectrogramWorkerLogs"),
        )
        self._acknowledge_function(worker)
        acknowledge(
            failures,
            "Serverless-SQSRedrivePolicy",
            reason="This queue is the worker's on-failure destination: the end of the line",
        )
        acknowledge(
            worker,
            "Serverless-LambdaDLQ",
            reason="The worker's asynchronous invocations go to an on-failure destination (the "
            "WorkerFailures queue), which keeps the event and the error, unlike a DLQ",
        )
        self._alarms(worker, failures)
        grant_objects(worker, self.recordings, "GetObject")
        grant_objects(worker, self.spectrograms, "PutObject", "DeleteObject")
        self.recordings_table.grant_read_write_data(worker)
        self.spectrograms_table.grant_read_write_data(worker)
        self.recordings.add_event_notification(
            s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(worker)
        )
        cdk.CfnOutput(self, "WorkerFailuresQueueUrl", value=failures.queue_url)
        return worker

    def _sweeper(
        self, code: lambda_.Code, layer: lambda_.ILayerVersion, environment: dict[str, str]
    ) -> lambda_.Function:
        sweeper = lambda_.Function(
            self,
            "Sweeper",
            description="Announces again or fails spectrograms left PENDING or PROCESSING",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler="functions.sweeper.handler",
            code=code,
            # The layer carries pynamodb, which the sweeper needs for the tables.
            layers=[layer],
            timeout=cdk.Duration.seconds(SWEEPER_TIMEOUT_S),
            memory_size=512,
            environment=environment,
            # The next scheduled run redoes a failed sweep.
            retry_attempts=0,
            log_group=self._log_group("SweeperLogs"),
        )
        self._acknowledge_function(sweeper)
        acknowledge(
            sweeper,
            "Serverless-LambdaDLQ",
            "Serverless-LambdaAsyncFailureDestination",
            reason="A sweep has no event worth keeping: it reads the tables afresh, and the "
            "next scheduled run, 5 minutes later, redoes a failed one",
        )
        # It announces an upload again by copying the audio onto itself, and removes the
        # images of attempts that died.
        grant_objects(
            sweeper,
            self.recordings,
            "GetObject",
            "PutObject",
            "AbortMultipartUpload",
            "ListMultipartUploadParts",
        )
        grant_objects(sweeper, self.spectrograms, "DeleteObject")
        self.recordings_table.grant_read_data(sweeper)
        self.spectrograms_table.grant_read_write_data(sweeper)
        rule = events.Rule(
            self,
            "SweepSchedule",
            description="Run the Sonagram sweeper",
            schedule=events.Schedule.rate(SWEEP_EVERY),
            targets=[targets.LambdaFunction(sweeper)],
        )
        acknowledge(
            rule,
            "Serverless-EventBusDLQ",
            reason="A missed schedule tick carries nothing to replay: the next tick sweeps the "
            "same tables",
        )
        return sweeper

    def _users(self) -> cognito.UserPool:
        users = cognito.UserPool(
            self,
            "Users",
            # Accounts are invited by an administrator, not self-registered.
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(
            users,
            "AwsSolutions-COG2",
            reason="MFA (TOTP) is offered, not forced: annotators working from field stations "
            "and shared lab machines are invited accounts behind a strong password policy",
        )
        acknowledge(
            users,
            "AwsSolutions-COG8",
            reason="The Plus plan's threat protection is billed per active user; a pool of "
            "invited accounts without self sign-up stays on Essentials",
        )
        return users

    def _web_client(self) -> cognito.UserPoolClient:
        """The browser UI's client: the hosted UI signs users in and hands the UI a code.

        The UI is a public client: it cannot keep a client secret, so it proves the code is its
        own with PKCE. No implicit flow, which would put tokens in URLs.
        """
        return self.users.add_client(
            "WebClient",
            generate_secret=False,
            # Passwords go to the hosted UI only: no flow lets a page send one to Cognito's API.
            auth_flows=cognito.AuthFlow(
                user_srp=False, user_password=False, custom=False, admin_user_password=False
            ),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True, implicit_code_grant=False),
                scopes=[
                    cognito.OAuthScope.OPENID,
                    cognito.OAuthScope.EMAIL,
                    cognito.OAuthScope.PROFILE,
                ],
                callback_urls=[f"{origin}/" for origin in self.ui_origins],
                logout_urls=[f"{origin}/" for origin in self.ui_origins],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
        )

    def _api(self, environment: dict[str, str]) -> Chalice:
        """The Chalice app, with the prod stage of .chalice/config.json and the real names.

        chalice.cdk names the Chalice stage after the stack, not "prod": the prod stage's
        settings are passed in explicitly, so .chalice/config.json stays their one source. Its
        environment is every function's (``_environment``): the stage's settings and the names
        of what this stack creates.
        """
        packaged_for = ChaliceConfig().lambda_python_version
        if packaged_for != RUNTIME.name:
            raise RuntimeError(
                f"Chalice would package the API for {packaged_for}, the other functions run "
                f"{RUNTIME.name}: synthesize with the project's venv (.venv/bin/python)"
            )
        stage_config = {**chalice_stage_config(), "environment_variables": environment}
        # Chalice's packager takes the region (for the Lambda service principal) from boto3's
        # environment only, and writes its package under ./chalice.out, which CDK copies into
        # the cloud assembly at once: package in a scratch directory that then goes away.
        with (
            tempfile.TemporaryDirectory(prefix="sonagram-chalice-") as scratch,
            contextlib.chdir(scratch),
            _environ(AWS_DEFAULT_REGION=self.region),
        ):
            api = Chalice(self, "Api", source_dir=str(ROOT), stage_config=stage_config)
        acknowledge(
            api,
            "AwsSolutions-IAM5[Resource::arn:*:logs:*:*:*]",
            reason="Chalice's generated role policy: the API function writes its CloudWatch logs",
        )
        role = api.get_role("DefaultRole")
        # Presigned POSTs and GETs act with the API role's permissions; deleting a recording
        # removes its audio and its images.
        grant_objects(
            role,
            self.recordings,
            "PutObject",
            "GetObject",
            "DeleteObject",
            "AbortMultipartUpload",
            "ListMultipartUploadParts",
        )
        grant_objects(role, self.spectrograms, "GetObject", "DeleteObject")
        self.recordings_table.grant_read_write_data(role)
        self.spectrograms_table.grant_read_write_data(role)
        self.projects_table.grant_read_write_data(role)
        self.annotations_table.grant_read_write_data(role)
        self._verify_users(api)
        # Every route's requests per second and burst: beyond them API Gateway answers 429
        # itself, before the API function runs (the unreserved concurrency must hold the burst).
        api.get_resource("RestAPI").add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": self.options.api_rate_limit,
                    "ThrottlingBurstLimit": self.options.api_burst_limit,
                }
            ],
        )
        return api

    def _verify_users(self, api: Chalice) -> None:
        """API Gateway checks every token against this stack's user pool, and says why it refused.

        app.py's authorizer names a placeholder pool (the real one does not exist when app.py is
        imported): its entry in the packaged API definition gets the pool's ARN instead.
        """
        definition = api.get_resource("RestAPI")
        authorizer = f"DefinitionBody.securityDefinitions.{auth.AUTHORIZER}"
        definition.add_property_override(
            f"{authorizer}.x-amazon-apigateway-authorizer.providerARNs", [self.users.user_pool_arn]
        )
        # API Gateway's own refusals, in our {"error": ...} shape and readable by the UI (CORS).
        definition.add_property_override(
            "DefinitionBody.x-amazon-apigateway-gateway-responses", GATEWAY_RESPONSES
        )

    def _log_group(self, construct_id: str, scope: Construct | None = None) -> logs.LogGroup:
        group = logs.LogGroup(
            scope or self,
            construct_id,
            # CDK's RetentionDays names periods; the stage gives days (checked against the
            # periods CloudWatch accepts), written straight into the template.
            retention=logs.RetentionDays.INFINITE,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        group.node.default_child.retention_in_days = self.options.log_retention_days
        return group

    def _retain_logs_of_every_function(self) -> None:
        """Give each function that has no log group of ours one, with the stage's retention.

        Chalice's API function and CDK's own handlers (the bucket notifications, the UI
        deployment) would otherwise log to a group that Lambda creates and keeps forever.
        """
        for construct in self.node.find_all():
            if not isinstance(construct, cdk.CfnResource) or construct.cfn_resource_type not in (
                "AWS::Lambda::Function",
                "AWS::Serverless::Function",
            ):
                continue
            resolved = self.resolve(getattr(construct, "logging_config", None)) or {}
            if resolved.get("logGroup") or resolved.get("LogGroup"):
                continue
            group = self._log_group("Logs", scope=construct.node.scope)
            construct.add_property_override("LoggingConfig.LogGroup", group.log_group_name)

    def _alarm_topic(self) -> sns.Topic:
        topic = sns.Topic(self, "Alarms", display_name="Sonagram alarms", enforce_ssl=True)
        acknowledge(
            topic,
            "AwsSolutions-SNS2",
            reason="The topic carries alarm state changes only (alarm name, metric, threshold), "
            "no recording or user data; CloudWatch cannot publish to a topic encrypted with the "
            "AWS-managed key, and a customer key would cost more than the rest of an idle stage",
        )
        if self.options.alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(self.options.alarm_email))
            acknowledge(
                topic,
                "Serverless-SNSRedrivePolicy",
                reason="An email the mail server refuses has nowhere more useful to go: the "
                "alarm itself stays in ALARM, visible in the CloudWatch console",
            )
        return topic

    def _alarms(self, worker: lambda_.Function, failures: sqs.Queue) -> None:
        """Alarms on what needs a person: lost renders, failing, starved or slow workers."""
        for construct_id, metric, threshold, periods, description in (
            (
                "WorkerFailuresAlarm",
                failures.metric_approximate_number_of_messages_visible(
                    period=ALARM_PERIOD, statistic="Maximum"
                ),
                1,
                1,
                "An upload's event failed every retry and waits in the WorkerFailures queue: "
                "its spectrogram was not rendered",
            ),
            (
                "WorkerErrorsAlarm",
                worker.metric_errors(period=ALARM_PERIOD, statistic="Sum"),
                WORKER_ERRORS_PER_PERIOD,
                1,
                f"The spectrogram worker raised {WORKER_ERRORS_PER_PERIOD} or more errors in 5 "
                "minutes (each is retried; the failure queue alarm says when one is lost)",
            ),
            (
                "WorkerThrottlesAlarm",
                worker.metric_throttles(period=ALARM_PERIOD, statistic="Sum"),
                1,
                THROTTLED_PERIODS,
                "The spectrogram worker has been throttled for 15 minutes: uploads arrive "
                "faster than its reserved concurrency renders them",
            ),
            (
                "WorkerDurationAlarm",
                worker.metric_duration(period=ALARM_PERIOD, statistic="Maximum"),
                SLOW_RENDER_S * 1000,
                1,
                f"A render took over {SLOW_RENDER_S:.0f} s of the worker's {WORKER_TIMEOUT_S} s "
                "timeout: longer audio may soon fail with the watchdog's message",
            ),
        ):
            alarm = cloudwatch.Alarm(
                self,
                construct_id,
                metric=metric,
                threshold=threshold,
                evaluation_periods=periods,
                datapoints_to_alarm=periods,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description=description,
            )
            alarm.add_alarm_action(cloudwatch_actions.SnsAction(self.alarm_topic))
            alarm.add_ok_action(cloudwatch_actions.SnsAction(self.alarm_topic))

    def _ui_hosting(self, access_logs: s3.IBucket) -> tuple[s3.Bucket, cloudfront.Distribution]:
        """A private bucket for the built UI and a CloudFront distribution that alone reads it."""
        bucket = s3.Bucket(
            self,
            "Ui",
            **PRIVATE_BUCKET,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="ui/",
            # Built from the repository at every deploy: nothing in it needs keeping.
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        distribution = cloudfront.Distribution(
            self,
            "UiDistribution",
            comment="Sonagram browser UI",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR1",
            "AwsSolutions-CFR2",
            reason="The UI is the same static files for everyone and holds no data: every "
            "request that reads or changes data goes to API Gateway, behind Cognito",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR3",
            reason="CloudFront's standard logs need a bucket with ACLs enabled; the static "
            "files' fetches are in the UI bucket's server access logs, and every data request "
            "is in API Gateway's and the data buckets' logs",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR4",
            reason="The distribution answers on its cloudfront.net name, whose default "
            "certificate allows no minimum TLS version to be set; a custom domain with its own "
            "certificate would",
        )
        return bucket, distribution

    def _deploy_ui(self, ui_dist: Path, settings: Settings) -> None:
        """Copy the built UI to its bucket with the config.json that points it at this stage.

        config.json has the shape frontend/src/config.ts's parseConfig reads; its values exist
        only once the stack is deployed, and the deployment fills them in then.
        """
        config = ui_config(
            settings,
            api_url=self.api_url,
            auth={
                "kind": "cognito",
                "domain": f"{self.hosted_ui.domain_name}.auth.{self.region}.amazoncognito.com",
                "clientId": self.web_client.user_pool_client_id,
                "redirectUri": f"{self.ui_origins[0]}/",
            },
        )
        deployment = s3deploy.BucketDeployment(
            self,
            "UiDeployment",
            sources=[
                s3deploy.Source.asset(str(ui_dist)),
                s3deploy.Source.json_data(UI_CONFIG, config),
            ],
            destination_bucket=self.ui_bucket,
            # Revalidated on every load (ETags make it cheap), so a deploy shows at once.
            cache_control=[s3deploy.CacheControl.no_cache()],
            distribution=self.ui_distribution,
            distribution_paths=["/*"],
            retain_on_delete=False,
            log_group=self._log_group("UiDeploymentLogs"),
        )
        self.ui_config = config
        self.ui_deployment = deployment
        (handler,) = (
            child
            for child in self.node.children
            if child.node.id.startswith("Custom::CDKBucketDeployment")
        )
        assets = (
            f"arn:{self.partition}:s3:::cdk-{cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER}"
            f"-assets-<AWS::AccountId>-{self.region}/*"
        )
        acknowledge(
            handler,
            *(
                f"AwsSolutions-IAM5[Action::s3:{action}*]"
                for action in ("GetBucket", "GetObject", "List", "Abort", "DeleteObject")
            ),
            f"AwsSolutions-IAM5[Resource::{assets}]",
            f"AwsSolutions-IAM5[Resource::<{self._logical_id(self.ui_bucket)}.Arn>/*]",
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

    def _acknowledge_function(self, function: lambda_.Function) -> None:
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

    def _acknowledge_wildcards(self) -> None:
        for bucket in (self.recordings, self.spectrograms):
            acknowledge(
                self,
                f"AwsSolutions-IAM5[Resource::<{self._logical_id(bucket)}.Arn>/*]",
                reason="Object keys are generated per recording: a role that handles any "
                "recording acts on any key of this one bucket",
            )
        for table in (self.recordings_table, self.spectrograms_table, self.projects_table):
            acknowledge(
                self,
                f"AwsSolutions-IAM5[Resource::<{self._logical_id(table)}.Arn>/index/*]",
                reason="The table's own secondary indexes, which the models query",
            )

    def _logical_id(self, construct: Construct) -> str:
        return self.get_logical_id(construct.node.default_child)


def acknowledge(scope: Construct, *findings: str, reason: str) -> None:
    """Accept cdk-nag findings on ``scope`` and below, each for the reason written here."""
    cdk.Validations.of(scope).acknowledge(
        *(cdk.Acknowledgment(id=finding, reason=reason) for finding in findings)
    )


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


def table_from_model(scope: Construct, construct_id: str, model: type[Model]) -> dynamodb.Table:
    """The DynamoDB table a PynamoDB model describes: its keys and GSIs, on demand, with PITR."""
    schema = model._get_schema()
    if schema["local_secondary_indexes"]:
        raise ValueError(f"{model.__name__} has local secondary indexes: map them here first")
    types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
    table = dynamodb.Table(
        scope,
        construct_id,
        **_keys(schema["key_schema"], types),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        deletion_protection=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    for index in schema["global_secondary_indexes"]:
        projection = index["projection"]
        table.add_global_secondary_index(
            index_name=index["index_name"],
            **_keys(index["key_schema"], types),
            projection_type=dynamodb.ProjectionType[projection["ProjectionType"]],
            non_key_attributes=projection.get("NonKeyAttributes"),
        )
    return table


def _keys(key_schema: list[dict], types: dict[str, str]) -> dict[str, dynamodb.Attribute]:
    """PynamoDB's key schema as CDK's ``partition_key``/``sort_key`` arguments."""
    return {
        KEY_ROLES[key["KeyType"]]: dynamodb.Attribute(
            name=key["AttributeName"], type=ATTRIBUTE_TYPES[types[key["AttributeName"]]]
        )
        for key in key_schema
    }


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


def chalice_stage_config() -> dict:
    """The settings of the API's stage in .chalice/config.json, their one source."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    return config["stages"][CHALICE_STAGE]


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of a block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
