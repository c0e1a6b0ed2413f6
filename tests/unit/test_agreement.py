"""Agreement between two annotators (chalicelib/agreement.py): figures worked by hand."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from chalicelib.agreement import Tally, compare, iou, kappa, match

NYQUIST = 10_000.0


def box(box_id: str, start: float, end: float, low=None, high=None, label="", channel=1) -> dict:
    return {
        "id": box_id,
        "start_s": start,
        "end_s": end,
        "low_hz": low,
        "high_hz": high,
        "label": label,
        "channel": channel,
    }


# The worked example of docs/lab-agreement.md (a recording sampled at 20 kHz).
A = [
    box("a1", 1.0, 2.0, 1000, 3000, "wren"),
    box("a2", 4.0, 5.0, 2000, 4000, "robin"),
    box("a3", 7.0, 7.5, label="wren"),
    box("a4", 9.0, 9.0, label="owl"),
]
B = [
    box("b1", 0.9, 2.0, 1000, 3000, "wren"),
    box("b2", 4.0, 5.2, 2000, 4000, "wren"),
    box("b3", 7.1, 7.5, label="wren"),
    box("b4", 9.03, 9.03, label="owl"),
    box("b5", 12.0, 13.0, label="robin"),
]


def test_the_worked_example_pairs_each_box_of_a_with_its_overlap_in_b():
    pairs = match(A, B, nyquist_hz=NYQUIST)
    ids = [(p.a and p.a["id"], p.b and p.b["id"]) for p in pairs]
    assert ids == [("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a4", "b4"), (None, "b5")]
    # a1/b1: 1.0 s x 2000 Hz shared of 1.1 s x 2000 Hz = 1/1.1.
    # a2/b2: 1.0 s x 2000 Hz shared of 1.2 s x 2000 Hz = 1/1.2.
    # a3/b3: no band, both span 0..10 kHz: 0.4 s of 0.5 s.
    # a4/b4: points 150 ms wide, 30 ms apart: 0.12 s shared of 0.18 s.
    expected = [1 / 1.1, 1 / 1.2, 0.4 / 0.5, 0.12 / 0.18]
    assert [p.iou for p in pairs[:4]] == pytest.approx(expected)
    assert pairs[4].iou is None


def test_the_worked_example_figures():
    _, tally = compare(A, B, nyquist_hz=NYQUIST)
    figures = tally.figures()
    assert figures["boxes"] == {"a": 4, "b": 5}
    assert figures["matched"] == 4
    assert figures["match_rate"] == {"a": 1.0, "b": 0.8}
    # Pairs: wren/wren, robin/wren, wren/wren, owl/owl. p_o = 3/4.
    # A's labels: wren 2, robin 1, owl 1; B's: wren 3, owl 1.
    # p_e = (2*3 + 1*0 + 1*1) / 4^2 = 7/16; kappa = (3/4 - 7/16) / (1 - 7/16) = 5/9.
    assert figures["label_agreement"] == 0.75
    assert figures["kappa"] == pytest.approx(5 / 9)
    assert figures["kappa_undefined"] is None
    # Onsets B - A: -0.1, 0, 0.1, 0.03; offsets: 0, 0.2, 0, 0.03.
    assert figures["onset_diff_s"] == pytest.approx(
        {"mean": 0.0075, "median": 0.015, "mean_abs": 0.0575}
    )
    assert figures["offset_diff_s"] == pytest.approx(
        {"mean": 0.0575, "median": 0.015, "mean_abs": 0.0575}
    )


def test_kappa_of_a_textbook_two_by_two_table():
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15 (50 pairs): p_o = 35/50 = 0.7;
    # A says yes 25 times, B 30: p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    table = Counter({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert kappa(table) == (pytest.approx(0.4), None)


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (Counter(), "no matched pairs"),
        (Counter({("wren", "wren"): 7}), "the same one label"),
    ],
)
def test_kappa_is_undefined_without_pairs_or_without_chance_of_disagreeing(table, reason):
    value, why = kappa(table)
    assert value is None
    assert reason in why


def test_kappa_is_negative_when_annotators_disagree_more_than_chance():
    # Always swapped: p_o = 0, p_e = 0.5 * 0.5 * 2 = 0.5, kappa = -1.
    assert kappa(Counter({("a", "b"): 5, ("b", "a"): 5})) == (-1.0, None)


def test_a_box_without_a_band_spans_the_whole_band():
    banded = box("x", 0.0, 1.0, 0, NYQUIST / 2)
    assert iou(banded, box("y", 0.0, 1.0), nyquist_hz=NYQUIST) == 0.5


def test_boxes_on_different_channels_never_overlap():
    left, right = box("x", 0.0, 1.0), box("y", 0.0, 1.0, channel=2)
    assert iou(left, right, nyquist_hz=NYQUIST) == 0.0


@pytest.mark.parametrize(("apart_s", "matched"), [(0.0, True), (0.0499, True), (0.0501, False)])
def test_two_points_match_within_50_ms(apart_s: float, matched: bool):
    pairs = match(
        [box("x", 3.0, 3.0)], [box("y", 3.0 + apart_s, 3.0 + apart_s)], nyquist_hz=NYQUIST
    )
    assert (len(pairs) == 1) is matched


def test_a_box_below_half_overlap_is_not_matched():
    # 1 s boxes 0.34 s apart: 0.66 shared of 1.34 < 0.5.
    pairs = match([box("x", 0.0, 1.0)], [box("y", 0.34, 1.34)], nyquist_hz=NYQUIST)
    assert [(p.a and p.a["id"], p.b and p.b["id"]) for p in pairs] == [("x", None), (None, "y")]


def test_the_best_overlap_is_matched_first_each_box_once():
    # y overlaps x2 best (IoU 1), x1 less (0.6); z overlaps only x1 (0.52).
    a = [box("x1", 0.0, 1.0), box("x2", 0.25, 1.25)]
    b = [box("y", 0.25, 1.25), box("z", -0.0, 0.52)]
    pairs = match(a, b, nyquist_hz=NYQUIST)
    assert [(p.a and p.a["id"], p.b and p.b["id"]) for p in pairs] == [("x1", "z"), ("x2", "y")]


def test_ties_go_to_the_earlier_box():
    # y overlaps x1 and x2 alike (0.75 s shared of 1.25 s: IoU 0.6): the earlier x1 takes it.
    a = [box("x2", 0.25, 1.25), box("x1", -0.25, 0.75)]
    b = [box("y", 0.0, 1.0)]
    for order in (a, a[::-1]):
        first = match(order, b, nyquist_hz=NYQUIST)[0]
        assert (first.a["id"], first.b["id"]) == ("x1", "y")


def test_ten_thousand_boxes_each_are_matched_quickly():
    a = [box(f"a{i}", i * 1.0, i * 1.0 + 0.5, label="x") for i in range(10_000)]
    b = [box(f"b{i}", i * 1.0 + 0.05, i * 1.0 + 0.55, label="x") for i in range(10_000)]
    _, tally = compare(a, b, nyquist_hz=NYQUIST)
    assert tally.matched == 10_000


def test_no_boxes_give_no_figures_but_no_error():
    figures = compare([], [], nyquist_hz=NYQUIST)[1].figures()
    assert figures["match_rate"] == {"a": None, "b": None}
    assert figures["kappa"] is None
    assert figures["onset_diff_s"] == {"mean": None, "median": None, "mean_abs": None}


def test_tallies_add_up_to_the_figures_of_all_pairs_together():
    first = compare(A[:2], B[:2], nyquist_hz=NYQUIST)[1]
    second = compare(A[2:], B[2:], nyquist_hz=NYQUIST)[1]
    whole = compare(A, B, nyquist_hz=NYQUIST)[1]
    pooled, together = (first + second).figures(), whole.figures()
    for name in ("onset_diff_s", "offset_diff_s"):
        assert pooled.pop(name) == pytest.approx(together.pop(name))
    assert pooled == together


def test_a_tally_reads_back_as_stored():
    tally = compare(A, B, nyquist_hz=NYQUIST)[1]
    stored = json.loads(json.dumps(tally.stored()))
    assert Tally.read(stored) == tally


def test_a_tally_without_its_lists_keeps_the_means_not_the_median_nor_kappa():
    whole = compare(A, B, nyquist_hz=NYQUIST)[1]
    slim = Tally(
        boxes_a=whole.boxes_a,
        boxes_b=whole.boxes_b,
        confusion=None,
        onsets=None,
        offsets=None,
        sums=whole.sums,
    )
    figures = (slim + whole).figures()
    assert figures["onset_diff_s"]["mean"] == pytest.approx(0.0075)
    assert figures["onset_diff_s"]["median"] is None
    assert figures["kappa"] is None
    assert "too large" in figures["kappa_undefined"]
