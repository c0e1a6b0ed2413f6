"""Precision by confidence: the Wilson interval, the stratified estimate and the threshold,
against numbers worked by hand (docs/review.md, "Precision by confidence")."""

import csv
import io
from dataclasses import replace

import pytest

from chalicelib.errors import BadRequestError
from chalicelib.precision import (
    CSV_COLUMNS,
    LabelPrecision,
    Scored,
    ThresholdRow,
    as_csv,
    as_json,
    by_label,
    wilson,
)
from chalicelib.review_names import THRESHOLDS


def boxes(label, confidence, *, accepted=0, rejected=0, unreviewed=0):
    return (
        [Scored(label, confidence, "accepted")] * accepted
        + [Scored(label, confidence, "rejected")] * rejected
        + [Scored(label, confidence, None)] * unreviewed
    )


def row_at(label: LabelPrecision, threshold: float) -> ThresholdRow:
    (row,) = [row for row in label.rows if row.threshold == threshold]
    return row


# A stratified sample: 10 of the 90 boxes scoring 0.10-0.15 reviewed (5 accepted), and all
# 10 boxes scoring 0.95 or more (all accepted).
WREN = boxes("wren", 0.12, accepted=5, rejected=5, unreviewed=80) + boxes("wren", 0.97, accepted=10)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # p = 0.8, z^2/n = 0.38416: centre 0.99208 / 1.38416, half 1.96 / 1.38416 * 0.16001.
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 6, 0.4365, 0.9699),
    ],
)
def test_the_wilson_interval_is_the_textbook_one(successes, n, low, high):
    assert wilson(successes, n) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_the_wilson_interval_takes_an_effective_count_that_is_not_whole():
    assert wilson(6.7073, 12.1951) == (
        pytest.approx(0.2942, abs=5e-5),
        pytest.approx(0.7818, abs=5e-5),
    )


@pytest.mark.parametrize(("successes", "n"), [(1, 0), (-1, 5), (6, 5)])
def test_the_wilson_interval_of_no_trials_or_impossible_counts_is_refused(successes, n):
    with pytest.raises(ValueError, match="0 <= successes <= n"):
        wilson(successes, n)


def test_a_stratified_sample_estimates_the_population_not_the_sample():
    (wren,) = by_label(WREN)
    lowest = row_at(wren, 0.10)
    assert (lowest.boxes, lowest.reviewed, lowest.accepted, lowest.rejected) == (100, 20, 15, 5)
    # The naive ratio would be 15 / 20 = 0.75; each bin weighs its boxes:
    # (90 * 5/10 + 10 * 10/10) / 100 = 0.55.
    assert lowest.precision == pytest.approx(0.55)
    # Kish: 100^2 / (90^2 / 10 + 10^2 / 10) = 12.195 effective reviews; Wilson of 0.55 of them.
    assert (lowest.low, lowest.high) == (
        pytest.approx(0.2942, abs=5e-5),
        pytest.approx(0.7818, abs=5e-5),
    )


def test_the_threshold_is_the_lowest_whose_precision_reaches_the_target():
    (wren,) = by_label(WREN, target=0.9)
    # From 0.15 up only the fully reviewed top bin counts: 10 of 10, the plain interval.
    assert row_at(wren, 0.15) == ThresholdRow(0.15, 10, 10, 10, 0, 1.0, *wilson(10, 10))
    assert row_at(wren, 0.95) == replace(row_at(wren, 0.15), threshold=0.95)
    assert wren.threshold == 0.15
    (lenient,) = by_label(WREN, target=0.5)
    assert lenient.threshold == 0.10


def test_an_even_share_reviewed_is_the_plain_ratio_and_interval():
    # A tenth of each bin reviewed: every review weighs the same.
    even = boxes("tit", 0.42, accepted=3, rejected=1, unreviewed=36) + boxes(
        "tit", 0.81, accepted=2, unreviewed=18
    )
    (tit,) = by_label(even)
    assert row_at(tit, 0.40) == ThresholdRow(0.40, 60, 6, 5, 1, 5 / 6, *wilson(5, 6))


