"""The DynamoDB tables, each made from the PynamoDB model that reads and writes it."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct
from pynamodb.models import Model

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
from infra.logical_ids import Concern
from infra.nag import acknowledge

ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
KEY_ROLES = {"HASH": "partition_key", "RANGE": "sort_key"}


class Tables(Concern):
    """Recordings, spectrograms, projects, annotations, members, assignments, tallies, work
    items and projects' recordings: on demand, with point-in-time recovery, protected from
    deletion and kept when the stack goes."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.recordings = table_from_model(self, "RecordingsTable", RecordingModel)
        self.spectrograms = table_from_model(self, "SpectrogramsTable", SpectrogramModel)
        self.projects = table_from_model(self, "ProjectsTable", ProjectModel)
        self.annotations = table_from_model(self, "AnnotationsTable", AnnotationChunkModel)
        self.members = table_from_model(self, "MembersTable", MemberModel)
        self.assignments = table_from_model(self, "AssignmentsTable", AssignmentModel)
        self.tallies = table_from_model(self, "TalliesTable", TallyModel)
        self.work = table_from_model(self, "WorkTable", WorkItemModel)
        self.project_recordings = table_from_model(
            self, "ProjectRecordingsTable", ProjectRecordingModel
        )
        stack = cdk.Stack.of(self)
        for table in (
            self.recordings,
            self.spectrograms,
            self.projects,
            self.members,
        ):
            acknowledge(
                stack,
                f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(table.node.default_child)}"
                ".Arn>/index/*]",
                reason="The table's own secondary indexes, which the models query",
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
