"""The cloud stack, synthesized offline: the wiring the pipeline relies on, cdk-nag, cfn-lint
and the SAM transform.

Synthesized for a concrete account and region, as ``cdk deploy`` and ``cdk destroy`` do (and
without an account, as ``cdk synth`` without credentials does). Needs the ``infra`` extra and
Node (jsii runs aws-cdk-lib in it); not the CDK CLI, AWS credentials or a built layer (a stub
zip stands in for it).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import aws_cdk as cdk
import boto3
import cfnlint.api
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template
from constructs import Construct
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

import app
from chalicelib import auth
from chalicelib.annotations import MAX_SET_BYTES
from chalicelib.detector_presets import parameters_json
from chalicelib.measurement_names import measurements_json
from chalicelib.models import (
    AnnotationChunkModel,
    AssignmentModel,
    MemberModel,
    ProjectModel,
    ProjectRecordingModel,
    RecordingModel,
    SpectrogramModel,
    TallyModel,
    WorkItemModel,
)
from chalicelib.review_names import review_json
from infra import logical_ids
from infra.csp import content_security_policy
from infra.options import StageOptions
from infra.stack import GATEWAY_MAX_REQUEST_MB, ROOT, SonagramStack
from layers import build_layer

UI_ORIGIN = "https://sonagram.example.org"
CDK_HANDLERS = ("BucketNotificationsHandler", "CustomCDKBucketDeployment")
# The UI on CloudFront and another origin (a developer's own server, say): both are allowed.
OPTIONS = StageOptions(ui_origin=UI_ORIGIN, alarm_email="lab@example.org")
REGION = "eu-west-1"
ACCOUNT = "123456789012"
# CDK puts a DependsOn next to a GetAtt of the same role: redundant, harmless, not ours to change.
CFN_LINT_IGNORED = {"W3005"}


def build(
    outdir: Path,
    layer_zip: Path,
    ui_dist: Path,
    options: StageOptions = OPTIONS,
    account: str | None = ACCOUNT,
) -> tuple[cdk.App, SonagramStack]:
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context=context, outdir=str(outdir))
    # Chalice's packager imports app.py under the prod stage's environment and leaves it in
    # os.environ: later tests would run as the prod stage.
    environment = dict(os.environ)
    try:
        stack = SonagramStack(
            app,
            "Sonagram",
            options=options,
            worker_layer_zip=layer_zip,
            ui_dist=ui_dist,
            env=cdk.Environment(account=account, region=REGION),
        )
    finally:
        os.environ.clear()
        os.environ.update(environment)
    return app, stack


@pytest.fixture(scope="module")
def layer_zip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("layer") / build_layer.ZIP_NAME
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("python/README", "stand-in for the worker layer")
    return path


@pytest.fixture(scope="module")
def ui_dist(tmp_path_factory) -> Path:
    """A stand-in for frontend/dist, as `make ui` builds it."""
    path = tmp_path_factory.mktemp("dist")
    (path / "index.html").write_text("<!doctype html><title>Sonagram</title>")
    return path


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory, layer_zip, ui_dist) -> tuple[SonagramStack, Path, dict]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build(outdir, layer_zip, ui_dist)
    assembly = app.synth()
    return stack, outdir, assembly.get_stack_artifact(stack.artifact_id).template


@pytest.fixture(scope="module")
def stack(synthesized) -> SonagramStack:
    return synthesized[0]


@pytest.fixture(scope="module")
def template_json(synthesized) -> dict:
    return synthesized[2]


@pytest.fixture(scope="module")
def template(template_json) -> Template:
    return Template.from_json(template_json)


def cloudfront_origin(stack: SonagramStack) -> dict:
    return {
        "Fn::Join": [
            "",
            ["https://", {"Fn::GetAtt": [logical_id(stack, stack.ui_distribution), "DomainName"]}],
        ]
    }


def logical_id(stack: SonagramStack, construct) -> str:
    return stack.get_logical_id(construct.node.default_child)


def arn_of(stack: SonagramStack, construct) -> dict:
    return {"Fn::GetAtt": [logical_id(stack, construct), "Arn"]}


def objects_of(stack: SonagramStack, bucket) -> dict:
    return {"Fn::Join": ["", [arn_of(stack, bucket), "/*"]]}


def allowed(template_json: dict, stack: SonagramStack, function) -> set[tuple[str, str]]:
    """Every (action, resource) the function's role policies allow, resources as JSON."""
    role = {"Ref": logical_id(stack, function.role)}
    pairs = set()
    for resource in template_json["Resources"].values():
        if resource["Type"] != "AWS::IAM::Policy" or role not in resource["Properties"]["Roles"]:
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            actions = statement["Action"]
            resources = statement["Resource"]
            for action in [actions] if isinstance(actions, str) else actions:
                for arn in resources if isinstance(resources, list) else [resources]:
                    pairs.add((action, json.dumps(arn, sort_keys=True)))
    return pairs


def as_set(keys: list[dict]) -> set[tuple]:
    return {tuple(sorted(key.items())) for key in keys}


