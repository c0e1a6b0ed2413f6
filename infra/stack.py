"""The cloud stage as one CDK stack: what infra/local/cloud.py provisions locally, the AWS way.

Each concern is one construct, in its own module: the buckets (infra/storage.py), the tables
(infra/tables.py), the worker and the sweeper (infra/rendering.py), the API and its sign-in
(infra/api.py), the alarms (infra/alarms.py) and the browser UI on CloudFront
(infra/ui_hosting.py). What each deployment may choose is in infra/options.py. The concerns'
constructs stay out of the resources' logical IDs (infra/logical_ids.py), which are those of
the stack before it was split, so a deployed stage updates in place.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import Construct

from chalicelib.config import Settings
from chalicelib.ui_config import ui_config
from infra import logical_ids
from infra.alarms import Alarms
from infra.api import GATEWAY_MAX_REQUEST_MB, Api, chalice_stage_config, sign_in_origin
from infra.csp import content_security_policy
from infra.lambdas import ROOT, retain_logs_of_every_function
from infra.nag import acknowledge
from infra.options import StageOptions
from infra.rendering import (
    LAYER_BUILD_COMMAND,
    SWEEP_EVERY,
    WORKER_TIMEOUT_S,
    Rendering,
)
from infra.storage import Storage, access_logs_bucket, presigned_url_origin
from infra.tables import Tables
from infra.ui_hosting import UiHosting

# What the tests and infra/app.py read from here.
__all__ = ["GATEWAY_MAX_REQUEST_MB", "ROOT", "SonagramStack"]

UI_DIST = ROOT / "frontend" / "dist"
UI_BUILD_COMMAND = "make ui"


class SonagramStack(cdk.Stack):
    """Buckets, tables, the spectrogram worker, the sweeper, the Chalice API, Cognito, alarms
    and, when ``options.host_ui``, the browser UI on CloudFront.

    The buckets answer browser uploads and reads from the UI's origins only (CloudFront's and
    ``options.ui_origin``), and the hosted UI sends users back to them. ``worker_layer_zip`` is
    what ``make layer`` writes, ``ui_dist`` what ``make ui`` builds. The stack needs a concrete
    region (``env``): Chalice packages the API for one.
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

        access_logs = access_logs_bucket(self)
        # The UI's bucket and distribution come first: the buckets' CORS and the sign-in
        # redirects name the distribution's origin. "Default" is the one construct ID that CDK
        # leaves out of the names it generates from paths (the CloudFront origin's ID, the
        # origin access control's name, the UI bucket's ownership tag): they stay as deployed.
        self.ui = (
            UiHosting(
                self,
                "Default",
                access_logs=access_logs,
                log_retention_days=options.log_retention_days,
                content_security_policy=self._content_security_policy(),
            )
            if options.host_ui
            else None
        )
        self.ui_bucket = self.ui and self.ui.bucket
        self.ui_distribution = self.ui and self.ui.distribution
        self.ui_origins = [
            origin for origin in (self.ui and self.ui.origin, options.ui_origin) if origin
        ]
        self.storage = Storage(self, "Storage", access_logs=access_logs, ui_origins=self.ui_origins)
        self.recordings, self.spectrograms = self.storage.recordings, self.storage.spectrograms
        self.tables = Tables(self, "Tables")
        self.recordings_table = self.tables.recordings
        self.spectrograms_table = self.tables.spectrograms
        self.projects_table = self.tables.projects
        self.annotations_table = self.tables.annotations
        self.members_table = self.tables.members
        self.assignments_table = self.tables.assignments
        self.tallies_table = self.tables.tallies
        self.work_table = self.tables.work
        self.project_recordings_table = self.tables.project_recordings
        environment = self._environment()

        self.rendering = Rendering(
            self,
            "Rendering",
            options=options,
            storage=self.storage,
            tables=self.tables,
            environment=environment,
            worker_layer_zip=worker_layer_zip,
        )
        self.worker, self.sweeper = self.rendering.worker, self.rendering.sweeper
        self.alarms = Alarms(
            self, "Alarms", rendering=self.rendering, alarm_email=options.alarm_email
        )
        self.alarm_topic = self.alarms.topic
        self.api = Api(
            self,
            "Api",
            options=options,
            ui_origins=self.ui_origins,
            storage=self.storage,
            tables=self.tables,
            environment=environment,
            worker=self.worker,
        )
        self.users, self.web_client, self.hosted_ui = (
            self.api.users,
            self.api.web_client,
            self.api.hosted_ui,
        )
        self.api_url = self.api.url
        if self.ui is not None:
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
        retain_logs_of_every_function(self, options.log_retention_days)

    def _content_security_policy(self) -> str:
        """The hosted UI's policy: it talks to the API, the buckets and the sign-in domain.

        The API's origin is any of API Gateway's in the region: naming this stage's would make
        the distribution wait for the API, whose function names the distribution's origin (a
        cycle CloudFormation refuses). The buckets' origin is S3's regional endpoint, shared by
        every bucket anyway, since the API signs path-style URLs.
        """
        return content_security_policy(
            api_origin=f"https://*.execute-api.{self.region}.{self.url_suffix}",
            bucket_origins=[presigned_url_origin(self.region)],
            sign_in_origin=sign_in_origin(self, self.options),
        )

    def _allocate_logical_id(self, cfn_element: cdk.CfnElement) -> str:
        return logical_ids.allocate(self, cfn_element)

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

    def _deploy_ui(self, ui_dist: Path, settings: Settings) -> None:
        """Copy the built UI to its bucket with the config.json that points it at this stage."""
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
        self.ui.deploy(ui_dist, config)
