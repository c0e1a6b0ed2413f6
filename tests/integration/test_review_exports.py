"""Decisions in exported files, over real HTTP: a recording's export with its review columns
or only its accepted boxes, read back by the import; a project's boxes in one file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from infra.local.harness import ApiUser

ACCEPTED = {
    "state": "accepted",
    "by": "alice",
    "at": "2026-12-07T12:00:00.000001Z",
    "label_before": "wren",
}
REJECTED = {"state": "rejected", "by": "alice", "at": "2026-12-07T12:01:00Z", "label_before": None}
# A detection a person relabelled and accepted, one rejected, one nobody reviewed.
BOXES = [
    {"id": "a", "start_s": 1, "end_s": 2, "label": "robin", "confidence": 0.9, "review": ACCEPTED},
    {"id": "r", "start_s": 3, "end_s": 4, "label": "wren", "confidence": 0.2, "review": REJECTED},
    {"id": "u", "start_s": 5, "end_s": 6, "label": "wren", "confidence": 0.5},
]
REVIEW_COLUMNS = ["Review", "Reviewer", "Reviewed At", "Label Before"]


def new_recording(api: ApiUser, filename: str, boxes: list[dict], project_id=None) -> str:
    """A recording never uploaded (nothing renders or measures it) holding ``boxes``."""
    body = {"filename": filename, "size": 10, "content_type": "", "project_id": project_id}
    created = api.request("POST", "/recordings", json=body)
    assert created.status_code == 201, created.text
    recording_id = created.json()["recording"]["id"]
    put = api.request(
        "PUT",
        f"/recordings/{recording_id}/annotations",
        json={"annotations": boxes, "version": 0},
    )
    assert put.status_code == 200, put.text
    return recording_id


def download(api: ApiUser, path: str) -> tuple[str, str]:
    """The text of a download and the file name it comes under."""
    answer = api.request("GET", path)
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    return answer.text, disposition.split('filename="')[1].split('"')[0]


def table(text: str, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture(scope="module")
def dawn(alice: ApiUser) -> str:
    return new_recording(alice, "dawn.wav", BOXES)


def test_a_raven_export_has_the_review_columns_and_imports_back_with_the_reviews(
    alice: ApiUser, dawn
):
    text, _ = download(alice, f"/recordings/{dawn}/annotations/export?format=raven")
    rows = table(text, "\t")
    assert [[row[name] for name in REVIEW_COLUMNS] for row in rows] == [
        ["accepted", "alice", "2026-12-07T12:00:00.000001Z", "wren"],
        ["rejected", "alice", "2026-12-07T12:01:00Z", ""],
        ["", "", "", ""],
    ]
    copy = new_recording(alice, "copy.wav", [])
    imported = alice.request(
        "POST",
        f"/recordings/{copy}/annotations/import",
        data=text.encode(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert imported.status_code == 200, imported.text
    back = imported.json()["annotations"]
    assert [(box["label"], box["review"]) for box in back] == [
        ("robin", ACCEPTED),
        ("wren", REJECTED),
        ("wren", None),
    ]


def labels(text: str, format: str) -> list[str]:
    """The labels of an exported file's boxes, in order."""
    if format == "raven":
        return [row["Annotation"] for row in table(text, "\t")]
    if format == "csv":
        return [row["annotation"] for row in table(text, ",")]
    if format == "json":
        return [box["label"] for box in json.loads(text)["annotations"]]
    return [line.split("\t")[2] for line in text.splitlines() if not line.startswith("\\")]


@pytest.mark.parametrize("format", ["raven", "audacity", "csv", "json"])
def test_only_the_accepted_boxes_are_exported_when_asked(alice: ApiUser, dawn, format):
    everything, _ = download(alice, f"/recordings/{dawn}/annotations/export?format={format}")
    assert labels(everything, format) == ["robin", "wren", "wren"]
    accepted, name = download(
        alice, f"/recordings/{dawn}/annotations/export?format={format}&review=accepted"
    )
    assert (labels(accepted, format), name.split(".")[0]) == (["robin"], "dawn")


def test_an_export_refuses_a_review_filter_it_does_not_know(alice: ApiUser, dawn):
    answer = alice.request("GET", f"/recordings/{dawn}/annotations/export?format=csv&review=all")
    assert answer.status_code == 400
    assert answer.json()["error"] == "review must be one of accepted, not 'all'"


