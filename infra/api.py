"""The HTTP API (the Chalice app, packaged by ``chalice.cdk``) and the sign-in it checks."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from chalice.cdk import Chalice
from chalice.config import Config as ChaliceConfig
from constructs import Construct

from chalicelib import auth
from chalicelib.annotations import MAX_SET_BYTES
from infra import logical_ids
from infra.lambdas import ROOT, RUNTIME
from infra.logical_ids import Concern
from infra.nag import acknowledge
from infra.options import StageOptions
from infra.storage import Storage, grant_objects
from infra.tables import Tables

# The stage of .chalice/config.json whose settings the API function gets, whatever the
# deployment's own stage is called.
CHALICE_STAGE = "prod"

# How long a sign-in lasts: API Gateway refuses an ID token older than this (401), and the UI
# then shows its sign-in screen again. Short, because the token sits in the page's
# sessionStorage; long enough to annotate a few recordings without being sent back.
ID_TOKEN_LIFETIME = cdk.Duration.minutes(30)
# The UI keeps no refresh token (it reads only the ID token): the shortest Cognito allows.
REFRESH_TOKEN_LIFETIME = cdk.Duration.minutes(60)
API_ORIGIN = "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"

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


class Api(Concern):
    """Cognito's user pool, its hosted UI and the browser UI's client, and the Chalice API
    behind API Gateway, which checks every token against the pool.

    The hosted UI's domain is ``https://<prefix>.auth.<region>.amazoncognito.com``; the prefix
    must be unique in the region, and defaults to the stack's name and account. The hosted UI
    sends users back to ``ui_origins``. ``environment`` is every function's; the API's adds
    the projects table.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        options: StageOptions,
        ui_origins: list[str],
        storage: Storage,
        tables: Tables,
        environment: dict[str, str],
        worker: lambda_.IFunction,
    ) -> None:
        super().__init__(scope, construct_id)
        self.options = options
        self.users = self._users()
        self.web_client = self._web_client(ui_origins)
        self.hosted_ui = self.users.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(
                domain_prefix=sign_in_domain_prefix(cdk.Stack.of(self), options)
            ),
        )
        # Its tasks (measure, detect) go to the worker, invoked asynchronously.
        self.chalice = self._chalice(
            {
                **environment,
                "PROJECTS_TABLE": tables.projects.table_name,
                "MEMBERS_TABLE": tables.members.table_name,
                "ASSIGNMENTS_TABLE": tables.assignments.table_name,
                "TALLIES_TABLE": tables.tallies.table_name,
                "WORK_TABLE": tables.work.table_name,
                "PROJECT_RECORDINGS_TABLE": tables.project_recordings.table_name,
                "WORKER_FUNCTION": worker.function_name,
                # Members are added by their Cognito username or e-mail (chalicelib/users.py).
                "USER_POOL_ID": self.users.user_pool_id,
            },
            storage,
            tables,
            worker,
        )
        self.url = cdk.Fn.sub(
            API_ORIGIN + "/" + chalice_stage_config()["api_gateway_stage"],
            {"RestAPI": self.chalice.get_resource("RestAPI").ref},
        )

    def to_string(self) -> str:
        # chalice.cdk names the API's Chalice stage (in its package and tags) after its scope's
        # path: the stack's, as before the API had a construct of its own.
        return cdk.Stack.of(self).to_string()

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

    def _web_client(self, ui_origins: list[str]) -> cognito.UserPoolClient:
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
                callback_urls=[f"{origin}/" for origin in ui_origins],
                logout_urls=[f"{origin}/" for origin in ui_origins],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
            id_token_validity=ID_TOKEN_LIFETIME,
            access_token_validity=ID_TOKEN_LIFETIME,
            refresh_token_validity=REFRESH_TOKEN_LIFETIME,
        )

    def _chalice(
        self,
        environment: dict[str, str],
        storage: Storage,
        tables: Tables,
        worker: lambda_.IFunction,
    ) -> Chalice:
        """The Chalice app, with the prod stage of .chalice/config.json and the real names.

        chalice.cdk names the Chalice stage after the stack, not "prod": the prod stage's
        settings are passed in explicitly, so .chalice/config.json stays their one source.
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
            _environ(AWS_DEFAULT_REGION=cdk.Stack.of(self).region),
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
            storage.recordings,
            "PutObject",
            "GetObject",
            "DeleteObject",
            "AbortMultipartUpload",
            "ListMultipartUploadParts",
        )
        grant_objects(role, storage.spectrograms, "GetObject", "DeleteObject")
        for table in (
            tables.recordings,
            tables.spectrograms,
            tables.projects,
            tables.annotations,
            tables.members,
            tables.assignments,
            tables.tallies,
            tables.work,
            tables.project_recordings,
        ):
            table.grant_read_write_data(role)
        # Run detector and measuring after a save send the worker a task (chalicelib/tasks.py):
        # the function itself, none of its versions or aliases (grant_invoke's ":*").
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[worker.function_arn])
        )
        # Adding a member finds their account by username or e-mail, nothing more.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["cognito-idp:ListUsers"], resources=[self.users.user_pool_arn]
            )
        )
        # CDK names the role's policy after the role's path: keep the name it had before.
        stack = cdk.Stack.of(self)
        for policy in api.node.find_all():
            if isinstance(policy, iam.CfnPolicy):
                policy.policy_name = logical_ids.name_without_concerns(
                    stack, stack.resolve(policy.policy_name)
                )
        self._verify_users(api)
        # Every route's requests per second and burst: beyond them API Gateway answers 429
        # itself, before the API function runs (the unreserved concurrency must hold the burst).
        rest_api = api.get_resource("RestAPI")
        # Any OpenApiVersion stops the SAM transform from adding a second stage, named "Stage",
        # without the throttle below; the definition is Swagger 2.0, as Chalice writes it.
        rest_api.add_property_override("OpenApiVersion", "2.0")
        rest_api.add_property_override(
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


def sign_in_domain_prefix(stack: cdk.Stack, options: StageOptions) -> str:
    """The hosted UI's domain prefix: the deploy's choice, else the stack's name and account."""
    return options.auth_domain_prefix or f"{stack.stack_name.lower()}-{stack.account}"


def sign_in_origin(stack: cdk.Stack, options: StageOptions) -> str:
    """Where the browser trades its sign-in code for tokens: the hosted UI's domain."""
    prefix = sign_in_domain_prefix(stack, options)
    return f"https://{prefix}.auth.{stack.region}.amazoncognito.com"


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
