"""Projects: their names and presets, and what they do to recordings, against a real moto server."""

from __future__ import annotations

import itertools

import pytest

from chalicelib import clients
from chalicelib.deletions import Deletions
from chalicelib.detector_presets import DetectorPreset
from chalicelib.errors import BadRequestError, NotFoundError
from chalicelib.models import ProjectModel
from chalicelib.projects import ENGINE_N_FFT, Presets, Projects
from chalicelib.recordings import Recordings, audio_key
from chalicelib.spectrogram.stft import N_FFT


@pytest.fixture
def ticks() -> itertools.count:
    return itertools.count(1_850_000_000)


@pytest.fixture
def projects(recordings) -> Projects:
    ticks = itertools.count(1_850_000_000)
    return Projects(recordings=recordings, clock=lambda: next(ticks))


def new_recording(recordings: Recordings, owner: str, project_id: str | None = None) -> str:
    body = {"filename": "take.wav", "size": 1, "content_type": "", "project_id": project_id}
    return recordings.create(owner, body)["recording"]["id"]


def test_a_null_preset_stands_for_the_engines_n_fft():
    assert ENGINE_N_FFT == N_FFT


@pytest.mark.parametrize(
    ("body", "presets"),
    [
        (None, Presets()),
        ({}, Presets()),
        ({"f_max_hz": 8000, "n_fft": 1024, "hop_length": 1024}, Presets(8000, 1024, 1024)),
        ({"f_max_hz": 0.5e6 + 0.5, "n_fft": None, "hop_length": None}, Presets(500000.5)),
        ({"f_max_hz": 1, "n_fft": 8192.0, "hop_length": 8192}, Presets(1, 8192, 8192)),
        ({"n_fft": 256, "hop_length": 1.0}, Presets(None, 256, 1)),
        ({"hop_length": 2048}, Presets(hop_length=2048)),
    ],
)
def test_presets_take_the_engines_ranges(body, presets):
    assert Presets.from_request(body) == presets


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ([], "presets: send a JSON object with any of f_max_hz, n_fft and hop_length"),
        ({"fmax": 1}, "presets: unknown field(s): fmax; send only f_max_hz, n_fft and hop_length"),
        ({"f_max_hz": 0}, "presets.f_max_hz must be a frequency from 1 to 1000000 Hz"),
        ({"f_max_hz": 0.5}, "presets.f_max_hz must be"),
        ({"f_max_hz": 1_000_000.5}, "presets.f_max_hz must be"),
        ({"f_max_hz": float("nan")}, "presets.f_max_hz must be"),
        ({"f_max_hz": True}, "presets.f_max_hz must be"),
        ({"f_max_hz": "8000"}, "presets.f_max_hz must be"),
        ({"n_fft": 1000}, "presets.n_fft must be a power of two from 256 to 8192"),
        ({"n_fft": 128}, "presets.n_fft must be"),
        ({"n_fft": 16384}, "presets.n_fft must be"),
        ({"n_fft": 1024.5}, "presets.n_fft must be"),
        ({"n_fft": True}, "presets.n_fft must be"),
        ({"hop_length": 0}, "presets.hop_length must be an integer from 1 to n_fft (2048)"),
        ({"hop_length": 2049}, "presets.hop_length must be an integer from 1 to n_fft (2048)"),
        ({"n_fft": 512, "hop_length": 513}, "from 1 to n_fft (512)"),
        ({"n_fft": None, "hop_length": 4096}, "from 1 to n_fft (2048)"),
        ({"hop_length": 1.5}, "presets.hop_length must be"),
        ({"hop_length": "512"}, "presets.hop_length must be"),
    ],
)
def test_presets_out_of_range_are_named(body, complaint):
    with pytest.raises(BadRequestError) as refused:
        Presets.from_request(body)
    assert complaint in refused.value.message


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({}, "missing field(s): name"),
        ({"name": ""}, "name must be a string of 1 to 100 characters"),
        ({"name": "x" * 101}, "name must be a string of 1 to 100 characters"),
        ({"name": 5}, "name must be a string"),
        ({"name": "dawn\nchorus"}, "name 'dawn\\nchorus' holds control characters"),
        ({"name": "\ud800"}, "name '\\ud800' is not valid Unicode text"),
        (
            {"name": "a", "colour": "red"},
            "unknown field(s): colour; send only name, presets and detectors",
        ),
        ("a", "send a JSON object with name (and optionally presets and detectors)"),
        ({"name": "a", "presets": {"n_fft": 3}}, "presets.n_fft must be"),
    ],
)
def test_a_bad_new_project_is_refused_with_the_reason(projects, body, complaint):
    with pytest.raises(BadRequestError) as refused:
        projects.create("uma", body)
    assert refused.value.message.startswith(complaint)


def test_a_new_project_has_the_engines_presets_and_no_recordings(projects):
    created = projects.create("uma", {"name": "Dawn chorus 🐦 2026"})
    assert created["name"] == "Dawn chorus 🐦 2026"
    assert created["presets"] == {"f_max_hz": None, "n_fft": None, "hop_length": None}
    assert created["recording_count"] == 0
    assert projects.get("uma", created["id"]) == created


