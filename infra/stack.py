"""The cloud stage as one CDK stack: what infra/local/cloud.py provisions locally, the AWS way.

Locally a queue and a bridge stand between the recordings bucket and the worker; here the bucket
invokes the worker Lambda directly, Lambda retries a failed event and then parks it in an SQS
queue. The HTTP API is the Chalice app, packaged by ``chalice.cdk``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks
from chalice.cdk import Chalice
from chalice.config import Config as ChaliceConfig
from constructs import Construct
from pynamodb.models import Model

from chalicelib import auth
from chalicelib.config import Settings
from chalicelib.models import (
    AnnotationChunkModel,
    ProjectModel,
    RecordingModel,
    SpectrogramModel,
)
from infra.cors import cors_rules
from layers import build_layer

ROOT = Path(__file__).resolve().parents[1]
STAGE = "prod"
LAYER_BUILD_COMMAND = "make layer"

# Every function runs where the layer's wheels load: the runtime and architecture that
# layers/build_layer.py builds and smoke-tests for. Chalice packages the API for the Python
# running the synth (the venv's 3.12; SonagramStack checks it).
RUNTIME = lambda_.Runtime(build_layer.RUNTIME, lambda_.RuntimeFamily.PYTHON)
ARCHITECTURE = lambda_.Architecture.X86_64
WORKER_TIMEOUT_S = 300
WORKER_MEMORY_MB = 2048
# /tmp holds the downloaded upload (at most 100 MiB) while it is decoded; tiles stream to S3.
WORKER_EPHEMERAL_MIB = 1024
WORKER_RETRIES = 2
SWEEPER_TIMEOUT_S = 60
SWEEP_EVERY = cdk.Duration.minutes(5)
LOG_RETENTION = logs.RetentionDays.THREE_MONTHS

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

# API Gateway answers these itself, before any route runs: a missing, expired or forged token,
# and any other request it refuses (the gateway's message, quoted) or fails.
GATEWAY_RESPONSES = {
    kind: {
        "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
        "responseTemplates": {"application/json": f'{{"error": {message}}}'},
    }
    for kind, message in {
        "UNAUTHORIZED": json.dumps(
            "sign in first: send 'Authorization: Bearer <ID token>' of a current sign-in"
        ),
        "DEFAULT_4XX": "$context.error.messageString",
        "DEFAULT_5XX": "$context.error.messageString",
    }.items()
}

ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
KEY_ROLES = {"HASH": "partition_key", "RANGE": "sort_key"}


class SonagramStack(cdk.Stack):
    """Buckets, tables, the spectrogram worker, the sweeper, the Chalice API and Cognito.

    ``ui_origin`` is the browser UI's origin (``scheme://host[:port]``): the buckets answer
    browser uploads and reads from it only, and the hosted UI sends users back to it.
    ``worker_layer_zip`` is what ``make layer`` writes. ``auth_domain_prefix`` names the hosted
    UI's domain, ``https://<prefix>.auth.<region>.amazoncognito.com``; it must be unique in the
    region, and defaults to the stack's name and account. The stack needs a concrete region
    (``env``): Chalice packages the API for one.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ui_origin: str,
        worker_layer_zip: Path,
        auth_domain_prefix: str | None = None,
        **kwargs,
    ) -> None:
        if not worker_layer_zip.is_file():
            raise FileNotFoundError(
                f"the worker layer {worker_layer_zip} is missing: build it with "
                f"`{LAYER_BUILD_COMMAND}` first"
            )
        super().__init__(scope, construct_id, **kwargs)
        if cdk.Token.is_unresolved(self.region):
            raise ValueError("SonagramStack needs env=cdk.Environment(region=...)")
        cdk.Validations.of(self).add_plugins(AwsSolutionsChecks(self))
        acknowledge(
            self,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            reason="The worker's, the sweeper's and CDK's bucket notification handler's roles: "
            "AWSLambdaBasicExecutionRole grants CloudWatch Logs writes only",
        )

        access_logs = self._access_logs_bucket()
        self.recordings = self._bucket("Recordings", ui_origin, access_logs)
        self.spectrograms = self._bucket("Spectrograms", ui_origin, access_logs)
        self.recordings_table = table_from_model(self, "RecordingsTable", RecordingModel)
        self.spectrograms_table = table_from_model(self, "SpectrogramsTable", SpectrogramModel)
        self.projects_table = table_from_model(self, "ProjectsTable", ProjectModel)
        self.annotations_table = table_from_model(self, "AnnotationsTable", AnnotationChunkModel)
        environment = self._environment(ui_origin)

        layer = lambda_.LayerVersion(
            self,
            "WorkerLayer",
            code=lambda_.Code.from_asset(str(worker_layer_zip)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="numpy, soundfile and PyAV for the spectrogram engine; pynamodb",
        )
        code = lambda_.Code.from_asset(str(ROOT), exclude=FUNCTION_CODE_EXCLUDE)
        self.worker = self._worker(code, layer, environment)
        self.sweeper = self._sweeper(code, layer, environment)
        self.users = self._users()
        self.web_client = self._web_client(ui_origin)
        self.hosted_ui = self.users.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(
                domain_prefix=auth_domain_prefix or f"{self.stack_name.lower()}-{self.account}"
            ),
        )
        # Only the API deals with projects.
        self.api = self._api({**environment, "PROJECTS_TABLE": self.projects_table.table_name})

        # What the browser UI needs to sign in (authorization code + PKCE through the hosted UI).
        for name, value in {
            "RecordingsBucketName": self.recordings.bucket_name,
            "SpectrogramsBucketName": self.spectrograms.bucket_name,
            "UserPoolId": self.users.user_pool_id,
            "UserPoolClientId": self.web_client.user_pool_client_id,
            "HostedUiUrl": self.hosted_ui.base_url(),
        }.items():
            cdk.CfnOutput(self, name, value=value)
        self._acknowledge_wildcards()

    def _access_logs_bucket(self) -> s3.Bucket:
        return s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # S3 server access logging delivers only to SSE-S3 buckets.
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    def _bucket(self, construct_id: str, ui_origin: str, access_logs: s3.IBucket) -> s3.Bucket:
        # No bucket policy grants reads: audio and images reach the browser only through
        # presigned URLs that the API signs.
        return s3.Bucket(
            self,
            construct_id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            cors=cdk_cors_rules(ui_origin),
            lifecycle_rules=[
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=cdk.Duration.days(1))
            ],
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{construct_id.lower()}/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    def _environment(self, ui_origin: str) -> dict[str, str]:
        """What chalicelib.config.Settings reads, for every function of the stage: the prod
        stage's settings in .chalice/config.json (checked here, so a bad one stops the synth)
        and the names of what this stack creates."""
        settings = prod_stage().get("environment_variables", {})
        Settings.from_environ({**settings, "SONAGRAM_STAGE": STAGE})
        return {
            **settings,
            "SONAGRAM_STAGE": STAGE,
            "RECORDINGS_BUCKET": self.recordings.bucket_name,
            "SPECTROGRAMS_BUCKET": self.spectrograms.bucket_name,
            "RECORDINGS_TABLE": self.recordings_table.table_name,
            "SPECTROGRAMS_TABLE": self.spectrograms_table.table_name,
            "ANNOTATIONS_TABLE": self.annotations_table.table_name,
            # The worker's watchdog and the sweeper's "stuck" threshold follow the real timeout.
            "JOB_TIMEOUT_S": str(WORKER_TIMEOUT_S),
            "UI_ORIGIN": ui_origin,
        }

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
            ephemeral_storage_size=cdk.Size.mebibytes(WORKER_EPHEMERAL_MIB),
            environment=environment,
            retry_attempts=WORKER_RETRIES,
            on_failure=destinations.SqsDestination(failures),
            log_group=self._log_group("SpectrogramWorkerLogs"),
        )
        self._acknowledge_function(worker)
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
        # It announces an upload again by copying the audio onto itself, and removes the
        # images of attempts that died.
        grant_objects(sweeper, self.recordings, "GetObject", "PutObject")
        grant_objects(sweeper, self.spectrograms, "DeleteObject")
        self.recordings_table.grant_read_data(sweeper)
        self.spectrograms_table.grant_read_write_data(sweeper)
        events.Rule(
            self,
            "SweepSchedule",
            description="Run the Sonagram sweeper",
            schedule=events.Schedule.rate(SWEEP_EVERY),
            targets=[targets.LambdaFunction(sweeper)],
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

    def _web_client(self, ui_origin: str) -> cognito.UserPoolClient:
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
                callback_urls=[f"{ui_origin}/"],
                logout_urls=[f"{ui_origin}/"],
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
        stage_config = {**prod_stage(), "environment_variables": environment}
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
        grant_objects(role, self.recordings, "PutObject", "GetObject", "DeleteObject")
        grant_objects(role, self.spectrograms, "GetObject", "DeleteObject")
        self.recordings_table.grant_read_write_data(role)
        self.spectrograms_table.grant_read_write_data(role)
        self.projects_table.grant_read_write_data(role)
        self.annotations_table.grant_read_write_data(role)
        self._verify_users(api)
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

    def _log_group(self, construct_id: str) -> logs.LogGroup:
        return logs.LogGroup(
            self, construct_id, retention=LOG_RETENTION, removal_policy=cdk.RemovalPolicy.RETAIN
        )

    def _acknowledge_function(self, function: lambda_.Function) -> None:
        acknowledge(
            function,
            "AwsSolutions-L1",
            reason=f"{RUNTIME.name} is the runtime the worker layer's wheels are built and "
            "smoke-tested for (layers/build_layer.py)",
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
    retryable access error instead of "does not exist".
    """
    iam.Grant.add_to_principal(
        grantee=grantee, actions=["s3:ListBucket"], resource_arns=[bucket.bucket_arn]
    )
    iam.Grant.add_to_principal(
        grantee=grantee,
        actions=[f"s3:{action}" for action in actions],
        resource_arns=[bucket.arn_for_objects("*")],
    )


def prod_stage() -> dict:
    """The prod stage of .chalice/config.json: the one source of the cloud stage's settings."""
    return json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][STAGE]


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


def cdk_cors_rules(ui_origin: str) -> list[s3.CorsRule]:
    """The buckets' browser CORS rules (infra/cors.py, which the local cloud sets too) for CDK."""
    return [
        s3.CorsRule(
            allowed_origins=rule["AllowedOrigins"],
            allowed_methods=[s3.HttpMethods[method] for method in rule["AllowedMethods"]],
            allowed_headers=rule["AllowedHeaders"],
            exposed_headers=rule["ExposeHeaders"],
            max_age=rule["MaxAgeSeconds"],
        )
        for rule in cors_rules(ui_origin)["CORSRules"]
    ]


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