@pytest.fixture(scope="module")
def marsh(alice: ApiUser) -> tuple[str, list[str]]:
    """A project of two recordings (the older one first) and its recordings' ids."""
    created = alice.request("POST", "/projects", json={"name": "Marsh/2026"})
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    first = new_recording(alice, "reeds.wav", BOXES, project_id)
    owl = {"id": "o", "start_s": 0.5, "end_s": 0.75, "label": "owl", "review": ACCEPTED}
    second = new_recording(alice, "pond.flac", [owl], project_id)
    return project_id, [first, second]


def test_a_project_raven_table_names_each_box_file_and_is_named_after_the_project(
    alice: ApiUser, marsh
):
    project_id, _ = marsh
    text, name = download(alice, f"/projects/{project_id}/annotations/export?format=raven")
    assert name == "Marsh-2026.selections.txt"
    rows = table(text, "\t")
    assert [(row["Selection"], row["Begin File"], row["Annotation"]) for row in rows] == [
        ("1", "reeds.wav", "robin"),
        ("2", "reeds.wav", "wren"),
        ("3", "reeds.wav", "wren"),
        ("4", "pond.flac", "owl"),
    ]
    assert [row["Review"] for row in rows] == ["accepted", "rejected", "", "accepted"]


def test_a_project_csv_and_json_name_each_box_recording(alice: ApiUser, marsh):
    project_id, (reeds, pond) = marsh
    text, name = download(alice, f"/projects/{project_id}/annotations/export?format=csv")
    assert name == "Marsh-2026.annotations.csv"
    rows = table(text, ",")
    assert [(row["audio_file"], row["recording_id"]) for row in rows] == [
        ("reeds.wav", reeds),
        ("reeds.wav", reeds),
        ("reeds.wav", reeds),
        ("pond.flac", pond),
    ]
    text, name = download(alice, f"/projects/{project_id}/annotations/export?format=json")
    document = json.loads(text)
    assert (name, document["project"]) == ("Marsh-2026.annotations.json", "Marsh/2026")
    assert [(box["recording_id"], box["filename"]) for box in document["annotations"]] == [
        (reeds, "reeds.wav"),
        (reeds, "reeds.wav"),
        (reeds, "reeds.wav"),
        (pond, "pond.flac"),
    ]


def test_a_project_export_keeps_only_the_accepted_boxes_when_asked(alice: ApiUser, marsh):
    project_id, _ = marsh
    text, _ = download(
        alice, f"/projects/{project_id}/annotations/export?format=raven&review=accepted"
    )
    rows = table(text, "\t")
    assert [(row["Begin File"], row["Annotation"], row["Review"]) for row in rows] == [
        ("reeds.wav", "robin", "accepted"),
        ("pond.flac", "owl", "accepted"),
    ]


def test_a_project_raven_table_dropped_on_the_project_again_finds_its_recordings(
    alice: ApiUser,
):
    project_id = alice.request("POST", "/projects", json={"name": "again"}).json()["id"]
    new_recording(alice, "reeds.wav", BOXES, project_id)
    text, name = download(alice, f"/projects/{project_id}/annotations/export?format=raven")
    answer = alice.request(
        "POST",
        f"/projects/{project_id}/annotations/import?file={name}",
        data=text.encode(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["boxes"], answer.json()["unmatched"]) == (3, [])


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        ("format=audacity", 400, "format must be one of raven, csv, json, not 'audacity'"),
        ("", 400, "format must be one of raven, csv, json, not None"),
        ("format=raven&review=rejected", 400, "review must be one of accepted, not 'rejected'"),
    ],
)
def test_a_project_export_names_what_is_wrong_with_the_request(
    alice: ApiUser, marsh, query, status, error
):
    project_id, _ = marsh
    answer = alice.request("GET", f"/projects/{project_id}/annotations/export?{query}")
    assert (answer.status_code, answer.json()["error"]) == (status, error)


def test_another_users_project_or_none_is_not_found(alice: ApiUser, bob: ApiUser, marsh):
    project_id, _ = marsh
    for api, project in ((bob, project_id), (alice, "0" * 8 + "-0000-4000-8000-" + "0" * 12)):
        answer = api.request("GET", f"/projects/{project}/annotations/export?format=csv")
        assert answer.status_code == 404
        assert answer.json()["error"].startswith("no project")