def test_projects_page_newest_first(projects):
    ids = [projects.create("vera", {"name": f"site {n}"})["id"] for n in range(3)]
    first = projects.list("vera", limit="2")
    second = projects.list("vera", limit="2", cursor=first["next"])
    assert [p["id"] for p in first["projects"] + second["projects"]] == ids[::-1]
    assert second["next"] is None


def test_a_project_counts_its_recordings(projects, recordings):
    project = projects.create("wim", {"name": "pond"})
    for _ in range(2):
        new_recording(recordings, "wim", project["id"])
    new_recording(recordings, "wim")
    assert projects.get("wim", project["id"])["recording_count"] == 2


def test_a_change_replaces_what_it_names_and_keeps_the_rest(projects):
    project = projects.create("xia", {"name": "pond", "presets": {"f_max_hz": 4000}})
    renamed = projects.change("xia", project["id"], {"name": "big pond"})
    assert renamed["presets"]["f_max_hz"] == 4000
    changed = projects.change("xia", project["id"], {"presets": {"n_fft": 4096}})
    assert changed["name"] == "big pond"
    # Presets are replaced whole: what is left out goes back to the engine's.
    assert changed["presets"] == {"f_max_hz": None, "n_fft": 4096, "hop_length": None}
    assert projects.change("xia", project["id"], {"presets": None})["presets"] == Presets().__dict__
    assert projects.change("xia", project["id"], {}) == projects.get("xia", project["id"])


def test_detector_presets_are_stored_whole_with_their_defaults_and_replaced_whole(projects):
    project = projects.create("yan", {"name": "marsh", "detectors": [{"name": "wrens"}]})
    (wrens,) = project["detectors"]
    assert wrens == DetectorPreset("wrens").to_json()
    assert projects.get("yan", project["id"])["detectors"] == [wrens]
    given = [{"name": "owls", "max_freq_hz": 2000, "enabled": False}, {"name": "bats"}]
    changed = projects.change("yan", project["id"], {"detectors": given})
    assert [(d["name"], d["max_freq_hz"], d["enabled"]) for d in changed["detectors"]] == [
        ("owls", 2000.0, False),
        ("bats", 10_000.0, True),
    ]
    assert (
        projects.change("yan", project["id"], {"name": "fen"})["detectors"] == changed["detectors"]
    )
    assert projects.change("yan", project["id"], {"detectors": []})["detectors"] == []
    assert projects.create("yan", {"name": "none"})["detectors"] == []


@pytest.mark.parametrize(
    ("detectors", "complaint"),
    [
        ({"name": "x"}, "detectors must be a list of presets"),
        ([{"name": "x"}, {"name": "x"}], "detectors: two presets are named 'x'"),
        (
            [{"name": "x", "min_freq_hz": 5000, "max_freq_hz": 4000}],
            "detectors[0] ('x'): min_freq_hz",
        ),
        ([{"name": f"p{i}"} for i in range(11)], "detectors lists 11 presets"),
    ],
)
def test_bad_detector_presets_are_refused_naming_the_preset(projects, detectors, complaint):
    project = projects.create("zed", {"name": "heath"})
    for change in (
        lambda: projects.create("zed", {"name": "x", "detectors": detectors}),
        lambda: projects.change("zed", project["id"], {"detectors": detectors}),
    ):
        with pytest.raises(BadRequestError) as refused:
            change()
        assert refused.value.message.startswith(complaint), refused.value.message
    assert projects.get("zed", project["id"])["detectors"] == []


def test_label_keys_are_stored_by_key_and_replaced_whole(projects):
    project = projects.create("ada", {"name": "copse"})
    assert project["label_keys"] == []
    keys = projects.change("ada", project["id"], {"label_keys": ["Wren", None, "Robin 🐦"]})
    assert keys["label_keys"] == ["Wren", None, "Robin 🐦"]
    assert projects.get("ada", project["id"])["label_keys"] == ["Wren", None, "Robin 🐦"]
    assert projects.change("ada", project["id"], {"name": "wood"})["label_keys"] == [
        "Wren",
        None,
        "Robin 🐦",
    ]
    # Keys past the last label give none: trailing nulls are not kept.
    assert projects.change("ada", project["id"], {"label_keys": [None, "Jay", None, None]})[
        "label_keys"
    ] == [None, "Jay"]
    assert projects.change("ada", project["id"], {"label_keys": [None] * 9})["label_keys"] == []
    nine = [f"label {n}" for n in range(1, 10)]
    assert projects.change("ada", project["id"], {"label_keys": nine})["label_keys"] == nine
    assert projects.change("ada", project["id"], {"label_keys": []})["label_keys"] == []