# The logical IDs of a stage deployed before the stack was split into one construct a concern
# (for the stack ID "Sonagram"): a changed one would make CloudFormation replace the resource,
# and a retained bucket, table or user pool would be orphaned beside a new, empty one.
DEPLOYED_LOGICAL_IDS = {
    "APIHandler",
    "APIHandlerInvokePermission",
    "AccessLogs8B620ECA",
    "AccessLogsPolicyABDC4D2D",
    "Alarms04B5A0BF",
    "AlarmsPolicy5C860CFE",
    "Alarmslabexampleorg8CFFF94C",
    "AnnotationsTableA677432B",
    "ApiChaliceAppLogs6E63761C",
    "ApiDefaultRolePolicySonagramApiDefaultRole1348ED181C035325",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db8347ECC3691",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834LogsF7ED6DCE",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC",
    "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C81C01536",
    "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756CServiceRole89A01265",
    "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756CServiceRoleDefaultPolicy88902FDF",
    "DefaultRole",
    "ProjectsTableAA0A2089",
    "RecordingsA3BDCC51",
    "RecordingsAllowBucketNotificationsToSonagramSpectrogramWorkerBDE1C68FD4EDA582",
    "RecordingsNotifications712D7E1F",
    "RecordingsNotificationsHandlerPolicyFF6E57F2",
    "RecordingsPolicyBB7F275E",
    "RecordingsTableFBA90A58",
    "RestAPI",
    "SpectrogramWorkerC946453B",
    "SpectrogramWorkerEventInvokeConfigC6F58858",
    "SpectrogramWorkerLogs788CBD49",
    "SpectrogramWorkerServiceRoleAAAC52E6",
    "SpectrogramWorkerServiceRoleDefaultPolicy05B98EF2",
    "SpectrogramsBA6BEF8D",
    "SpectrogramsPolicy13D1392E",
    "SpectrogramsTable4859479F",
    "SweepSchedule80B1140B",
    "SweepScheduleAllowEventRuleSonagramSweeperF6F33A34E092AA17",
    "Sweeper30B1A830",
    "SweeperEventInvokeConfigEA29A399",
    "SweeperLogs977E0681",
    "SweeperServiceRoleBDFB1BC7",
    "SweeperServiceRoleDefaultPolicy8F7D0B0B",
    "UiC9684F3A",
    "UiDeploymentAwsCliLayer64A90B53",
    "UiDeploymentCustomResource13C95213",
    "UiDeploymentLogsC2BB2924",
    "UiDistribution3836E805",
    "UiDistributionOrigin1S3OriginAccessControlDACB2ACF",
    "UiPolicyB54EFDC6",
    "Users0A0EEA89",
    "UsersHostedUi4D3AB8E1",
    "UsersWebClient8EE36D42",
    "WorkerDurationAlarm8669B1C5",
    "WorkerErrorsAlarm1932B217",
    "WorkerFailuresAlarm875953BA",
    "WorkerFailuresE34998E6",
    "WorkerFailuresPolicy6B9DF888",
    "WorkerLayer35FAAC4B",
    "WorkerThrottlesAlarm3D9E14E4",
}


def test_every_resource_keeps_the_logical_id_of_deployed_stages(template_json):
    assert DEPLOYED_LOGICAL_IDS - set(template_json["Resources"]) == set()


@pytest.mark.parametrize(
    "path",
    [
        ["Recordings"],
        ["Recordings", "Resource"],
        ["Sonagram", "Api", "DefaultRole"],
        ["Ui", "Default", "Policy", "Resource"],
        ["Alarms", "Alarms", "Resource"],  # a repetition, dropped from the readable part
        ["HostedUi", "Ui"],
        ["Origin-1", "S3 Origin", "x" * 250],  # not alphanumeric; a long one
    ],
)
def test_the_logical_ids_of_concerns_are_cdk_s_own_rule(path):
    # infra/logical_ids.py restates CDK's rule for a path: the same answer as CDK's own.
    construct = cdk.App()
    for construct_id in path:
        construct = Construct(construct, construct_id)
    assert logical_ids.unique_id(path) == cdk.Names.unique_id(construct)


def test_every_object_created_in_recordings_invokes_the_worker(stack, template):
    template.has_resource_properties(
        "Custom::S3BucketNotifications",
        {
            "BucketName": {"Ref": logical_id(stack, stack.recordings)},
            "NotificationConfiguration": {
                "LambdaFunctionConfigurations": [
                    {
                        "Events": ["s3:ObjectCreated:*"],
                        "LambdaFunctionArn": arn_of(stack, stack.worker),
                    }
                ]
            },
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": arn_of(stack, stack.worker),
            "Principal": "s3.amazonaws.com",
            "SourceArn": arn_of(stack, stack.recordings),
        },
    )


def test_the_worker_runs_300_s_on_the_layers_runtime(stack, template, template_json):
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "functions.spectrogram_worker.handler",
            "Runtime": build_layer.RUNTIME,
            "Architectures": ["x86_64"],
            "Timeout": 300,
            "MemorySize": 1024,
            "Layers": [{"Ref": Match.string_like_regexp("^WorkerLayer")}],
            "Environment": {"Variables": Match.object_like({"JOB_TIMEOUT_S": "300"})},
        },
    )
    worker = template_json["Resources"][logical_id(stack, stack.worker)]["Properties"]
    # The audio is read from S3 in ranges, never copied to /tmp: the default 512 MB is enough.
    assert "EphemeralStorage" not in worker


