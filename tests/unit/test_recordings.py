"""Recordings: pages, cursors, filters, ids, projects and bulk deletes, against a real moto
server."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import re
import time

import pytest

from chalicelib import clients, status, sweeper
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.models import RecordingModel, SpectrogramModel
from chalicelib.projects import Projects
from chalicelib.recordings import Listing, Recordings
from chalicelib.spectrograms import Spectrograms


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


GOOD_CURSOR = "2026-12-03T18:41:58.336263Z_2a3c92b3-401c-4ba7-9454-082cb01c9f7c"


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        GOOD_CURSOR + "\n",
        " " + GOOD_CURSOR,
        GOOD_CURSOR.upper(),
        GOOD_CURSOR.replace("_", "#"),
        GOOD_CURSOR.replace("Z_", "_"),
        "yesterday_2a3c92b3-401c-4ba7-9454-082cb01c9f7c",
        GOOD_CURSOR + "0",
        GOOD_CURSOR[:-1],
        # As cursors were before (base64 of the start key's JSON).
        encoded({"id": {"S": "2a3c92b3-401c-4ba7-9454-082cb01c9f7c"}}),
        "٣" * 10,
    ],
)
def test_a_cursor_we_did_not_issue_is_a_bad_request(recordings, cursor):
    with pytest.raises(BadRequestError, match="cursor .* is not valid"):
        recordings.list("quinn", limit="1", cursor=cursor)


def test_a_well_formed_cursor_pages_from_where_it_points(recordings):
    first, second = new(recordings, "quinn", 2)
    newest = recordings.get("quinn", second)
    place = f"{newest['created_at']}_{second}"
    assert [r["id"] for r in recordings.list("quinn", cursor=place)["recordings"]] == [first]
    # Any place will do, one nobody was given too: the list goes on after it.
    assert recordings.list("quinn", limit="1", cursor=GOOD_CURSOR)["recordings"] == []


def test_one_users_cursor_pages_only_the_callers_own_recordings(recordings):
    new(recordings, "rita", 2)
    sams = new(recordings, "sam", 1)
    cursor = recordings.list("rita", limit="1")["next"]
    # A place in time: sam's recording is newer than rita's two, so nothing is after it.
    assert recordings.list("sam", cursor=cursor)["recordings"] == []
    assert recordings.list("sam")["recordings"][0]["id"] == sams[0]


@pytest.mark.parametrize("limit", ["٣", " 5", "1_0", "+5", "5.0", "", "0", "101", "9" * 5000, "-1"])
def test_limit_is_an_integer_from_1_to_100_in_ascii_digits(recordings, limit):
    with pytest.raises(BadRequestError, match="limit must be an integer from 1 to 100"):
        recordings.list("tom", limit=limit)


@pytest.mark.parametrize("limit", ["1", "100", "007", None])
def test_a_good_limit_is_taken(recordings, limit):
    assert recordings.list("tom", limit=limit)["recordings"] == []


@pytest.mark.parametrize("recording_id", ["", "x" * 3000, "2A3C92B3-401C-4BA7-9454-082CB01C9F7C"])
def test_an_id_we_never_issue_is_not_found_without_asking_dynamodb(recordings, recording_id):
    # DynamoDB refuses an empty key or one over 2048 bytes (moto only the empty one).
    with pytest.raises(NotFoundError, match="no recording"):
        recordings.get("tom", recording_id)


def in_project(recordings: Recordings, projects: Projects, owner: str, pattern: str) -> dict:
    """Recordings created oldest first, one per letter: "p" in the project, "-" in none."""
    project_id = projects.create(owner, {"name": "site"})["id"]
    made = {"project_id": project_id, "p": [], "-": []}
    for n, letter in enumerate(pattern):
        body = {
            "filename": f"Take {n}.wav",
            "size": 1,
            "content_type": "",
            "project_id": project_id if letter == "p" else None,
        }
        made[letter].append(recordings.create(owner, body)["recording"]["id"])
    return made


@pytest.fixture
def projects(recordings) -> Projects:
    return Projects(recordings=recordings, clock=lambda: 1_800_000_000)


def every_page(recordings: Recordings, owner: str, **query) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = recordings.list(owner, cursor=cursor, **query)
        pages.append([r["id"] for r in page["recordings"]])
        cursor = page["next"]
        if cursor is None:
            return pages


@pytest.mark.parametrize("limit", ["1", "2", "3", "5"])
def test_filtered_pages_are_full_and_neither_skip_nor_repeat(recordings, projects, limit):
    made = in_project(recordings, projects, f"ulla{limit}", "p--pp---p-p")
    pages = every_page(recordings, f"ulla{limit}", limit=limit, project=made["project_id"])
    assert [i for page in pages for i in page] == made["p"][::-1]
    assert all(len(page) == int(limit) for page in pages[:-1])
    # The last page is the last one known: no empty page after it.
    assert pages[-1]


def test_a_filter_that_matches_nothing_answers_an_empty_page(recordings, projects):
    in_project(recordings, projects, "vic", "--")
    page = recordings.list("vic", status="FAILED")
    assert (page["recordings"], page["next"]) == ([], None)


def test_filters_combine(recordings, projects):
    made = in_project(recordings, projects, "wanda", "pp--")
    failed = made["p"][0]
    status.move(failed, status.FAILED, now="2027-01-01T00:00:00.000000Z")
    listed = recordings.list("wanda", project=made["project_id"], status="PENDING", q="TAKE 1")
    assert [r["id"] for r in listed["recordings"]] == [made["p"][1]]
    assert [r["id"] for r in recordings.list("wanda", status="FAILED")["recordings"]] == [failed]
    assert recordings.list("wanda", q="take 4")["recordings"] == []


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"status": "DONE"}, "status must be one of PENDING, PROCESSING, COMPLETED, FAILED"),
        ({"status": "pending"}, "status must be one of"),
        ({"q": ""}, "q must be 1 to 255 characters"),
        ({"q": "x" * 256}, "q must be 1 to 255 characters"),
        ({"limit": "0", "status": "PENDING"}, "limit must be an integer from 1 to 100"),
    ],
)
def test_a_bad_filter_is_named(query, complaint):
    with pytest.raises(BadRequestError, match=complaint):
        Listing.read(**{"limit": None, "project": None, "status": None, "q": None, **query})


@pytest.mark.parametrize(
    ("listing", "shown"),
    [
        (Listing(50), True),
        (Listing(50, project_id="p1"), True),
        (Listing(50, status="FAILED"), True),
        (Listing(50, status="PENDING"), False),
        (Listing(50, search="grünfrosch"), True),
        (Listing(50, search="frosch 2"), True),
        (Listing(50, search="frosch 3"), False),
        (Listing(50, project_id="p1", status="FAILED", search="dawn"), True),
        (Listing(50, project_id="p1", status="FAILED", search="dusk"), False),
    ],
)
def test_a_recording_is_shown_when_it_passes_every_filter(listing, shown):
    recording = {"project_id": "p1", "status": "FAILED", "filename": "Dawn/GRÜNFROSCH 2.wav"}
    assert listing.shows(recording) is shown


def test_a_search_is_casefolded_once():
    listing = Listing.read(limit=None, project=None, status=None, q="STRAẞE")
    assert listing.search == "strasse"
    assert listing.shows({"project_id": None, "status": None, "filename": "Straße 1.flac"})


def test_bulk_delete_deletes_the_owners_and_names_the_rest(recordings):
    mine = new(recordings, "xena", 2)
    theirs = new(recordings, "yuri", 1)
    answer = recordings.delete_many("xena", {"ids": [mine[0], theirs[0], "nonsense", mine[1]]})
    assert answer == {"deleted": mine, "not_found": [theirs[0], "nonsense"]}
    assert recordings.list("xena")["recordings"] == []
    assert recordings.get("yuri", theirs[0])["id"] == theirs[0]


def test_bulk_deleted_recordings_are_gone_at_once_and_purged_by_the_sweeper_if_time_ran_out(
    cloud_settings,
):
    # No time to purge in the request: only the marks are written.
    settings = dataclasses.replace(cloud_settings, deletion_budget_s=0)
    storage = clients.storage(settings)
    recordings = Recordings(settings=settings, storage=storage, clock=lambda: 1_800_000_000)
    ids = new(recordings, "vera", 3)
    kept = new(recordings, "vera", 1)
    keys = [RecordingModel.get(recording_id).object_key for recording_id in ids]
    s3 = clients.s3(settings)
    for key in keys:
        s3.put_object(Bucket="recordings", Key=key, Body=b"RIFF")
    answer = recordings.delete_many("vera", {"ids": ids})
    assert answer == {"deleted": ids, "not_found": []}
    assert [r["id"] for r in recordings.list("vera")["recordings"]] == kept
    for recording_id in ids:
        with pytest.raises(NotFoundError, match="no recording"):
            recordings.get("vera", recording_id)
        with pytest.raises(NotFoundError, match="no recording"):
            Spectrograms(settings=settings, storage=storage, clock=time.time).regenerate(
                "vera", recording_id
            )
    assert recordings.delete_many("vera", {"ids": ids}) == {"deleted": [], "not_found": ids}
    assert all(stored(s3, key) for key in keys)
    done = sweeper.sweep(settings=settings, storage=storage, clock=lambda: 1_800_000_001)
    assert set(ids) <= set(done.purged)
    assert not any(stored(s3, key) for key in keys)
    for recording_id in ids:
        with pytest.raises(RecordingModel.DoesNotExist):
            RecordingModel.get(recording_id)


def stored(s3, key: str) -> bool:
    return s3.list_objects_v2(Bucket="recordings", Prefix=key)["KeyCount"] > 0


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"ids": []}, "ids must be a list of 1 to 100 recording ids"),
        ({"ids": ["a"] * 101}, "ids must be a list of 1 to 100"),
        ({"ids": "a"}, "ids must be a list"),
        ({"ids": [1]}, "ids must be a list"),
        ({"ids": ["a", "b", "a"]}, "ids holds 'a' more than once"),
        ({"ids": ["a"], "all": True}, "unknown field(s): all; send only ids"),
        ({}, "missing field(s): ids"),
    ],
)
def test_a_bad_bulk_delete_deletes_nothing(recordings, body, complaint):
    kept = new(recordings, "zack", 1)
    with pytest.raises(BadRequestError, match=re.escape(complaint)):
        recordings.delete_many("zack", body)
    assert recordings.get("zack", kept[0])


def test_a_recording_moves_into_a_project_and_out(recordings, projects):
    (recording_id,) = new(recordings, "amy", 1)
    project_id = projects.create("amy", {"name": "moor"})["id"]
    moved = recordings.change("amy", recording_id, {"project_id": project_id})
    assert moved == {**recordings.get("amy", recording_id), "project_id": project_id}
    assert recordings.get("amy", recording_id)["project_id"] == project_id
    assert recordings.change("amy", recording_id, {"project_id": None})["project_id"] is None
    assert recordings.get("amy", recording_id)["project_id"] is None


@pytest.mark.parametrize(
    ("body", "error", "complaint"),
    [
        ({"project_id": 5}, BadRequestError, "project_id must be a project's id or null, not 5"),
        ({}, BadRequestError, "missing field(s): project_id"),
        ({"project_id": None, "name": "x"}, BadRequestError, "unknown field(s): name"),
        ({"project_id": "p"}, NotFoundError, "no project 'p'"),
        (
            {"project_id": "2a3c92b3-401c-4ba7-9454-082cb01c9f7c"},
            NotFoundError,
            "no project '2a3c92b3-401c-4ba7-9454-082cb01c9f7c'",
        ),
    ],
)
def test_a_recording_moves_only_into_a_project_of_its_owner(recordings, body, error, complaint):
    (recording_id,) = new(recordings, "bob", 1)
    with pytest.raises(error, match=re.escape(complaint)):
        recordings.change("bob", recording_id, body)
    assert recordings.get("bob", recording_id)["project_id"] is None


def test_a_listed_recording_says_when_its_status_last_moved(recordings):
    (recording_id,) = new(recordings, "ida", 1)
    created = recordings.get("ida", recording_id)
    assert created["updated_at"] == created["created_at"]
    status.move(recording_id, status.PROCESSING, now="2027-01-01T00:00:00.000000Z")
    (listed,) = recordings.list("ida")["recordings"]
    assert (listed["status"], listed["updated_at"]) == ("PROCESSING", "2027-01-01T00:00:00.000000Z")


def test_a_page_says_the_servers_time_so_a_wrong_client_clock_does_not_matter(cloud_settings):
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 1.8e9
    )
    assert recordings.list("ida")["server_time"] == "2027-01-15T08:00:00.000000Z"


def uploaded(recordings: Recordings, settings, owner: str) -> tuple[str, Recordings, Spectrograms]:
    """A recording whose audio is stored, and its recordings and spectrograms as they are a
    whole job budget later."""
    created = recordings.create(owner, {"filename": "dusk.wav", "size": 1, "content_type": ""})
    recording_id = created["recording"]["id"]
    clients.storage(settings).put(
        bucket=settings.recordings_bucket,
        key=created["upload"]["fields"]["key"],
        body=b"RIFF",
        content_type="audio/wav",
        cache_control=None,
    )
    later = itertools.count(1_800_000_000 + int(settings.job_timeout_s) + 100)
    storage = clients.storage(settings)
    return (
        recording_id,
        Recordings(settings=settings, storage=storage, clock=lambda: next(later)),
        Spectrograms(settings=settings, storage=storage, clock=lambda: next(later)),
    )


def test_regenerate_takes_over_a_job_left_pending_for_longer_than_a_job(recordings, cloud_settings):
    recording_id, later, later_spectrograms = uploaded(recordings, cloud_settings, "lea")
    now = Spectrograms(
        settings=cloud_settings,
        storage=clients.storage(cloud_settings),
        clock=lambda: 1_800_000_000,
    )
    with pytest.raises(ConflictError, match="the spectrogram is PENDING: wait"):
        now.regenerate("lea", recording_id)
    assert later_spectrograms.regenerate("lea", recording_id) == {"status": "PENDING"}
    shown = later.get("lea", recording_id)
    assert shown["updated_at"] > recordings.get("lea", recording_id)["created_at"]


@pytest.mark.parametrize(("lease_left_s", "taken_over"), [(-1, True), (60, False)])
def test_regenerate_takes_over_a_processing_job_only_once_its_lease_lapsed(
    recordings, cloud_settings, lease_left_s, taken_over
):
    recording_id, later, later_spectrograms = uploaded(recordings, cloud_settings, "max")
    now = 1_800_000_000 + cloud_settings.job_timeout_s + 100
    status.move(
        recording_id,
        status.PROCESSING,
        now="2027-01-01T00:00:00.000000Z",
        actions=(SpectrogramModel.lease_until.set(now + lease_left_s),),
    )
    if taken_over:
        later_spectrograms.regenerate("max", recording_id)
        assert later.get("max", recording_id)["status"] == "PENDING"
    else:
        with pytest.raises(ConflictError, match="the spectrogram is PROCESSING: wait"):
            later_spectrograms.regenerate("max", recording_id)


@pytest.mark.parametrize("limit", [100 * 2**20, 2 * 2**30])
def test_the_upload_limit_of_the_stage_bounds_the_request_and_the_upload_policy(
    cloud_settings, limit
):
    settings = dataclasses.replace(cloud_settings, max_upload_bytes=limit)
    recordings = Recordings(
        settings=settings, storage=clients.storage(settings), clock=lambda: 1_800_000_000
    )
    # A small file goes by POST (larger ones in parts), whose policy takes that size only.
    body = {"filename": "night.wav", "size": 1000, "content_type": ""}
    fields = recordings.create("una", body)["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 1000, 1000] in policy["conditions"]
    with pytest.raises(BadRequestError) as refused:
        recordings.create("una", {**body, "size": limit + 1})
    said = {100 * 2**20: "100 MiB", 2 * 2**30: "2 GiB"}[limit]
    assert refused.value.message == (
        f"'night.wav' is {limit + 1} bytes, over the {said} upload limit"
    )


def test_a_recording_stored_before_keys_began_with_a_hash_is_served_and_deleted_whole(
    recordings, cloud_settings
):
    (recording_id,) = new(recordings, "olga", 1)
    # As rows written before the hash store it; the images were under the same path.
    old_key = f"olga/{recording_id}.wav"
    RecordingModel(recording_id).update(actions=[RecordingModel.object_key.set(old_key)])
    s3 = clients.s3(cloud_settings)
    s3.put_object(Bucket="recordings", Key=old_key, Body=b"RIFF")
    s3.put_object(Bucket="spectrograms", Key=f"olga/{recording_id}/a1/overview.png", Body=b"png")
    spectrograms = Spectrograms(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=time.time
    )
    assert f"/recordings/{old_key}?" in spectrograms.audio_url("olga", recording_id)
    recordings.delete("olga", recording_id)
    for bucket in ("recordings", "spectrograms"):
        assert s3.list_objects_v2(Bucket=bucket, Prefix=f"olga/{recording_id}")["KeyCount"] == 0
