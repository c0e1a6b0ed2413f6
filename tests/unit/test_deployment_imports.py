"""A deployment's detector output: names matched to recordings, files split by their file
column, each file all or nothing, a file dropped again replacing what it brought; against a
real moto server."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest

from chalicelib import annotation_files, annotation_sets, clients
from chalicelib.deployment_imports import audio_stem, import_file, result_stem
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError, TooLargeError
from chalicelib.models import RecordingModel
from chalicelib.projects import Projects
from chalicelib.recordings import Recordings, owned_recording
from tests.annotation_files import fixture

THIRD_PARTY_BIRDNET = "third_party/BirdNET-Analyzer_SNAPSHOT.analyze__main.case1.expected.table.txt"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("dawn.BirdNET.selection.table.txt", "dawn"),
        ("dawn.BirdNET.results.csv", "dawn"),
        ("dawn.BirdNET.results.txt", "dawn"),
        ("site 1/A_0600.Table.1.selections.txt", "A_0600"),
        ("A_0600.Table.12.selections.txt", "A_0600"),
        ("C:\\out\\night.selections.txt", "night"),
        ("night.labels.txt", "night"),
        ("Night.annotations.json", "Night"),
        ("dusk.csv", "dusk"),
        ("20240501_050000.txt", "20240501_050000"),
        ("dawn.birdnet.results.csv", "dawn"),
    ],
)
def test_a_result_file_names_its_recording_by_its_name_minus_its_tools_ending(name, stem):
    assert result_stem(name) == stem


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("/data/site 1, north/dawn.wav", "dawn"),
        ("D:\\field\\site1\\A_0600.wav", "A_0600"),
        ("dawn.2024.flac", "dawn.2024"),
        ("dawn", "dawn"),
    ],
)
def test_an_audio_name_loses_its_folders_and_extension(name, stem):
    assert audio_stem(name) == stem


@pytest.fixture
def ana_project(cloud_settings):
    """A project of 'ana' (a fresh user each test) with dawn.wav (60 s), dusk.flac (60 s) and
    A_0600.wav (20 s), 48 kHz mono; returns (owner, project id, {filename: recording id})."""
    owner = f"ana-{uuid.uuid4().hex[:8]}"
    ticks = itertools.count(1_800_000_000)
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: next(ticks)
    )
    project = Projects(recordings=recordings, clock=lambda: next(ticks)).create(
        owner, {"name": "Season 2026"}
    )
    ids = {}
    for filename, duration in (("dawn.wav", 60.0), ("dusk.flac", 60.0), ("A_0600.wav", 20.0)):
        body = {"filename": filename, "size": 1, "content_type": "", "project_id": project["id"]}
        created = recordings.create(owner, body)["recording"]
        owned_recording(owner, created["id"]).update(
            actions=[
                RecordingModel.duration_s.set(duration),
                RecordingModel.sample_rate.set(48000),
                RecordingModel.channels.set(1),
            ]
        )
        ids[filename] = created["id"]
    return owner, project["id"], ids


def boxes_of(owner: str, recording_id: str) -> list[dict]:
    return annotation_sets.get(owned_recording(owner, recording_id))["annotations"]


def test_a_birdnet_table_lands_on_the_recording_its_begin_path_names(ana_project, cloud_settings):
    owner, project_id, ids = ana_project
    answer = import_file(
        cloud_settings,
        owner,
        project_id,
        fixture("birdnet_v2.4.BirdNET.selection.table.txt"),
        file="anything.BirdNET.selection.table.txt",
        format=None,
    )
    assert answer == {
        "file": "anything.BirdNET.selection.table.txt",
        "format": "birdnet",
        "matched": [{"recording_id": ids["dawn.wav"], "filename": "dawn.wav", "boxes": 2}],
        "unmatched": [],
        "boxes": 2,
    }
    boxes = boxes_of(owner, ids["dawn.wav"])
    assert [(b["label"], b["confidence"], b["source"]) for b in boxes] == [
        ("Eurasian Wren", 0.8123, "birdnet"),
        ("Common Chaffinch", 0.4567, "birdnet"),
    ]
    assert boxes[0]["attributes"]["Species Code"] == "winwre4"
    assert boxes[0]["attributes"]["Imported from"] == "anything.BirdNET.selection.table.txt"


def test_a_file_without_a_file_column_names_its_recording_by_its_own_name(
    ana_project, cloud_settings
):
    owner, project_id, ids = ana_project
    labels = b"1.0\t2.5\towl\n3.0\t4.0\towl\n"
    answer = import_file(
        cloud_settings, owner, project_id, labels, file="results/dusk.labels.txt", format=None
    )
    assert answer["matched"] == [
        {"recording_id": ids["dusk.flac"], "filename": "dusk.flac", "boxes": 2}
    ]
    assert {b["source"] for b in boxes_of(owner, ids["dusk.flac"])} == {"audacity"}


def test_a_stem_with_dots_is_matched_whole(ana_project, cloud_settings):
    owner, project_id, _ = ana_project
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 1.9e9
    )
    body = {"filename": "dawn.2024.wav", "size": 1, "content_type": "", "project_id": project_id}
    dotted = recordings.create(owner, body)["recording"]["id"]
    labels = b"1.0\t2.5\towl\n"
    answer = import_file(
        cloud_settings, owner, project_id, labels, file="dawn.2024.labels.txt", format=None
    )
    assert [m["recording_id"] for m in answer["matched"]] == [dotted]
    row = b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
    row += b"0,3,a,Owl,0.9,dawn.2024.flac\n"
    answer = import_file(cloud_settings, owner, project_id, row, file="combined.csv", format=None)
    assert [m["recording_id"] for m in answer["matched"]] == [dotted]


def test_a_combined_birdnet_csv_is_split_by_its_file_column(ana_project, cloud_settings):
    owner, project_id, ids = ana_project
    combined = (
        b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
        b"0.0,3.0,Strix aluco,Tawny Owl,0.91,/sd/site 1, north/dawn.wav\n"
        b"3.0,6.0,Strix aluco,Tawny Owl,0.52,/sd/site 1, north/dawn.wav\n"
        b"9.0,12.0,Bubo bubo,Eurasian Eagle-Owl,0.77,/sd/site 2/dusk.wav\n"
        b"0.0,3.0,Bubo bubo,Eurasian Eagle-Owl,0.60,/sd/site 2/noon.wav\n"
        b"3.0,6.0,nocall,nocall,1.0,/sd/site 2/evening.wav\n"
    )
    answer = import_file(
        cloud_settings, owner, project_id, combined, file="BirdNET_CombinedTable.csv", format=None
    )
    assert answer["format"] == "birdnet"
    assert answer["matched"] == [
        {"recording_id": ids["dawn.wav"], "filename": "dawn.wav", "boxes": 2},
        # dusk.wav in the file, dusk.flac in the project: extensions are ignored.
        {"recording_id": ids["dusk.flac"], "filename": "dusk.flac", "boxes": 1},
    ]
    assert answer["unmatched"] == ["noon.wav"]
    assert answer["boxes"] == 3
    assert [b["label"] for b in boxes_of(owner, ids["dusk.flac"])] == ["Eurasian Eagle-Owl"]


def test_a_raven_table_over_several_files_is_split_by_begin_file(ana_project, cloud_settings):
    owner, project_id, ids = ana_project
    answer = import_file(
        cloud_settings,
        owner,
        project_id,
        fixture("raven_multifile.Table.1.selections.txt"),
        file="raven_multifile.Table.1.selections.txt",
        format=None,
    )
    assert answer["format"] == "raven"
    assert answer["matched"] == [
        {"recording_id": ids["A_0600.wav"], "filename": "A_0600.wav", "boxes": 1}
    ]
    assert answer["unmatched"] == ["A_0601.wav"]
    (owl,) = boxes_of(owner, ids["A_0600.wav"])
    assert (owl["start_s"], owl["end_s"], owl["label"], owl["source"]) == (
        10.0,
        11.5,
        "owl",
        "raven",
    )


def test_a_file_naming_no_recording_is_reported_not_refused(ana_project, cloud_settings):
    owner, project_id, _ = ana_project
    answer = import_file(
        cloud_settings,
        owner,
        project_id,
        fixture(THIRD_PARTY_BIRDNET),
        file="soundscape.txt",
        format=None,
    )
    assert (answer["matched"], answer["unmatched"], answer["boxes"]) == ([], ["soundscape.wav"], 0)


def test_dropping_a_file_again_replaces_exactly_the_boxes_it_brought(ana_project, cloud_settings):
    owner, project_id, ids = ana_project
    dawn = ids["dawn.wav"]
    table = fixture("birdnet_v2.4.BirdNET.selection.table.txt")
    import_file(
        cloud_settings,
        owner,
        project_id,
        table,
        file="dawn.BirdNET.selection.table.txt",
        format=None,
    )
    import_file(
        cloud_settings,
        owner,
        project_id,
        table,
        file="other.BirdNET.selection.table.txt",
        format=None,
    )
    recording = owned_recording(owner, dawn)
    mine = {"start_s": 1.0, "end_s": 2.0, "label": "drawn by a person"}
    annotation_sets.replace(
        recording,
        {"annotations": [*boxes_of(owner, dawn), mine], "version": recording.annotation_version},
        user=owner,
        clock=time.time,
    )
    shorter = b"".join(table.splitlines(keepends=True)[:2])  # the header and the wren
    answer = import_file(
        cloud_settings,
        owner,
        project_id,
        shorter,
        file="dawn.BirdNET.selection.table.txt",
        format=None,
    )
    assert answer["boxes"] == 1
    kept = sorted((b["label"], b["attributes"].get("Imported from")) for b in boxes_of(owner, dawn))
    assert kept == [
        ("Common Chaffinch", "other.BirdNET.selection.table.txt"),
        ("Eurasian Wren", "dawn.BirdNET.selection.table.txt"),
        ("Eurasian Wren", "other.BirdNET.selection.table.txt"),
        ("drawn by a person", None),
    ]


def test_one_row_past_its_recordings_end_imports_nothing_of_the_file(ana_project, cloud_settings):
    owner, project_id, ids = ana_project
    combined = (
        b"Start (s),End (s),Scientific name,Common name,Confidence,File\n"
        b"0.0,3.0,Strix aluco,Tawny Owl,0.91,dawn.wav\n"
        b"18.0,21.0,Strix aluco,Tawny Owl,0.52,A_0600.wav\n"
    )
    with pytest.raises(
        BadRequestError, match=r"line 3 \(for A_0600.wav\).*past the recording's end"
    ):
        import_file(cloud_settings, owner, project_id, combined, file="combined.csv", format=None)
    assert boxes_of(owner, ids["dawn.wav"]) == []
    assert boxes_of(owner, ids["A_0600.wav"]) == []


def test_two_recordings_of_one_stem_are_told_apart_by_the_whole_name_or_refused(
    ana_project, cloud_settings
):
    owner, project_id, ids = ana_project
    recordings = Recordings(
        settings=cloud_settings, storage=clients.storage(cloud_settings), clock=lambda: 1.9e9
    )
    body = {"filename": "dawn.flac", "size": 1, "content_type": "", "project_id": project_id}
    recordings.create(owner, body)
    csv = "Start (s),End (s),Scientific name,Common name,Confidence,File\n0,3,a,Owl,0.9,"
    answer = import_file(
        cloud_settings, owner, project_id, f"{csv}x/dawn.wav\n".encode(), file="a.csv", format=None
    )
    assert answer["matched"][0]["recording_id"] == ids["dawn.wav"]
    with pytest.raises(ConflictError, match="'dawn.mp3' may be any of .* dawn.flac, dawn.wav"):
        import_file(
            cloud_settings,
            owner,
            project_id,
            f"{csv}x/dawn.mp3\n".encode(),
            file="b.csv",
            format=None,
        )
    with pytest.raises(ConflictError, match="'dawn' may be any of"):
        import_file(
            cloud_settings, owner, project_id, b"1\t2\towl\n", file="dawn.labels.txt", format=None
        )


def test_another_users_project_is_not_found(ana_project, cloud_settings):
    _, project_id, _ = ana_project
    with pytest.raises(NotFoundError):
        import_file(
            cloud_settings, "bob", project_id, b"1\t2\towl\n", file="dawn.labels.txt", format=None
        )


def test_a_file_must_be_named(ana_project, cloud_settings):
    owner, project_id, _ = ana_project
    with pytest.raises(BadRequestError, match=r"\?file="):
        import_file(cloud_settings, owner, project_id, b"1\t2\towl\n", file=None, format=None)


def test_a_file_is_read_within_the_single_imports_limits(ana_project, cloud_settings):
    owner, project_id, _ = ana_project
    with pytest.raises(BadRequestError, match="empty"):
        import_file(cloud_settings, owner, project_id, b"", file="dawn.labels.txt", format=None)
    too_large = b"1\t2\t" + b"o" * annotation_files.MAX_IMPORT_BYTES
    with pytest.raises(TooLargeError):
        import_file(
            cloud_settings, owner, project_id, too_large, file="dawn.labels.txt", format=None
        )


def test_birdnets_analysis_band_ends_at_a_lower_sampled_recordings_highest_frequency(
    ana_project, cloud_settings
):
    owner, project_id, ids = ana_project
    owned_recording(owner, ids["dawn.wav"]).update(actions=[RecordingModel.sample_rate.set(22050)])
    table = fixture("birdnet_v2.4.BirdNET.selection.table.txt")
    import_file(
        cloud_settings,
        owner,
        project_id,
        table,
        file="dawn.BirdNET.selection.table.txt",
        format=None,
    )
    bands = {(b["low_hz"], b["high_hz"]) for b in boxes_of(owner, ids["dawn.wav"])}
    assert bands == {(0.0, 11025.0)}