def test_every_function_of_ours_runs_python312(template_json):
    runtimes = {
        logical: resource["Properties"]["Runtime"]
        for logical, resource in template_json["Resources"].items()
        if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")
        # CDK's own handlers (bucket notifications, the UI's deployment): CDK's code, on CDK's
        # choice of runtime.
        and not logical.startswith(CDK_HANDLERS)
    }
    assert len(runtimes) == 3  # the worker, the sweeper and the Chalice API
    assert set(runtimes.values()) == {"python3.12"}, runtimes


def test_a_failing_event_is_retried_twice_then_parked_in_a_queue(stack, template):
    (queue_id,) = template.find_resources("AWS::SQS::Queue")
    template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {
            "FunctionName": {"Ref": logical_id(stack, stack.worker)},
            "MaximumRetryAttempts": 2,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": [queue_id, "Arn"]}}},
        },
    )


def test_function_code_is_only_chalicelib_and_functions(stack, synthesized, template_json):
    outdir = synthesized[1]
    key = template_json["Resources"][logical_id(stack, stack.worker)]["Properties"]["Code"]["S3Key"]
    assets = json.loads((outdir / f"{stack.artifact_id}.assets.json").read_text())["files"]
    code = outdir / assets[key.removesuffix(".zip")]["source"]["path"]
    assert sorted(p.name for p in code.iterdir()) == ["chalicelib", "functions"]
    assert (code / "functions" / "spectrogram_worker.py").is_file()
    assert not list(code.rglob("__pycache__"))


@pytest.mark.parametrize(
    ("model", "attribute"),
    [
        (RecordingModel, "recordings_table"),
        (SpectrogramModel, "spectrograms_table"),
        (ProjectModel, "projects_table"),
        (AnnotationChunkModel, "annotations_table"),
        (MemberModel, "members_table"),
        (AssignmentModel, "assignments_table"),
        (TallyModel, "tallies_table"),
        (WorkItemModel, "work_table"),
        (ProjectRecordingModel, "project_recordings_table"),
    ],
)
def test_tables_have_the_keys_and_indexes_of_the_pynamodb_models(
    stack, template_json, model, attribute
):
    schema = model._get_schema()
    table = template_json["Resources"][logical_id(stack, getattr(stack, attribute))]["Properties"]
    assert as_set(table["KeySchema"]) == as_set(schema["key_schema"])
    assert as_set(table["AttributeDefinitions"]) == as_set(schema["attribute_definitions"])
    indexes = {
        index["IndexName"]: (as_set(index["KeySchema"]), index["Projection"])
        for index in table.get("GlobalSecondaryIndexes", [])
    }
    assert indexes == {
        index["index_name"]: (as_set(index["key_schema"]), index["projection"])
        for index in schema.get("global_secondary_indexes", [])
    }
    for index in table.get("GlobalSecondaryIndexes", []):
        assert index["KeySchema"][0]["KeyType"] == "HASH"
    assert "LocalSecondaryIndexes" not in table
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_the_sweeper_runs_every_5_minutes(stack, template):
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "ScheduleExpression": "rate(5 minutes)",
            "State": "ENABLED",
            "Targets": [Match.object_like({"Arn": arn_of(stack, stack.sweeper)})],
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Handler": "functions.sweeper.handler", "Runtime": build_layer.RUNTIME},
    )