def test_a_bin_nobody_reviewed_is_left_out_of_the_estimate_but_counted_in_its_rows():
    (robin,) = by_label(boxes("robin", 0.3, unreviewed=50) + boxes("robin", 0.6, accepted=4))
    assert row_at(robin, 0.30) == ThresholdRow(0.30, 54, 4, 4, 0, 1.0, *wilson(4, 4))


def test_a_label_nobody_reviewed_has_no_precision_and_no_threshold():
    (owl,) = by_label(boxes("owl", 0.5, unreviewed=7))
    assert (owl.boxes, owl.reviewed, owl.threshold) == (7, 0, None)
    assert {(row.precision, row.low, row.high) for row in owl.rows} == {(None, None, None)}


def test_a_label_that_never_reaches_the_target_has_no_threshold():
    (jay,) = by_label(boxes("jay", 0.99, accepted=8, rejected=2), target=0.9)
    assert row_at(jay, 0.95).precision == pytest.approx(0.8)
    assert jay.threshold is None


def test_boxes_without_a_confidence_count_for_the_label_but_not_at_any_threshold():
    (crow,) = by_label(
        boxes("crow", None, accepted=3, unreviewed=2) + boxes("crow", 0.05, rejected=1)
    )
    assert (crow.boxes, crow.reviewed, crow.accepted, crow.rejected) == (6, 4, 3, 1)
    assert {row.boxes for row in crow.rows} == {0}


def test_a_confidence_on_a_threshold_counts_from_that_threshold_and_one_over_1_in_the_last_bin():
    (dove,) = by_label([Scored("dove", 0.15, "accepted"), Scored("dove", 1.5, "rejected")])
    assert [row_at(dove, t).boxes for t in (0.10, 0.15, 0.20, 0.95)] == [2, 2, 1, 1]


def test_there_is_a_row_per_threshold_and_labels_come_in_order():
    table = by_label(boxes("wren", 0.5, accepted=1) + boxes("Blackbird", 0.5, accepted=1))
    assert [label.label for label in table] == ["Blackbird", "wren"]
    assert [row.threshold for row in table[0].rows] == list(THRESHOLDS)
    assert THRESHOLDS[0] == 0.10 and THRESHOLDS[-1] == 0.95 and len(THRESHOLDS) == 18


def test_no_boxes_make_an_empty_table():
    assert by_label([]) == []


@pytest.mark.parametrize("target", [0, -0.5, 1.01, float("nan"), True, "0.9"])
def test_a_target_that_is_not_a_precision_is_refused_quoting_it(target):
    with pytest.raises(BadRequestError, match="target must be a precision"):
        by_label(WREN, target=target)


def test_the_json_answer_names_the_target_the_method_and_every_label():
    answer = as_json(by_label(WREN), 0.9)
    assert set(answer) == {"target", "method", "labels"}
    assert answer["target"] == 0.9 and "Wilson" in answer["method"]
    (wren,) = answer["labels"]
    assert (wren["label"], wren["boxes"], wren["threshold"]) == ("wren", 100, 0.15)
    assert set(wren["rows"][0]) == {
        "threshold",
        "boxes",
        "reviewed",
        "accepted",
        "rejected",
        "precision",
        "low",
        "high",
    }


def test_the_csv_has_a_row_per_label_and_threshold_and_runs_no_formula():
    table = by_label(WREN + boxes("=HYPERLINK()", 0.5, unreviewed=1))
    rows = list(csv.reader(io.StringIO(as_csv(table, 0.9))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 2 * len(THRESHOLDS)
    assert rows[1] == ["'=HYPERLINK()", "0.10", "1", "0", "0", "0", "", "", "", "0.9", ""]
    wren = {row[1]: row for row in rows if row[0] == "wren"}
    assert wren["0.10"] == [
        "wren", "0.10", "100", "20", "15", "5", "0.5500", "0.2942", "0.7818", "0.9", "0.15"
    ]  # fmt: skip
