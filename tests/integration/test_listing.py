"""Listing with filters and deleting many at once, over real HTTP. Every answer is also
checked against /openapi.json by the clients."""

from __future__ import annotations

import pytest

from chalicelib.paging import MAX_PAGE
from chalicelib.recordings import audio_key
from infra.local.harness import ApiUser, RunningStack
from tests.integration.test_pipeline import wav_bytes


@pytest.fixture(scope="module")
def jana(stack: RunningStack) -> dict:
    """A user with a recording in each status the tests read, in and out of a project.

    Oldest first: a rendered song in the project, a text file named .wav (FAILED), two
    never uploaded (PENDING) in the project, one never uploaded outside it.
    """
    user = ApiUser(stack.api_url, "jana")
    project = user.request("POST", "/projects", json={"name": "Heath"}).json()
    song = user.upload("Nightjar Song.wav", wav_bytes(0.5))
    notes = user.upload("notes.wav", b"field notes, not audio\n" * 10)
    made = {"user": user, "project": project["id"], "song": song["id"], "notes": notes["id"]}
    user.request("PATCH", f"/recordings/{song['id']}", json={"project_id": project["id"]})
    for name, filename, project_id in (
        ("first", "nightjar call.flac", project["id"]),
        ("second", "owl.flac", project["id"]),
        ("outside", "NIGHTJAR far.flac", None),
    ):
        body = {"filename": filename, "size": 10, "content_type": "", "project_id": project_id}
        made[name] = user.request("POST", "/recordings", json=body).json()["recording"]["id"]
    assert user.wait_until_done(song["id"])["status"] == "COMPLETED"
    assert user.wait_until_done(notes["id"])["status"] == "FAILED"
    return made


def listed(jana: dict, **query) -> list[str]:
    answer = jana["user"].request("GET", "/recordings", params=query)
    assert answer.status_code == 200, answer.text
    return [r["id"] for r in answer.json()["recordings"]]


def test_filters_show_only_what_they_name_newest_first(jana: dict):
    assert listed(jana, project=jana["project"]) == [jana["second"], jana["first"], jana["song"]]
    assert listed(jana, status="PENDING") == [jana["outside"], jana["second"], jana["first"]]
    assert listed(jana, status="COMPLETED") == [jana["song"]]
    assert listed(jana, status="FAILED") == [jana["notes"]]
    assert listed(jana, status="PROCESSING") == []
    assert listed(jana, q="nightjar") == [jana["outside"], jana["first"], jana["song"]]
    assert listed(jana, q="JAR SONG") == [jana["song"]]
    assert listed(jana, q=".FLAC", project=jana["project"]) == [jana["second"], jana["first"]]
    assert listed(jana, q="nightjar", status="PENDING", project=jana["project"]) == [jana["first"]]


@pytest.mark.parametrize("limit", [1, 2])
def test_a_filtered_listing_pages_in_full_pages_without_skips_or_repeats(jana: dict, limit: int):
    pages, cursor = [], None
    while True:
        query = {"status": "PENDING", "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = jana["user"].request("GET", "/recordings", params=query).json()
        pages.append([r["id"] for r in page["recordings"]])
        if (cursor := page["next"]) is None:
            break
    assert [i for page in pages for i in page] == [jana["outside"], jana["second"], jana["first"]]
    assert all(len(page) == limit for page in pages[:-1]) and pages[-1]


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"status": "DONE"}, "status must be one of PENDING, PROCESSING, COMPLETED, FAILED"),
        ({"q": ""}, "q must be 1 to 255 characters"),
        ({"q": "x" * 256}, "q must be 1 to 255 characters"),
        ({"limit": 101, "status": "FAILED"}, "limit must be an integer from 1 to 100"),
        ({"cursor": "bm9wZQ==", "q": "a"}, "cursor 'bm9wZQ==' is not valid"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(jana: dict, query: dict, complaint: str):
    answer = jana["user"].request("GET", "/recordings", params=query)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]


@pytest.mark.parametrize("project", ["2a3c92b3-401c-4ba7-9454-082cb01c9f7c", "heath", ""])
def test_listing_a_project_that_is_not_yours_is_not_found(jana: dict, project: str):
    answer = jana["user"].request("GET", "/recordings", params={"project": project})
    assert answer.status_code == 404
    assert answer.json() == {"error": f"no project {project!r}"}