def test_no_bucket_is_public_and_uploads_come_from_the_ui_origin(stack, template, template_json):
    buckets = template.find_resources("AWS::S3::Bucket")
    assert len(buckets) == 4  # recordings, spectrograms, the UI and the access logs
    for bucket in buckets.values():
        assert bucket["Properties"]["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
    for policy in template.find_resources("AWS::S3::BucketPolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            # The only statement naming everyone is the deny of plain HTTP.
            if statement["Principal"] in ("*", {"AWS": "*"}):
                assert statement["Effect"] == "Deny"
    for bucket in (stack.recordings, stack.spectrograms):
        properties = template_json["Resources"][logical_id(stack, bucket)]["Properties"]
        assert properties["CorsConfiguration"]["CorsRules"] == [
            {
                "AllowedHeaders": ["*"],
                "AllowedMethods": ["POST", "PUT", "GET", "HEAD"],
                "AllowedOrigins": [cloudfront_origin(stack), UI_ORIGIN],
                "ExposedHeaders": ["ETag", "Content-Range"],
                "MaxAge": 3600,
            }
        ]
        rules = properties["LifecycleConfiguration"]["Rules"]
        abort_uploads = {"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}
        assert {**abort_uploads, "Status": "Enabled"} in rules


def s3_permissions(stack, template_json, function) -> set[tuple[str, str]]:
    names = {}
    for bucket, name in ((stack.recordings, "recordings"), (stack.spectrograms, "spectrograms")):
        names[json.dumps(arn_of(stack, bucket), sort_keys=True)] = name
        names[json.dumps(objects_of(stack, bucket), sort_keys=True)] = f"{name}/*"
    return {
        (action, names.get(resource, resource))
        for action, resource in allowed(template_json, stack, function)
        if action.startswith("s3:")
    }


# Every grantee may list a bucket's objects.
LISTING = {("s3:ListBucket", "recordings"), ("s3:ListBucket", "spectrograms")}


def test_the_sweeper_may_announce_uploads_again_and_remove_dead_attempts(stack, template_json):
    # Announcing again copies the audio onto itself (read + write); a dead attempt's
    # images are listed and deleted; an upload in parts that never completes is looked at
    # and aborted; a recording left DELETING is purged, audio and all.
    assert s3_permissions(stack, template_json, stack.sweeper) == LISTING | {
        ("s3:GetObject", "recordings/*"),
        ("s3:PutObject", "recordings/*"),
        ("s3:DeleteObject", "recordings/*"),
        ("s3:AbortMultipartUpload", "recordings/*"),
        ("s3:ListMultipartUploadParts", "recordings/*"),
        ("s3:DeleteObject", "spectrograms/*"),
    }


def test_the_worker_reads_recordings_and_writes_only_spectrograms(stack, template_json):
    assert s3_permissions(stack, template_json, stack.worker) == LISTING | {
        ("s3:GetObject", "recordings/*"),
        ("s3:PutObject", "spectrograms/*"),
        ("s3:DeleteObject", "spectrograms/*"),
    }


def test_the_api_gets_the_real_names(stack, template):
    # The first of the UI's origins (CloudFront's when it serves the UI) and the stage's limit.
    template.has_resource_properties(
        "AWS::Serverless::Function",
        {
            "Handler": "app.app",
            "Environment": {
                "Variables": {
                    "SONAGRAM_STAGE": "prod",
                    "RECORDINGS_BUCKET": {"Ref": logical_id(stack, stack.recordings)},
                    "SPECTROGRAMS_BUCKET": {"Ref": logical_id(stack, stack.spectrograms)},
                    "RECORDINGS_TABLE": {"Ref": logical_id(stack, stack.recordings_table)},
                    "SPECTROGRAMS_TABLE": {"Ref": logical_id(stack, stack.spectrograms_table)},
                    "PROJECTS_TABLE": {"Ref": logical_id(stack, stack.projects_table)},
                    "ANNOTATIONS_TABLE": {"Ref": logical_id(stack, stack.annotations_table)},
                    "JOB_TIMEOUT_S": "300",
                    "UI_ORIGIN": cloudfront_origin(stack),
                    "MAX_UPLOAD_BYTES": str(100 * 1024 * 1024),
                }
            },
        },
    )


def test_the_chalice_prod_stage_sizes_the_api_and_names_nothing(template_json):
    # The stack creates the buckets and tables and names them; a name in the prod stage would
    # be one nobody creates. Settings such as the upload limit are the deploy's options.
    prod = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["prod"]
    assert not {"SONAGRAM_STAGE", *STACK_NAMES} & prod.get("environment_variables", {}).keys()
    api = template_json["Resources"]["APIHandler"]["Properties"]
    assert api["Timeout"] == prod["lambda_timeout"]
    assert api["MemorySize"] == prod["lambda_memory_size"]


def test_the_gateway_compresses_answers_over_a_kilobyte(template_json):
    # A 4-hour recording's manifest is 0.3 MB of JSON, mostly presigned URLs said again for
    # every tile: gzip makes it a small fraction of that for the browser.
    (rest_api,) = [
        resource
        for resource in template_json["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Api"
    ]
    assert rest_api["Properties"]["MinimumCompressionSize"] == 1024


STACK_NAMES = (
    "RECORDINGS_BUCKET",
    "SPECTROGRAMS_BUCKET",
    "RECORDINGS_TABLE",
    "SPECTROGRAMS_TABLE",
    "PROJECTS_TABLE",
    "ANNOTATIONS_TABLE",
)


def environments(template_json: dict) -> dict[str, dict]:
    """Each function's environment variables, by logical id."""
    return {
        logical: resource["Properties"].get("Environment", {}).get("Variables", {})
        for logical, resource in template_json["Resources"].items()
        if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")
    }


def test_no_function_holds_a_token_key_and_the_stack_keeps_none(template_json):
    # Cognito signs the cloud's tokens and API Gateway checks them: no key of ours exists.
    assert not Template.from_json(template_json).find_resources("AWS::SecretsManager::Secret")
    for variables in environments(template_json).values():
        assert not [name for name in variables if name.startswith("AUTH")]


def secured_operations(template_json: dict) -> dict[tuple[str, str], list]:
    """Each operation of the packaged API definition and its security requirement."""
    paths = template_json["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    return {
        (path, method): operation.get("security")
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method != "options"  # CORS preflights: API Gateway answers them, unauthenticated
    }


def test_api_gateway_checks_a_cognito_token_on_every_route_but_the_public_ones(
    stack, template_json
):
    routes = {
        (path, method.lower()) for path, methods in app.app.routes.items() for method in methods
    }
    public = {("/health", "get"), ("/openapi.json", "get"), ("/auth/login", "post")}
    assert public < routes
    security = secured_operations(template_json)
    assert set(security) == routes
    for route in routes - public:
        assert security[route] == [{auth.AUTHORIZER: []}], route
    for route in public:
        assert security[route] is None, route
    definition = template_json["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    assert definition["securityDefinitions"] == {
        auth.AUTHORIZER: {
            "in": "header",
            "type": "apiKey",
            "name": "Authorization",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [arn_of(stack, stack.users)],
            },
        }
    }
    assert auth.USER_POOL_PLACEHOLDER not in json.dumps(template_json)


def test_api_gateway_refuses_in_our_error_shape_readable_by_the_ui(template_json):
    definition = template_json["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    responses = definition["x-amazon-apigateway-gateway-responses"]
    assert set(responses) == {
        "UNAUTHORIZED",
        "REQUEST_TOO_LARGE",
        "THROTTLED",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
    }
    for response in responses.values():
        cors = response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
        assert cors == "'*'"
        # The gateway puts its own message, quoted, where the template names it.
        body = response["responseTemplates"]["application/json"].replace(
            "$context.error.messageString", '"Unauthorized"'
        )
        assert set(json.loads(body)) == {"error"}
    unauthorized = json.loads(responses["UNAUTHORIZED"]["responseTemplates"]["application/json"])
    assert unauthorized["error"].startswith("sign in first")


def test_the_ui_signs_in_through_the_hosted_ui_with_a_code_and_pkce(stack, template):
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "UserPoolId": {"Ref": logical_id(stack, stack.users)},
            "GenerateSecret": False,
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "CallbackURLs": [
                {"Fn::Join": ["", [*cloudfront_origin(stack)["Fn::Join"][1], "/"]]},
                f"{UI_ORIGIN}/",
            ],
            "LogoutURLs": [
                {"Fn::Join": ["", [*cloudfront_origin(stack)["Fn::Join"][1], "/"]]},
                f"{UI_ORIGIN}/",
            ],
            "SupportedIdentityProviders": ["COGNITO"],
            # No password reaches Cognito's API from a page, only the hosted UI.
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
        },
    )
    template.resource_count_is("AWS::Cognito::UserPoolClient", 1)
    template.has_resource_properties(
        "AWS::Cognito::UserPoolDomain",
        {
            "UserPoolId": {"Ref": logical_id(stack, stack.users)},
            "Domain": f"sonagram-{ACCOUNT}",
        },
    )
    template.has_output("HostedUiUrl", Match.any_value())
    template.has_output("UserPoolClientId", {"Value": {"Ref": logical_id(stack, stack.web_client)}})


# What grant_read_write_data allows: items, queries and scans, never the table's settings.
ITEM_ACTIONS = {
    f"dynamodb:{action}"
    for action in (
        "BatchGetItem",
        "BatchWriteItem",
        "ConditionCheckItem",
        "DeleteItem",
        "DescribeTable",
        "GetItem",
        "GetRecords",
        "GetShardIterator",
        "PutItem",
        "Query",
        "Scan",
        "UpdateItem",
    )
}


def test_the_api_uses_the_projects_table_the_worker_reads_a_project_and_the_sweeper_never(
    stack, template_json
):
    table = logical_id(stack, stack.projects_table)
    assert not [arn for _, arn in allowed(template_json, stack, stack.sweeper) if table in arn]
    assert "PROJECTS_TABLE" not in environments(template_json)[logical_id(stack, stack.sweeper)]
    # The worker reads a recording's project for its detector presets, nothing more.
    assert {
        (action, arn) for action, arn in allowed(template_json, stack, stack.worker) if table in arn
    } == {("dynamodb:GetItem", json.dumps(arn_of(stack, stack.projects_table)))}
    assert "PROJECTS_TABLE" in environments(template_json)[logical_id(stack, stack.worker)]
    statements = [
        (role, statement)
        for resource in template_json["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        if table in json.dumps(statement["Resource"])
        for role in resource["Properties"]["Roles"]
        if role != {"Ref": logical_id(stack, stack.worker.role)}
    ]
    # Chalice's role, named through its ARN.
    (role,) = {json.dumps(role) for role, _ in statements}
    assert role.count('{"Fn::GetAtt": ["DefaultRole", "Arn"]}') == 1
    assert {action for _, statement in statements for action in statement["Action"]} == ITEM_ACTIONS


def api_role_allowed(template_json: dict) -> set[tuple[str, str]]:
    """Every (action, resource) the policies of Chalice's role allow."""
    pairs = set()
    for resource in template_json["Resources"].values():
        if resource["Type"] != "AWS::IAM::Policy":
            continue
        if '"DefaultRole"' not in json.dumps(resource["Properties"]["Roles"]):
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            for action in [actions] if isinstance(actions, str) else actions:
                pairs.add((action, json.dumps(statement["Resource"], sort_keys=True)))
    return pairs


def test_the_api_and_the_worker_itself_may_invoke_the_worker_and_nothing_else(stack, template_json):
    worker = json.dumps(arn_of(stack, stack.worker), sort_keys=True)
    invoking = {
        name: {arn for action, arn in pairs if action.startswith("lambda:")}
        for name, pairs in {
            "api": api_role_allowed(template_json),
            "worker": allowed(template_json, stack, stack.worker),
            "sweeper": allowed(template_json, stack, stack.sweeper),
        }.items()
    }
    assert invoking == {"api": {worker}, "worker": {worker}, "sweeper": set()}
    assert {
        action
        for action, arn in api_role_allowed(template_json)
        | allowed(template_json, stack, stack.worker)
        if arn == worker
    } == {"lambda:InvokeFunction"}
    # The API names the worker; the worker learns its own name from its context.
    api_environment = next(
        variables
        for variables in environments(template_json).values()
        if "PROJECTS_TABLE" in variables and "WORKER_FUNCTION" in variables
    )
    assert api_environment["WORKER_FUNCTION"] == {"Ref": logical_id(stack, stack.worker)}
    assert "WORKER_FUNCTION" not in environments(template_json)[logical_id(stack, stack.worker)]


def cfn_lint_findings(template_json: dict) -> list[str]:
    matches = cfnlint.api.lint(json.dumps(template_json), regions=[REGION])
    return [str(m) for m in matches if m.rule.id not in CFN_LINT_IGNORED]


def test_cfn_lint_finds_nothing(template_json):
    assert cfn_lint_findings(template_json) == []


def test_cdk_nag_finds_nothing_unacknowledged(synthesized):
    outdir = synthesized[1]
    report = json.loads((outdir / "validation-report.json").read_text())
    assert report["pluginReports"] == []


def test_cdk_nag_stops_synth_on_an_unacknowledged_finding(tmp_path, layer_zip, ui_dist):
    # The stack above synthesizing proves something only if the checks run on it.
    app, stack = build(tmp_path / "cdk.out", layer_zip, ui_dist)
    sqs.Queue(stack, "Unencrypted", encryption=sqs.QueueEncryption.UNENCRYPTED)
    with pytest.raises(RuntimeError, match="ValidationFailed") as failed:
        app.synth()
    assert "Sonagram/Unencrypted/Resource" in str(failed.value)
    assert "AwsSolutions-SQS2" in str(failed.value)
    # ServerlessChecks too: a queue with no redrive policy.
    assert "Serverless-SQSRedrivePolicy" in str(failed.value)


def test_a_missing_layer_zip_says_how_to_build_it(tmp_path, ui_dist):
    with pytest.raises(FileNotFoundError, match="make layer"):
        build(tmp_path / "cdk.out", tmp_path / "absent.zip", ui_dist)


def test_the_worker_reserves_300_and_two_stages_leave_room_for_both_apis(stack, template_json):
    functions = {
        logical: resource["Properties"]
        for logical, resource in template_json["Resources"].items()
        if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")
    }
    reserved = {
        logical: properties["ReservedConcurrentExecutions"]
        for logical, properties in functions.items()
        if "ReservedConcurrentExecutions" in properties
    }
    assert reserved == {logical_id(stack, stack.worker): 300}
    # Two such stages in one account: the APIs, the sweepers and CDK's handlers share the rest
    # of the account's 1000, which holds both APIs' bursts and Lambda's 100.
    assert 1000 - 2 * 300 >= max(100, 2 * OPTIONS.api_burst_limit) == 400


ALARMS = {
    # construct: (namespace, metric, statistic, threshold, periods in a row)
    "WorkerFailuresAlarm": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 1, 1),
    "WorkerErrorsAlarm": ("AWS/Lambda", "Errors", "Sum", 5, 1),
    "WorkerThrottlesAlarm": ("AWS/Lambda", "Throttles", "Sum", 1, 3),
    "WorkerDurationAlarm": ("AWS/Lambda", "Duration", "Maximum", 240_000, 1),
}


@pytest.mark.parametrize("construct_id", ALARMS)
def test_an_alarm_watches_the_worker_and_notifies_the_topic(stack, template, construct_id):
    namespace, metric, statistic, threshold, periods = ALARMS[construct_id]
    if namespace == "AWS/SQS":
        (queue,) = template.find_resources("AWS::SQS::Queue")
        dimension = {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}
    else:
        dimension = {"Name": "FunctionName", "Value": {"Ref": logical_id(stack, stack.worker)}}
    topic = {"Ref": logical_id(stack, stack.alarm_topic)}
    alarm = stack.get_logical_id(stack.alarms.node.find_child(construct_id).node.default_child)
    properties = template.to_json()["Resources"][alarm]["Properties"]
    assert properties == {
        **properties,
        "Namespace": namespace,
        "MetricName": metric,
        "Statistic": statistic,
        "Threshold": threshold,
        "Period": 300,
        "EvaluationPeriods": periods,
        "DatapointsToAlarm": periods,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "Dimensions": [dimension],
        "AlarmActions": [topic],
        "OKActions": [topic],
    }
    assert properties["AlarmDescription"]


def test_alarms_reach_the_email_given_over_tls_only(stack, template):
    template.resource_count_is("AWS::CloudWatch::Alarm", len(ALARMS))
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        {
            "Protocol": "email",
            "Endpoint": "lab@example.org",
            "TopicArn": {"Ref": logical_id(stack, stack.alarm_topic)},
        },
    )
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_cloudwatch_may_publish_the_stacks_alarms_to_the_topic(stack, template_json):
    (policy,) = [
        resource["Properties"]
        for resource in template_json["Resources"].values()
        if resource["Type"] == "AWS::SNS::TopicPolicy"
    ]
    assert policy["Topics"] == [{"Ref": logical_id(stack, stack.alarm_topic)}]
    (publish,) = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    alarms = [
        {"Fn::GetAtt": [stack.get_logical_id(alarm.node.default_child), "Arn"]}
        for alarm in stack.alarms.node.children
        if isinstance(alarm, cloudwatch.Alarm)
    ]
    assert len(alarms) == len(ALARMS)
    assert publish == {
        "Sid": "CloudWatchAlarmsPublish",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": {"Ref": logical_id(stack, stack.alarm_topic)},
        "Condition": {
            "ArnLike": {"aws:SourceArn": alarms},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
        },
    }


def test_every_function_logs_to_a_group_kept_30_days(template_json):
    resources = template_json["Resources"]
    groups = {
        logical: resource["Properties"]
        for logical, resource in resources.items()
        if resource["Type"] == "AWS::Logs::LogGroup"
    }
    functions = {
        logical: resource["Properties"]
        for logical, resource in resources.items()
        if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")
    }
    # The worker, the sweeper, the API, CDK's bucket notification and UI deployment handlers.
    assert len(functions) == 5
    for logical, properties in functions.items():
        group = properties["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group]["RetentionInDays"] == 30, logical
    assert {properties["RetentionInDays"] for properties in groups.values()} == {30}
    assert len(groups) == len(functions)


def test_the_api_stage_is_throttled_and_refuses_too_much_in_our_error_shape(template_json):
    api = template_json["Resources"]["RestAPI"]["Properties"]
    assert api["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": 100,
            "ThrottlingBurstLimit": 200,
        }
    ]
    responses = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    too_large = json.loads(responses["REQUEST_TOO_LARGE"]["responseTemplates"]["application/json"])
    assert "10 MB" in too_large["error"] and "5 MB" in too_large["error"]
    throttled = json.loads(responses["THROTTLED"]["responseTemplates"]["application/json"])
    assert throttled["error"].startswith("too many requests")


def test_the_api_largest_body_fits_the_gateway_and_lambda_limits():
    # A recording's annotations as JSON, plus the proxy event's headers and context, must stay
    # under Lambda's 6 MB synchronous payload, itself under API Gateway's 10 MB.
    assert MAX_SET_BYTES + 500_000 <= 6_000_000 < GATEWAY_MAX_REQUEST_MB * 1_000_000


def test_the_ui_is_served_by_cloudfront_through_origin_access_control(stack, template):
    bucket = logical_id(stack, stack.ui_bucket)
    (control,) = template.find_resources(
        "AWS::CloudFront::OriginAccessControl",
        {
            "Properties": {
                "OriginAccessControlConfig": Match.object_like(
                    {"OriginAccessControlOriginType": "s3", "SigningBehavior": "always"}
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "DefaultRootObject": "index.html",
                    "DefaultCacheBehavior": Match.object_like(
                        {"ViewerProtocolPolicy": "redirect-to-https"}
                    ),
                    "Origins": [
                        Match.object_like(
                            {
                                "DomainName": {"Fn::GetAtt": [bucket, "RegionalDomainName"]},
                                "OriginAccessControlId": {"Fn::GetAtt": [control, "Id"]},
                                "S3OriginConfig": {"OriginAccessIdentity": ""},
                            }
                        )
                    ],
                }
            )
        },
    )
    # Only the distribution reads the bucket, and only its objects.
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "s3:GetObject",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Resource": {"Fn::Join": ["", [arn_of(stack, stack.ui_bucket), "/*"]]},
                            "Condition": {"StringEquals": {"AWS:SourceArn": Match.any_value()}},
                        }
                    ]
                )
            },
        },
    )
    template.has_output("UiUrl", Match.any_value())


def resolved(value) -> str:
    """A CloudFormation expression as text: ${Resource} for a Ref, ${Resource.Attr} for GetAtt."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return f"${{{value['Ref']}}}"
    if "Fn::GetAtt" in value:
        return "${" + ".".join(value["Fn::GetAtt"]) + "}"
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(resolved(part) for part in parts)
    if "Fn::Sub" in value:
        text, variables = value["Fn::Sub"]
        for name, variable in variables.items():
            text = text.replace(f"${{{name}}}", resolved(variable))
        return text
    raise ValueError(f"not resolved here: {value}")


def test_the_ui_gets_a_config_json_naming_this_stage(stack, synthesized, template_json):
    outdir = synthesized[1]
    (deployment,) = [
        resource["Properties"]
        for resource in template_json["Resources"].values()
        if resource["Type"] == "Custom::CDKBucketDeployment"
    ]
    assert deployment["DestinationBucketName"] == {"Ref": logical_id(stack, stack.ui_bucket)}
    assert deployment["DistributionId"] == {"Ref": logical_id(stack, stack.ui_distribution)}
    assets = json.loads((outdir / f"{stack.artifact_id}.assets.json").read_text())["files"]
    configs = []
    for key, markers in zip(
        deployment["SourceObjectKeys"], deployment["SourceMarkers"], strict=True
    ):
        source = outdir / assets[key.removesuffix(".zip")]["source"]["path"] / "config.json"
        if source.is_file():
            text = source.read_text()
            for marker, value in markers.items():
                text = text.replace(marker, resolved(value))
            configs.append(json.loads(text))
    (config,) = configs
    distribution = logical_id(stack, stack.ui_distribution)
    assert config == {
        "apiUrl": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api",
        "maxUploadBytes": 100 * 1024 * 1024,
        "auth": {
            "kind": "cognito",
            "domain": f"${{{logical_id(stack, stack.hosted_ui)}}}.auth.{REGION}.amazoncognito.com",
            "clientId": f"${{{logical_id(stack, stack.web_client)}}}",
            "redirectUri": f"https://${{{distribution}.DomainName}}/",
        },
        # The page's "seems stuck" waits for this stage's pipeline: a sweep every 5 min.
        "pipeline": {
            "jobBudgetS": 300,
            "leaseS": 20,
            "sweepEveryS": 300,
            "uploadUrlS": 900,
            "lateUploadS": 300,
        },
        # Tables the page shows and never copies.
        "detectorParameters": parameters_json(),
        "detectorBands": ["energy", "preset"],
        "maxDetectorPresets": 10,
        "measurements": measurements_json(),
        "review": review_json(),
    }


@pytest.fixture(scope="module")
def without_ui(tmp_path_factory, layer_zip) -> tuple[cdk.App, SonagramStack, dict]:
    options = StageOptions(ui_origin=UI_ORIGIN, host_ui=False)
    outdir = tmp_path_factory.mktemp("cdk.out")
    # No account, as `cdk synth` without AWS credentials: the template names AWS::AccountId.
    app, stack = build(outdir, layer_zip, outdir / "absent-dist", options, account=None)
    template = app.synth().get_stack_artifact(stack.artifact_id).template
    return stack, outdir, template


def test_without_host_ui_there_is_no_distribution_and_the_given_origin_alone(without_ui):
    stack, outdir, template_json = without_ui
    template = Template.from_json(template_json)
    template.resource_count_is("AWS::CloudFront::Distribution", 0)
    template.resource_count_is("Custom::CDKBucketDeployment", 0)
    template.resource_count_is("AWS::S3::Bucket", 3)
    for bucket in (stack.recordings, stack.spectrograms):
        properties = template_json["Resources"][logical_id(stack, bucket)]["Properties"]
        assert properties["CorsConfiguration"]["CorsRules"][0]["AllowedOrigins"] == [UI_ORIGIN]
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient", {"CallbackURLs": [f"{UI_ORIGIN}/"]}
    )
    report = json.loads((outdir / "validation-report.json").read_text())
    assert report["pluginReports"] == []
    assert cfn_lint_findings(template_json) == []


def test_hosting_the_ui_needs_it_built_first(tmp_path, layer_zip):
    with pytest.raises(FileNotFoundError, match="make ui"):
        build(tmp_path / "cdk.out", layer_zip, tmp_path / "absent-dist")


def sam_transform(template_json: dict) -> dict:
    """The template as CloudFormation's AWS::Serverless-2016-10-31 transform makes it (the
    real translator, offline: the Chalice API names its role, so no managed policy is read)."""
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=REGION))
    return translator.translate(
        json.loads(json.dumps(template_json)), parameter_values={}, get_managed_policy_map=dict
    )


def test_the_sam_transform_makes_one_api_stage_and_it_is_throttled(template_json):
    resources = sam_transform(template_json)["Resources"]
    stages = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert len(stages) == 1
    assert stages[0]["StageName"] == "api"
    assert stages[0]["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": 100,
            "ThrottlingBurstLimit": 200,
        }
    ]
    # A deployment with a StageName makes a stage of that name too ("Stage", unthrottled).
    deployments = [
        r["Properties"] for r in resources.values() if r["Type"] == "AWS::ApiGateway::Deployment"
    ]
    assert len(deployments) == 1
    assert "StageName" not in deployments[0]
    assert not [r for r in resources.values() if r["Type"].startswith("AWS::Serverless::")]


def test_id_tokens_live_30_minutes(template):
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "IdTokenValidity": 30,
            "AccessTokenValidity": 30,
            "RefreshTokenValidity": 60,
            "TokenValidityUnits": {
                "IdToken": "minutes",
                "AccessToken": "minutes",
                "RefreshToken": "minutes",
            },
        },
    )


def test_cloudfront_serves_the_ui_with_its_content_security_policy(stack, template_json):
    (policy_id, policy) = [
        (logical, resource["Properties"]["ResponseHeadersPolicyConfig"])
        for logical, resource in template_json["Resources"].items()
        if resource["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
    ][0]
    distribution = template_json["Resources"][logical_id(stack, stack.ui_distribution)]
    behavior = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    headers = policy["SecurityHeadersConfig"]
    assert headers["ContentSecurityPolicy"]["Override"] is True
    csp = resolved(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert csp == content_security_policy(
        api_origin=f"https://*.execute-api.{REGION}.${{AWS::URLSuffix}}",
        # Path-style presigned URLs, as the API signs them in this region.
        bucket_origins=[f"https://s3.{REGION}.amazonaws.com"],
        sign_in_origin=f"https://sonagram-{ACCOUNT}.auth.{REGION}.amazoncognito.com",
    )
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert (
        f"https://sonagram-{ACCOUNT}.auth.{REGION}.amazoncognito.com"
        in directives["connect-src"].split()
    )
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == 365 * 24 * 3600


@pytest.mark.parametrize(
    ("table", "variable"),
    [
        ("recordings_table", "RECORDINGS_TABLE"),
        ("spectrograms_table", "SPECTROGRAMS_TABLE"),
        ("annotations_table", "ANNOTATIONS_TABLE"),
        ("tallies_table", "TALLIES_TABLE"),
        ("assignments_table", "ASSIGNMENTS_TABLE"),
        ("work_table", "WORK_TABLE"),
        ("project_recordings_table", "PROJECT_RECORDINGS_TABLE"),
    ],
)
def test_the_sweeper_may_purge_a_recording_from_every_table_it_is_in(
    stack, template_json, table, variable
):
    """What a deleting request left DELETING, the sweeper purges (chalicelib/deletions.py):
    it deletes the rows and updates the counts of every table a recording is in."""
    arn = json.dumps(arn_of(stack, getattr(stack, table)))
    actions = {action for action, resource in allowed(template_json, stack, stack.sweeper)}
    writes = {a for a, resource in allowed(template_json, stack, stack.sweeper) if resource == arn}
    assert {"dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:Query"} <= writes, actions
    sweeper = environments(template_json)[logical_id(stack, stack.sweeper)]
    assert sweeper[variable] == {"Ref": logical_id(stack, getattr(stack, table))}
