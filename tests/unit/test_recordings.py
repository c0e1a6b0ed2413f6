"""Reading recordings: pages, cursors and ids, against a real moto server."""

from __future__ import annotations

import base64
import itertools
import json

import pytest

from chalicelib import clients
from chalicelib.errors import BadRequestError, NotFoundError
from chalicelib.recordings import Recordings


@pytest.fixture
def recordings(cloud_settings) -> Recordings:
    ticks = itertools.count(1_800_000_000)
    return Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )


def encoded(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def new(recordings: Recordings, owner: str, count: int) -> list[str]:
    body = {"filename": "take.wav", "size": 1, "content_type": ""}
    return [recordings.create(owner, body)["recording"]["id"] for _ in range(count)]


def test_the_next_cursor_pages_through_every_recording_newest_first(recordings):
    ids = new(recordings, "paula", 3)
    first = recordings.list("paula", limit="2")
    second = recordings.list("paula", limit="2", cursor=first["next"])
    listed = [r["id"] for r in first["recordings"] + second["recordings"]]
    assert listed == ids[::-1]
    assert (
        second["next"] is None
        or recordings.list("paula", cursor=second["next"])["recordings"] == []
    )


def good_key() -> dict:
    return {
        "id": {"S": "2a3c92b3-401c-4ba7-9454-082cb01c9f7c"},
        "owner": {"S": "quinn"},
        "created_at": {"S": "2026-12-03T18:41:58.336263Z"},
    }


@pytest.mark.parametrize(
    "cursor",
    [
        encoded({"id": {"S": 1}}),
        encoded({"x": 1}),
        encoded({"id": "a"}),
        encoded([[["a"]]]),
        encoded(None),
        encoded({**good_key(), "extra": {"S": "x"}}),
        encoded({**good_key(), "id": {"S": "x" * 3000}}),
        encoded({**good_key(), "id": {"N": "1"}}),
        encoded({**good_key(), "id": {"S": "a", "N": "1"}}),
        encoded({**good_key(), "created_at": {"S": ""}}),
        encoded({**good_key(), "created_at": {"S": "yesterday"}}),
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "not base64!",
        "é",
    ],
)
def test_a_cursor_we_did_not_issue_is_a_bad_request(recordings, cursor):
    with pytest.raises(BadRequestError, match="cursor .* is not valid"):
        recordings.list("quinn", limit="1", cursor=cursor)


def test_a_well_formed_cursor_pages_from_where_it_points(recordings):
    assert recordings.list("quinn", limit="1", cursor=encoded(good_key()))["recordings"] == []


def test_one_users_cursor_does_not_page_anothers_recordings(recordings):
    new(recordings, "rita", 2)
    cursor = recordings.list("rita", limit="1")["next"]
    with pytest.raises(BadRequestError, match="not one of your pages"):
        recordings.list("sam", limit="1", cursor=cursor)


@pytest.mark.parametrize("limit", ["٣", " 5", "1_0", "+5", "5.0", "", "0", "101", "9" * 5000, "-1"])
def test_limit_is_an_integer_from_1_to_100_in_ascii_digits(recordings, limit):
    with pytest.raises(BadRequestError, match="limit must be an integer from 1 to 100"):
        recordings.list("tom", limit=limit)


@pytest.mark.parametrize("limit", ["1", "100", "007", None])
def test_a_good_limit_is_taken(recordings, limit):
    assert recordings.list("tom", limit=limit) == {"recordings": [], "next": None}


@pytest.mark.parametrize("recording_id", ["", "x" * 3000, "2A3C92B3-401C-4BA7-9454-082CB01C9F7C"])
def test_an_id_we_never_issue_is_not_found_without_asking_dynamodb(recordings, recording_id):
    # DynamoDB refuses an empty key or one over 2048 bytes (moto only the empty one).
    with pytest.raises(NotFoundError, match="no recording"):
        recordings.get("tom", recording_id)
