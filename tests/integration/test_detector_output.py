"""A deployment's detector output over real HTTP: a folder's worth of BirdNET files dropped
on a project, one request a file, landing on the recordings they name."""

from __future__ import annotations

import pytest

from infra.local.harness import ApiUser
from tests.annotation_files import fixture
from tests.integration.test_pipeline import wav_bytes

BIRDNET_TABLE = fixture("birdnet_v2.4.BirdNET.selection.table.txt")
# BirdNET-Analyzer's own expected table, for a soundscape.wav that is in no project.
ELSEWHERE = fixture("third_party/BirdNET-Analyzer_SNAPSHOT.analyze__main.case1.expected.table.txt")
COMBINED = (
    b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
    b"0.0,3.0,Strix aluco,Tawny Owl,0.91,/sd/site 2/noon.wav\n"
    b"3.0,6.0,Strix aluco,Tawny Owl,0.52,/sd/site 2/noon.wav\n"
    b"6.0,9.0,Strix aluco,Tawny Owl,0.66,/sd/site 2/noon.wav\n"
    b"0.0,3.0,Bubo bubo,Eurasian Eagle-Owl,0.60,/sd/site 3/midnight.wav\n"
)


def drop(api: ApiUser, project_id: str, name: str, data: bytes):
    return api.request(
        "POST",
        f"/projects/{project_id}/annotations/import",
        params={"file": name},
        data=data,
        headers={"Content-Type": "application/octet-stream"},
    )


@pytest.fixture(scope="module")
def deployment(alice: ApiUser) -> dict:
    """A project of alice's with three decoded 12 s, 48 kHz recordings: {name: id} and its id."""
    project = alice.request("POST", "/projects", json={"name": "Deployment A"}).json()
    ids = {}
    for name in ("dawn.wav", "dusk.wav", "noon.wav"):
        recording = alice.upload(name, wav_bytes(12.0, 48000))
        moved = alice.request(
            "PATCH", f"/recordings/{recording['id']}", json={"project_id": project["id"]}
        )
        assert moved.status_code == 200, moved.text
        ids[name] = recording["id"]
    for recording_id in ids.values():
        assert alice.wait_until_done(recording_id)["status"] == "COMPLETED"
    return {"project": project["id"], "ids": ids}


def boxes(api: ApiUser, recording_id: str) -> list[dict]:
    answer = api.request("GET", f"/recordings/{recording_id}/annotations")
    assert answer.status_code == 200, answer.text
    return answer.json()["annotations"]


def test_a_folder_of_birdnet_output_lands_on_the_recordings_it_names(alice, deployment):
    project, ids = deployment["project"], deployment["ids"]
    dusk_table = BIRDNET_TABLE.replace(b"/data/dawn.wav", b"/data/dusk.wav")
    answers = [
        drop(alice, project, name, data).json()
        for name, data in (
            ("dawn.BirdNET.selection.table.txt", BIRDNET_TABLE),
            ("dusk.BirdNET.selection.table.txt", dusk_table),
            ("soundscape.BirdNET.selection.table.txt", ELSEWHERE),
            ("BirdNET_CombinedTable.csv", COMBINED),
        )
    ]
    summary = [
        (a["file"], a["format"], [(m["filename"], m["boxes"]) for m in a["matched"]])
        + (a["unmatched"],)
        for a in answers
    ]
    assert summary == [
        ("dawn.BirdNET.selection.table.txt", "birdnet", [("dawn.wav", 2)], []),
        ("dusk.BirdNET.selection.table.txt", "birdnet", [("dusk.wav", 2)], []),
        ("soundscape.BirdNET.selection.table.txt", "birdnet", [], ["soundscape.wav"]),
        ("BirdNET_CombinedTable.csv", "birdnet", [("noon.wav", 3)], ["midnight.wav"]),
    ]
    assert [a["boxes"] for a in answers] == [2, 2, 0, 3]
    assert answers[0]["matched"][0]["recording_id"] == ids["dawn.wav"]
    dusk = boxes(alice, ids["dusk.wav"])
    assert [(b["label"], b["confidence"], b["source"]) for b in dusk] == [
        ("Eurasian Wren", 0.8123, "birdnet"),
        ("Common Chaffinch", 0.4567, "birdnet"),
    ]
    assert dusk[0]["attributes"]["Species Code"] == "winwre4"
    assert [b["label"] for b in boxes(alice, ids["noon.wav"])] == ["Tawny Owl"] * 3

    # The same folder again: each file's boxes replace those it brought, none are doubled.
    again = drop(alice, project, "BirdNET_CombinedTable.csv", COMBINED)
    assert again.status_code == 200, again.text
    assert len(boxes(alice, ids["noon.wav"])) == 3


def test_a_file_with_one_row_past_its_recording_imports_nothing(alice, deployment):
    project, ids = deployment["project"], deployment["ids"]
    late = (
        b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
        b"0.0,3.0,Strix aluco,Tawny Owl,0.91,dusk.wav\n"
        b"0.0,3.0,Strix aluco,Tawny Owl,0.91,dawn.wav\n"
        b"11.0,14.0,Strix aluco,Tawny Owl,0.52,dawn.wav\n"
    )
    before = {name: len(boxes(alice, i)) for name, i in ids.items()}
    answer = drop(alice, project, "late.csv", late)
    assert answer.status_code == 400
    assert "line 4 (for dawn.wav)" in answer.json()["error"]
    assert {name: len(boxes(alice, i)) for name, i in ids.items()} == before


def test_another_users_project_is_not_found(bob, deployment):
    answer = drop(bob, deployment["project"], "dawn.BirdNET.selection.table.txt", BIRDNET_TABLE)
    assert answer.status_code == 404
