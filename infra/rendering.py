"""The spectrogram worker, invoked by every upload, and the sweeper that picks up after it."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.lambdas import ARCHITECTURE, ROOT, RUNTIME, acknowledge_function, log_group
from infra.logical_ids import Concern
from infra.nag import acknowledge
from infra.options import StageOptions
from infra.storage import Storage, grant_objects
from infra.tables import Tables

LAYER_BUILD_COMMAND = "make layer"
WORKER_TIMEOUT_S = 300
# From make bench's fan-out rows: 1,024 MB is the cheapest size that renders 1,000 hours
# at once in about 30 s (512 MB: twice that); a render's peak memory is ~170 MB.
WORKER_MEMORY_MB = 1024
WORKER_RETRIES = 2
SWEEPER_TIMEOUT_S = 60
SWEEP_EVERY = cdk.Duration.minutes(5)

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


class Rendering(Concern):
    """The worker layer, the worker (S3 ObjectCreated on recordings -> images and manifest)
    with its failure queue, and the sweeper on its schedule.

    Locally a queue and a bridge stand between the recordings bucket and the worker; here the
    bucket invokes the worker Lambda directly, Lambda retries a failed event and then parks it
    in the ``failures`` queue. ``environment`` is every function's (chalicelib.config.Settings).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        options: StageOptions,
        storage: Storage,
        tables: Tables,
        environment: dict[str, str],
        worker_layer_zip: Path,
    ) -> None:
        super().__init__(scope, construct_id)
        self.options = options
        self.storage = storage
        self.tables = tables
        layer = lambda_.LayerVersion(
            self,
            "WorkerLayer",
            code=lambda_.Code.from_asset(str(worker_layer_zip)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="numpy, soundfile, PyAV and Powertools for the spectrogram engine; "
            "pynamodb",
        )
        self.code = lambda_.Code.from_asset(str(ROOT), exclude=FUNCTION_CODE_EXCLUDE)
        # Both carry pynamodb, in the layer, for the tables.
        self.layer = layer
        self.environment = environment
        self.worker, self.failures = self._worker()
        self.sweeper = self._sweeper()

    def _function(
        self, construct_id: str, *, environment: dict[str, str] | None = None, **settings
    ) -> lambda_.Function:
        """A function of ours: our code and layer on the layer's runtime, every function's
        environment (and its own), and a log group kept for the stage's retention."""
        function = lambda_.Function(
            self,
            construct_id,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=self.code,
            layers=[self.layer],
            environment={**self.environment, **(environment or {})},
            log_group=log_group(self, f"{construct_id}Logs", self.options.log_retention_days),
            **settings,
        )
        acknowledge_function(function)
        return function

    def _worker(self) -> tuple[lambda_.Function, sqs.Queue]:
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
        worker = self._function(
            "SpectrogramWorker",
            description="S3 ObjectCreated on recordings -> spectrogram images and manifest",
            handler="functions.spectrogram_worker.handler",
            timeout=cdk.Duration.seconds(WORKER_TIMEOUT_S),
            memory_size=WORKER_MEMORY_MB,
            retry_attempts=WORKER_RETRIES,
            on_failure=destinations.SqsDestination(failures),
            # The rest of the account's concurrency stays free for the API (infra/options.py).
            reserved_concurrent_executions=self.options.worker_concurrency,
            # It reads the detector presets of a recording's project (and its recordings, to
            # run them on each), and counts the proposals it stores in the project's tallies.
            environment={
                "PROJECTS_TABLE": self.tables.projects.table_name,
                "TALLIES_TABLE": self.tables.tallies.table_name,
                "PROJECT_RECORDINGS_TABLE": self.tables.project_recordings.table_name,
            },
        )
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
        grant_objects(worker, self.storage.recordings, "GetObject")
        grant_objects(worker, self.storage.spectrograms, "PutObject", "DeleteObject")
        self.tables.recordings.grant_read_write_data(worker)
        self.tables.spectrograms.grant_read_write_data(worker)
        # Detector proposals go into the annotation sets, measurements beside them; the
        # presets are the project's.
        self.tables.annotations.grant_read_write_data(worker)
        self.tables.tallies.grant_read_write_data(worker)
        self.tables.project_recordings.grant_read_data(worker)
        worker.add_to_role_policy(
            iam.PolicyStatement(
                actions=["dynamodb:GetItem"], resources=[self.tables.projects.table_arn]
            )
        )
        self._invoking_itself(worker)
        self.storage.recordings.add_event_notification(
            s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(worker)
        )
        cdk.CfnOutput(self, "WorkerFailuresQueueUrl", value=failures.queue_url)
        return worker, failures

    def _invoking_itself(self, worker: lambda_.Function) -> None:
        """Let the worker queue tasks for itself (a project's detection fans out into one
        task per recording; measuring left over at the deadline goes on in a new task).

        A policy of its own: in the role's default policy, which the function waits for, the
        function's own ARN would be a cycle CloudFormation refuses.
        """
        iam.Policy(
            self,
            "WorkerInvokesItself",
            roles=[worker.role],
            statements=[
                iam.PolicyStatement(
                    actions=["lambda:InvokeFunction"], resources=[worker.function_arn]
                )
            ],
        )

    def _sweeper(self) -> lambda_.Function:
        sweeper = self._function(
            "Sweeper",
            description="Announces again or fails spectrograms left PENDING or PROCESSING",
            handler="functions.sweeper.handler",
            timeout=cdk.Duration.seconds(SWEEPER_TIMEOUT_S),
            memory_size=512,
            # The next scheduled run redoes a failed sweep.
            retry_attempts=0,
            # Purging a recording a request left DELETING (chalicelib/deletions.py) takes it
            # out of its project's listing, counts and assignments.
            environment={
                name: table.table_name
                for name, table in (
                    ("TALLIES_TABLE", self.tables.tallies),
                    ("ASSIGNMENTS_TABLE", self.tables.assignments),
                    ("WORK_TABLE", self.tables.work),
                    ("PROJECT_RECORDINGS_TABLE", self.tables.project_recordings),
                )
            },
        )
        acknowledge(
            sweeper,
            "Serverless-LambdaDLQ",
            "Serverless-LambdaAsyncFailureDestination",
            reason="A sweep has no event worth keeping: it reads the tables afresh, and the "
            "next scheduled run, 5 minutes later, redoes a failed one",
        )
        # It announces an upload again by copying the audio onto itself, removes the images
        # of attempts that died, and purges what deletions left: audio, images, boxes, rows.
        grant_objects(
            sweeper,
            self.storage.recordings,
            "GetObject",
            "PutObject",
            "DeleteObject",
            "AbortMultipartUpload",
            "ListMultipartUploadParts",
        )
        grant_objects(sweeper, self.storage.spectrograms, "DeleteObject")
        for table in (
            self.tables.recordings,
            self.tables.spectrograms,
            self.tables.annotations,
            self.tables.tallies,
            self.tables.assignments,
            self.tables.work,
            self.tables.project_recordings,
        ):
            table.grant_read_write_data(sweeper)
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
