"""A consensus of two blind annotators merged into the recording's set, against a real moto
server (chalicelib/agreements.py)."""

from __future__ import annotations

import pytest

from chalicelib import agreements, annotation_sets
from chalicelib.clock import iso
from chalicelib.errors import BadRequestError, ConflictError, ForbiddenError
from chalicelib.models import RecordingModel
from tests.blind_layers import ANA, BEN, OWNER, VIV, Lab, box, layer

NOW = 1_900_000_000


@pytest.fixture
def lab(cloud_settings) -> Lab:
    return Lab.new(cloud_settings)


def every_pair(keep: str = "a") -> list[dict]:
    """One choice for each pair of the worked example, keeping ``keep`` where it can."""
    pairs = [("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a4", "b4"), (None, "b5")]
    return [{"a": a, "b": b, "keep": keep if a is not None else "b"} for a, b in pairs]


def merge(user: str, recording_id: str, choices: list[dict], version: int = 0) -> dict:
    _, answer = agreements.merge(
        user, recording_id, {"version": version, "choices": choices}, clock=lambda: NOW
    )
    return answer


def main_set(recording_id: str) -> dict[str, dict]:
    _, boxes = annotation_sets.load(RecordingModel.get(recording_id))
    return {b["id"]: b for b in boxes}


def test_the_kept_boxes_join_the_set_each_signed_by_its_author(lab):
    recording_id = lab.blind_recording()
    choices = every_pair("a")
    choices[1] = {"a": "a2", "b": "b2", "keep": "b", "label": "robin"}
    choices[2] = {"a": "a3", "b": "b3", "keep": "both"}
    choices[3] = {"a": "a4", "b": "b4", "keep": "none"}
    answer = merge(ANA, recording_id, choices)
    assert answer == {"version": 1, "annotation_count": 5, "merged": 5}
    stored = main_set(recording_id)
    assert sorted(stored) == ["a1", "a3", "b2", "b3", "b5"]
    assert {i: b["created_by"] for i, b in stored.items()} == {
        "a1": ANA,
        "a3": ANA,
        "b2": BEN,
        "b3": BEN,
        "b5": BEN,
    }
    # ben called b2 a wren; the consensus (by ana) calls it a robin.
    assert (stored["b2"]["label"], stored["b2"]["updated_by"]) == ("robin", ANA)
    assert stored["b2"]["updated_at"] == iso(NOW)
    assert (stored["a1"]["label"], stored["a1"]["updated_by"]) == ("wren", ANA)
    assert stored["b5"]["updated_by"] == BEN


def test_a_relabel_to_the_same_label_changes_nobodys_signature(lab):
    recording_id = lab.blind_recording()
    choices = every_pair("b")
    choices[0]["label"] = "wren"
    merge(OWNER, recording_id, choices)
    assert main_set(recording_id)["b1"]["updated_by"] == BEN


def test_boxes_already_in_the_set_stay(lab):
    recording_id = lab.blind_recording()
    recording = RecordingModel.get(recording_id)
    earlier = box("p1", 15.0, 16.0, "frog", source="detector:frogs")
    annotation_sets.store(recording, [earlier], version=0, before=[], user=None, clock=lambda: NOW)
    answer = merge(BEN, recording_id, every_pair("none"), version=1)
    assert answer == {"version": 2, "annotation_count": 2, "merged": 1}
    assert sorted(main_set(recording_id)) == ["b5", "p1"]


def test_both_annotators_keeping_one_id_keep_two_boxes(lab):
    recording_id = lab.recording()
    # Both layers began as copies of a detector's proposal, each moved it a little.
    copied = box("p1", 1.0, 2.0, "frog", source="detector:frogs")
    moved = {**copied, "start_s": 1.05}
    layer(recording_id, lab.project_id, ANA, [copied], state="done", by=OWNER)
    layer(recording_id, lab.project_id, BEN, [moved], state="done", by=OWNER)
    merge(ANA, recording_id, [{"a": "p1", "b": "p1", "keep": "both"}])
    stored = main_set(recording_id)
    assert sorted(stored) == ["p1", "p1-b"]
    assert stored["p1-b"]["start_s"] == 1.05
    # A machine's box stays nobody's, whoever kept it.
    assert stored["p1"]["created_by"] is None


def test_a_stale_version_writes_nothing(lab):
    recording_id = lab.blind_recording()
    with pytest.raises(ConflictError, match="changed since version 3"):
        merge(ANA, recording_id, every_pair(), version=3)
    assert main_set(recording_id) == {}


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda c: c.pop(), "leave out the pair a None, b 'b5' (1 pair(s) in all)"),
        (lambda c: c.append(dict(c[0])), "choices[5]: the pair a 'a1', b 'b1' is chosen twice"),
        (lambda c: c[0].update(b="b2"), "choices[0]: a 'a1' and b 'b2' are not a pair"),
        (lambda c: c[4].update(keep="a"), "choices[4]: keep 'a' needs a box of a, not null"),
        (lambda c: c[0].update(keep="none", label="x"), "a label goes with a kept box"),
        (lambda c: c[0].update(keep="mine"), "keep must be one of a, b, both, none"),
        (lambda c: c[0].update(keep=["a"]), "keep must be one of a, b, both, none"),
        (lambda c: c[0].update(label="a\nb"), "without control characters"),
        (lambda c: c[0].update(colour="red"), "choices[0]: unknown field(s): colour"),
    ],
)
def test_choices_must_name_each_pair_once_with_a_keep_it_allows(lab, change, complaint):
    recording_id = lab.blind_recording()
    choices = every_pair()
    change(choices)
    with pytest.raises(BadRequestError) as refused:
        merge(ANA, recording_id, choices)
    assert complaint in refused.value.message
    assert main_set(recording_id) == {}


def test_no_merge_before_both_are_done(lab):
    recording_id = lab.blind_recording(states=("done", "to_do"))
    with pytest.raises(ConflictError, match="ben is to do"):
        merge(ANA, recording_id, every_pair())


def test_a_viewer_may_not_merge(lab):
    recording_id = lab.blind_recording()
    with pytest.raises(ForbiddenError, match="merging a consensus needs annotator or owner"):
        merge(VIV, recording_id, every_pair())