@pytest.mark.parametrize(
    ("label_keys", "complaint"),
    [
        ({"1": "Wren"}, "label_keys must be a list of up to 9 labels"),
        (None, "label_keys must be a list of up to 9 labels"),
        ([f"l{n}" for n in range(10)], "label_keys lists 10 labels; keys 1 to 9 take at most 9"),
        (["Wren", ""], "label_keys[1] must be a string of 1 to 200 characters"),
        (["Wren", 7], "label_keys[1] must be a string of 1 to 200 characters"),
        ([None, None, "x" * 201], "label_keys[2] must be a string of 1 to 200 characters"),
        (["tab\there"], "label_keys[0] 'tab\\there' holds control characters"),
    ],
)
def test_bad_label_keys_are_refused_naming_the_key(projects, label_keys, complaint):
    project = projects.change(
        "bo", projects.create("bo", {"name": "dune"})["id"], {"label_keys": ["Tern"]}
    )
    with pytest.raises(BadRequestError) as refused:
        projects.change("bo", project["id"], {"label_keys": label_keys})
    assert refused.value.message.startswith(complaint), refused.value.message
    assert projects.get("bo", project["id"])["label_keys"] == ["Tern"]


def test_another_users_project_is_not_found(projects, recordings):
    project = projects.create("yann", {"name": "mine"})
    for attempt in (
        lambda: projects.get("zoe", project["id"]),
        lambda: projects.change("zoe", project["id"], {"name": "theirs"}),
        lambda: projects.delete("zoe", project["id"]),
        lambda: new_recording(recordings, "zoe", project["id"]),
        lambda: recordings.list("zoe", project=project["id"]),
    ):
        with pytest.raises(NotFoundError, match=f"no project '{project['id']}'"):
            attempt()
    assert projects.get("yann", project["id"])["name"] == "mine"


@pytest.mark.parametrize("project_id", ["", "x" * 3000, "2A3C92B3-401C-4BA7-9454-082CB01C9F7C"])
def test_a_project_id_we_never_issue_is_not_found(projects, recordings, project_id):
    with pytest.raises(NotFoundError, match="no project"):
        projects.get("yann", project_id)
    with pytest.raises(NotFoundError, match="no project"):
        new_recording(recordings, "yann", project_id)


def test_deleting_a_project_deletes_its_recordings_as_delete_does(
    projects, recordings, cloud_settings
):
    project = projects.create("abe", {"name": "doomed"})
    inside = [new_recording(recordings, "abe", project["id"]) for _ in range(2)]
    outside = new_recording(recordings, "abe")
    s3 = clients.s3(cloud_settings)
    key = audio_key("abe", inside[0], ".wav")
    s3.put_object(Bucket=cloud_settings.recordings_bucket, Key=key, Body=b"audio")
    projects.delete("abe", project["id"])
    with pytest.raises(NotFoundError, match="no project"):
        projects.get("abe", project["id"])
    for recording_id in inside:
        with pytest.raises(NotFoundError, match="no recording"):
            recordings.get("abe", recording_id)
    assert "Contents" not in s3.list_objects_v2(Bucket=cloud_settings.recordings_bucket, Prefix=key)
    assert recordings.get("abe", outside)["project_id"] is None


def test_no_recording_joins_a_project_being_deleted(projects, recordings):
    project = projects.create("bea", {"name": "closing"})
    stray = new_recording(recordings, "bea")
    # As if its deletion had begun and not yet finished.
    ProjectModel(project["id"]).update(actions=[ProjectModel.deleting.set(True)])
    with pytest.raises(NotFoundError, match="no project"):
        new_recording(recordings, "bea", project["id"])
    with pytest.raises(NotFoundError, match="no project"):
        recordings.change("bea", stray, {"project_id": project["id"]})
    assert recordings.get("bea", stray)["project_id"] is None
    # Asked again, the deletion finishes.
    projects.delete("bea", project["id"])
    with pytest.raises(NotFoundError):
        projects.get("bea", project["id"])


def test_a_project_too_large_to_mark_in_one_request_is_deleted_by_the_next(
    projects, recordings, cloud_settings
):
    project = projects.create("cid", {"name": "huge"})
    inside = [new_recording(recordings, "cid", project["id"]) for _ in range(5)]
    # Time for two marks in the first request (the deadline and each mark read the clock).
    ticks = iter([0, 0, 0] + [99] * 10)
    recordings.deletions = Deletions(
        settings=cloud_settings,
        storage=clients.storage(cloud_settings),
        clock=lambda: 1_850_000_100,
        monotonic=lambda: next(ticks, 99),
    )
    assert projects.delete("cid", project["id"]) == 3
    # Being deleted: no recording may join it, the marked ones are gone already.
    assert ProjectModel.get(project["id"]).deleting
    listed = {r["id"] for r in recordings.list("cid")["recordings"]}
    assert len(listed & set(inside)) == 3
    recordings.deletions = Deletions(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 0
    )
    assert projects.delete("cid", project["id"]) == 0
    with pytest.raises(NotFoundError, match="no project"):
        projects.get("cid", project["id"])
    assert recordings.list("cid")["recordings"] == []