def test_another_users_project_is_not_listed(jana: dict, stack: RunningStack):
    kurt = ApiUser(stack.api_url, "kurt")
    answer = kurt.request("GET", "/recordings", params={"project": jana["project"]})
    assert answer.status_code == 404
    assert kurt.request("GET", "/recordings", params={"q": "nightjar"}).json()["recordings"] == []


def new_recordings(user: ApiUser, count: int) -> list[str]:
    body = {"filename": "bulk.wav", "size": 10, "content_type": ""}
    return [
        user.request("POST", "/recordings", json=body).json()["recording"]["id"]
        for _ in range(count)
    ]


def test_bulk_delete_deletes_each_as_delete_does_and_names_the_rest(stack: RunningStack):
    lena, mia = ApiUser(stack.api_url, "lena"), ApiUser(stack.api_url, "mia")
    rendered = lena.upload("bulk song.wav", wav_bytes(0.5))
    assert lena.wait_until_done(rendered["id"])["status"] == "COMPLETED"
    pending = new_recordings(lena, 2)
    theirs = new_recordings(mia, 1)
    ids = [rendered["id"], theirs[0], *pending, "not-an-id"]
    answer = lena.request("POST", "/recordings/delete", json={"ids": ids})
    assert answer.status_code == 200
    assert answer.json() == {
        "deleted": [rendered["id"], *pending],
        "not_found": [theirs[0], "not-an-id"],
    }
    for bucket in ("recordings", "spectrograms"):
        assert stack.stored(bucket, f"lena/{rendered['id']}") == []
    assert lena.request("GET", "/recordings").json()["recordings"] == []
    assert mia.request("GET", f"/recordings/{theirs[0]}").status_code == 200
    again = lena.request("POST", "/recordings/delete", json={"ids": pending})
    assert again.json() == {"deleted": [], "not_found": pending}


def test_a_whole_page_of_recordings_is_deleted_in_one_request(stack: RunningStack):
    pia = ApiUser(stack.api_url, "pia")
    rendered = [pia.upload(f"page {n}.wav", wav_bytes(0.5))["id"] for n in range(3)]
    for recording_id in rendered:
        assert pia.wait_until_done(recording_id)["status"] == "COMPLETED"
    ids = rendered + new_recordings(pia, MAX_PAGE - len(rendered))
    prefixes = [audio_key("pia", recording_id, "") for recording_id in rendered]
    assert all(stack.stored("spectrograms", prefix) for prefix in prefixes)
    answer = pia.request("POST", "/recordings/delete", json={"ids": ids})
    assert answer.json() == {"deleted": ids, "not_found": []}
    assert pia.request("GET", "/recordings").json()["recordings"] == []
    for bucket in ("recordings", "spectrograms"):
        assert [key for prefix in prefixes for key in stack.stored(bucket, prefix)] == []


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"ids": []}, "ids must be a list of 1 to 100 recording ids"),
        ({"ids": ["x"] * 101}, "ids must be a list of 1 to 100 recording ids"),
        ({"ids": [7]}, "ids must be a list of 1 to 100 recording ids"),
        ({"ids": "x"}, "ids must be a list"),
        ({}, "missing field(s): ids"),
        ({"ids": ["x"], "force": True}, "unknown field(s): force; send only ids"),
    ],
)
def test_a_bad_bulk_delete_deletes_nothing(stack: RunningStack, body, complaint: str):
    nora = ApiUser(stack.api_url, "nora")
    kept = new_recordings(nora, 1)
    answer = nora.request("POST", "/recordings/delete", json=body)
    assert answer.status_code == 400
    assert complaint in answer.json()["error"]
    assert nora.request("GET", f"/recordings/{kept[0]}").status_code == 200


def test_a_bulk_delete_naming_an_id_twice_deletes_nothing(stack: RunningStack):
    oksana = ApiUser(stack.api_url, "oksana")
    first, second = new_recordings(oksana, 2)
    answer = oksana.request("POST", "/recordings/delete", json={"ids": [first, second, first]})
    assert answer.status_code == 400
    assert answer.json() == {"error": f"ids holds {first!r} more than once"}
    assert len(oksana.request("GET", "/recordings").json()["recordings"]) == 2
