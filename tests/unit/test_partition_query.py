"""The local cloud's Query: moto's answers, from the queried partition only.

The tables are made on the session's moto server, which runs in this process: the Query
patched here is the one that server answers with. (moto's mock_aws would reset that
server's tables on leaving.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest
from boto3.dynamodb.conditions import Attr, Key
from moto.dynamodb.models.table import Table

from infra.local import partition_query

MOTOS_QUERY = Table.query
PEOPLE = [f"annotator-{n}" for n in range(5)]


@pytest.fixture
def tables(cloud_settings) -> Iterator[dict]:
    """A table with a sort key and two indexes, and one without, 150 items in five partitions."""
    dynamodb = boto3.resource("dynamodb", endpoint_url=cloud_settings.dynamodb_endpoint)
    named = f"partition-query-{uuid.uuid4().hex[:8]}"
    work = dynamodb.create_table(
        TableName=f"{named}-work",
        KeySchema=[
            {"AttributeName": "assignee", "KeyType": "HASH"},
            {"AttributeName": "place", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "assignee", "AttributeType": "S"},
            {"AttributeName": "place", "AttributeType": "S"},
            {"AttributeName": "project_id", "AttributeType": "S"},
            {"AttributeName": "state", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-project",
                "KeySchema": [{"AttributeName": "project_id", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "by-state",
                "KeySchema": [
                    {"AttributeName": "state", "KeyType": "HASH"},
                    {"AttributeName": "place", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    plain = dynamodb.create_table(
        TableName=f"{named}-plain",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with work.batch_writer() as batch:
        for n in range(150):
            batch.put_item(
                Item={
                    "assignee": PEOPLE[n % 5],
                    "place": f"2026-12-{n % 28 + 1:02d}_{n:03d}",
                    # Every seventh has none: the index by state is sparse.
                    **({} if n % 7 == 0 else {"state": ("to_do", "in_progress", "done")[n % 3]}),
                    "project_id": f"p{n % 2}",
                    "n": n,
                }
            )
    for n in range(20):
        plain.put_item(Item={"id": f"r{n}", "n": n})
    yield {"work": work, "plain": plain}
    work.delete()
    plain.delete()


QUERIES = {
    "a partition": ("work", dict(KeyConditionExpression=Key("assignee").eq("annotator-2"))),
    "newest first": (
        "work",
        dict(KeyConditionExpression=Key("assignee").eq("annotator-1"), ScanIndexForward=False),
    ),
    "a sort key condition": (
        "work",
        dict(
            KeyConditionExpression=Key("assignee").eq("annotator-3")
            & Key("place").between("2026-12-05", "2026-12-20")
        ),
    ),
    "begins with": (
        "work",
        dict(
            KeyConditionExpression=Key("assignee").eq("annotator-0")
            & Key("place").begins_with("2026-12-1")
        ),
    ),
    "filtered, projected, consistent": (
        "work",
        dict(
            KeyConditionExpression=Key("assignee").eq("annotator-4"),
            FilterExpression=Attr("state").eq("done") & Attr("project_id").eq("p0"),
            ProjectionExpression="place, #s",
            ExpressionAttributeNames={"#s": "state"},
            ConsistentRead=True,
        ),
    ),
    "counted": (
        "work",
        dict(KeyConditionExpression=Key("assignee").eq("annotator-2"), Select="COUNT"),
    ),
    "nobody's partition": ("work", dict(KeyConditionExpression=Key("assignee").eq("nobody"))),
    "a table without a sort key": ("plain", dict(KeyConditionExpression=Key("id").eq("r7"))),
    "an index": (
        "work",
        dict(IndexName="by-project", KeyConditionExpression=Key("project_id").eq("p1")),
    ),
    "an index's sort key, newest first": (
        "work",
        dict(
            IndexName="by-state",
            KeyConditionExpression=Key("state").eq("done") & Key("place").lt("2026-12-15"),
            ScanIndexForward=False,
        ),
    ),
    "nobody's index partition": (
        "work",
        dict(IndexName="by-state", KeyConditionExpression=Key("state").eq("lost")),
    ),
}


def pages(table, query: dict, limit: int | None) -> list[dict]:
    """Every page of the query's answer, ``limit`` items at a time (None: DynamoDB's own)."""
    answers, start = [], None
    while True:
        page = table.query(
            **query,
            **({"Limit": limit} if limit else {}),
            **({"ExclusiveStartKey": start} if start else {}),
        )
        page.pop("ResponseMetadata")
        answers.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return answers


@pytest.mark.parametrize("limit", [None, 7])
@pytest.mark.parametrize("name", QUERIES)
def test_the_answer_is_motos_own_page_by_page(tables, monkeypatch, name, limit):
    table_name, query = QUERIES[name]
    motos = pages(tables[table_name], query, limit)
    monkeypatch.setattr(Table, "query", partition_query.query)
    assert pages(tables[table_name], query, limit) == motos
    # A comparison of empty answers would show nothing.
    assert sum(page["Count"] for page in motos) > 0 or name.startswith("nobody's")


def test_no_query_sorts_the_whole_table(tables, monkeypatch):
    def walked(table):
        raise AssertionError(f"{table.name}: every item sorted")

    monkeypatch.setattr(Table, "all_items", walked)
    monkeypatch.setattr(Table, "query", partition_query.query)
    answer = tables["work"].query(KeyConditionExpression=Key("assignee").eq("annotator-2"))
    assert [item["n"] for item in answer["Items"]] == sorted(
        range(2, 150, 5), key=lambda n: f"{n % 28 + 1:02d}_{n:03d}"
    )
    answer = tables["work"].query(
        IndexName="by-project", KeyConditionExpression=Key("project_id").eq("p1")
    )
    assert sorted(item["n"] for item in answer["Items"]) == list(range(1, 150, 2))


def test_install_makes_it_every_tables_query(monkeypatch):
    monkeypatch.setattr(Table, "query", MOTOS_QUERY)
    partition_query.install()
    assert Table.query is partition_query.query
