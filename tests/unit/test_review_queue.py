"""The review queue's filters, orders, stratified sample, cursor and counts, on boxes made
here (chalicelib/review_queue.py is pure)."""

from __future__ import annotations

import random

import pytest

from chalicelib.errors import BadRequestError
from chalicelib.review_index import Box, Recording, Scope
from chalicelib.review_queue import PrecisionQuery, Query, confidence_bin, page
from chalicelib.reviews import decided

RECORDINGS = {
    "r1": Recording("r1", "dawn.wav", "2026-12-01T05:00:00.000000Z", 60.0),
    "r2": Recording("r2", "dusk.wav", "2026-12-01T19:00:00.000000Z", 60.0),
}
LABELS = ("Wren", "Robin", "Blackbird")
SOURCES = (None, "birdnet", "detector:Wren", "detector:song")


def made_boxes(count: int, seed: int = 3) -> list[Box]:
    rng = random.Random(seed)
    boxes = []
    for i in range(count):
        start = round(rng.uniform(0, 50), 3)
        confidence = None if i % 9 == 0 else round(rng.random(), 3)
        boxes.append(
            Box.of(
                rng.choice(("r1", "r2")),
                [
                    f"b{i:04d}",
                    start,
                    start + 1,
                    1000.0,
                    4000.0,
                    rng.choice(LABELS),
                    confidence,
                    SOURCES[i % len(SOURCES)],
                    None,
                ],
            )
        )
    return boxes


def scope_of(boxes: list[Box]) -> Scope:
    return Scope(RECORDINGS, boxes)


def query(**params) -> Query:
    return Query.read({name: str(value) for name, value in params.items()}, project=True)


def reviewed(boxes: list[Box], ids: set[str], state: str = "accepted", label=None) -> list[Box]:
    """``boxes`` with a decision on those of ``ids``, as POST /reviews makes it."""
    changed = []
    for box in boxes:
        if box.annotation_id in ids:
            stored = {"label": box.label, "review": box.review}
            decided(stored, state, label, by="alice", at="2026-12-07T12:00:00.000000Z")
            box = Box.of(box[0], [*box[1:6], stored["label"], *box[7:9], stored["review"]])
        changed.append(box)
    return changed


def every_page(boxes_now, q: dict, limit: int = 7) -> list[list[dict]]:
    """Every page of the queue, reading ``boxes_now()`` again before each page."""
    pages, cursor = [], None
    while True:
        params = {**q, "limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = page(scope_of(boxes_now(len(pages))), query(**params))
        pages.append(answer["items"])
        cursor = answer["next_cursor"]
        if cursor is None:
            return pages


def ids(items: list[dict]) -> list[str]:
    return [item["annotation_id"] for item in items]


@pytest.mark.parametrize("order", ["confidence_desc", "confidence_asc", "time", "sample"])
def test_paging_shows_each_box_once_while_decisions_take_boxes_out_of_the_queue(order):
    boxes = made_boxes(120)
    q = {"order": order, "per_stratum": 6}
    everything = ids([i for p in every_page(lambda _: boxes, q, limit=200) for i in p])
    decisions: set[str] = set()
    shown: list[str] = []
    cursor = None
    while True:
        now = reviewed(boxes, decisions)
        params = {**q, "state": "unreviewed", "limit": 7, **({"cursor": cursor} if cursor else {})}
        answer = page(scope_of(now), query(**params))
        shown += ids(answer["items"])
        # The reviewer decides the page just shown; someone else decides two boxes further on.
        decisions.update(ids(answer["items"]))
        decisions.update(everything[len(shown) + 3 :][:2])
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert len(shown) == len(set(shown)), "a box was shown twice"
    # In queue order, and every box nobody else decided first was shown.
    assert shown == [i for i in everything if i in set(shown)]
    others = decisions - set(shown)
    assert [i for i in everything if i not in others] == shown


def test_the_sample_stays_the_same_boxes_whatever_is_decided():
    boxes = made_boxes(300)
    q = {"order": "sample", "per_stratum": 4, "bins": 5, "seed": 7, "limit": 200}
    before = page(scope_of(boxes), query(**q))
    sampled = ids(before["items"])
    rejected = reviewed(boxes, set(sampled[::3]), "rejected")
    relabelled = reviewed(rejected, set(sampled[1::3]), "accepted", label="Chaffinch")
    after = page(scope_of(relabelled), query(**q))
    assert ids(after["items"]) == sampled
    assert [i["stratum"] for i in after["items"]] == [i["stratum"] for i in before["items"]]
    unreviewed = page(scope_of(relabelled), query(**q, state="unreviewed"))
    assert ids(unreviewed["items"]) == sampled[2::3]
    # Counts are over the sample whatever the state: "n of M reviewed" keeps its M.
    assert unreviewed["counts"] == {
        "boxes": len(sampled),
        "reviewed": len(sampled) - len(sampled[2::3]),
        "accepted": len(sampled[1::3]),
        "rejected": len(sampled[::3]),
    }


def test_the_sample_takes_per_stratum_boxes_of_each_label_and_confidence_bin():
    boxes = made_boxes(400)
    answer = page(scope_of(boxes), query(order="sample", per_stratum=3, bins=4, limit=200))
    strata: dict[tuple, list[dict]] = {}
    for item in answer["items"]:
        strata.setdefault((item["stratum"]["label"], item["stratum"]["bin"]), []).append(item)
    for (label, place), items in strata.items():
        population = [
            b for b in boxes if b.label == label and confidence_bin(b.confidence, 4) == place
        ]
        assert len(items) == min(3, len(population))
        assert all(item["label"] == label for item in items)
        if place == "none":
            assert all(item["confidence"] is None for item in items)
        else:
            assert all(place / 4 <= item["confidence"] < (place + 1) / 4 for item in items)
    assert {label for label, _ in strata} == set(LABELS)
    assert {place for _, place in strata} == {0, 1, 2, 3, "none"}
    # In sample order: label, then bin (none last), then the keyed hash.
    order = [
        (i["stratum"]["label"], 9 if i["stratum"]["bin"] == "none" else i["stratum"]["bin"])
        for i in answer["items"]
    ]
    assert order == sorted(order)


def test_another_seed_draws_another_sample_and_the_same_seed_the_same():
    boxes = made_boxes(300)
    first = ids(page(scope_of(boxes), query(order="sample", seed=1, limit=200))["items"])
    again = ids(
        page(scope_of(list(reversed(boxes))), query(order="sample", seed=1, limit=200))["items"]
    )
    other = ids(page(scope_of(boxes), query(order="sample", seed=2, limit=200))["items"])
    assert first == again
    assert set(first) != set(other)


@pytest.mark.parametrize(
    ("source", "holds"),
    [
        ("people", lambda s: s is None),
        ("detector", lambda s: s is not None and s.startswith("detector:")),
        ("birdnet", lambda s: s == "birdnet"),
        ("detector:Wren", lambda s: s == "detector:Wren"),
    ],
)
def test_source_kinds_and_exact_sources(source, holds):
    boxes = made_boxes(80)
    answer = page(scope_of(boxes), query(source=source, limit=200))
    assert sorted(ids(answer["items"])) == sorted(b.annotation_id for b in boxes if holds(b.source))


def test_a_confidence_range_is_inclusive_and_leaves_out_boxes_without_one():
    boxes = made_boxes(200)
    empty = page(scope_of(boxes), query(min_confidence=0.8, max_confidence=0.2))
    assert empty["items"] == [] and empty["counts"]["boxes"] == 0
    answer = page(scope_of(boxes), query(min_confidence=0.25, max_confidence=0.5, limit=200))
    expected = [b for b in boxes if b.confidence is not None and 0.25 <= b.confidence <= 0.5]
    assert sorted(ids(answer["items"])) == sorted(b.annotation_id for b in expected)
    assert answer["counts"]["boxes"] == len(expected)


def test_counts_are_over_the_filter_but_not_the_state_and_choices_over_the_whole_scope():
    boxes = made_boxes(90)
    wrens = [b.annotation_id for b in boxes if b.label == "Wren"]
    decisions = reviewed(reviewed(boxes, set(wrens[:4]), "accepted"), set(wrens[4:6]), "rejected")
    answer = page(scope_of(decisions), query(label="Wren", state="unreviewed", limit=200))
    assert len(answer["items"]) == len(wrens) - 6
    assert answer["counts"] == {"boxes": len(wrens), "reviewed": 6, "accepted": 4, "rejected": 2}
    assert {row["label"]: row["boxes"] for row in answer["labels"]} == {
        label: sum(b.label == label for b in boxes) for label in LABELS
    }
    assert answer["sources"][0]["source"] is None
    assert sum(row["boxes"] for row in answer["sources"]) == len(boxes)


def test_confidence_orders_put_boxes_without_one_last_and_time_goes_by_recording_then_start():
    boxes = made_boxes(60)
    down = page(scope_of(boxes), query(limit=200))["items"]
    scored = [i["confidence"] for i in down if i["confidence"] is not None]
    assert scored == sorted(scored, reverse=True)
    assert all(i["confidence"] is None for i in down[len(scored) :])
    up = page(scope_of(boxes), query(order="confidence_asc", limit=200))["items"]
    assert [i["confidence"] for i in up[: len(scored)]] == sorted(scored)
    timed = page(scope_of(boxes), query(order="time", limit=200))["items"]
    assert [(i["filename"], i["start_s"]) for i in timed] == sorted(
        (i["filename"], i["start_s"]) for i in timed
    )


def test_a_relabelled_box_stays_under_the_label_it_came_in_with():
    boxes = made_boxes(40)
    wren = next(b for b in boxes if b.label == "Wren")
    relabelled = reviewed(boxes, {wren.annotation_id}, "accepted", label="Chaffinch")
    answer = page(scope_of(relabelled), query(label="Wren", limit=200))
    shown = next(i for i in answer["items"] if i["annotation_id"] == wren.annotation_id)
    assert shown["label"] == "Chaffinch"
    assert shown["review"]["label_before"] == "Wren"
    # The type-ahead learns of the new label; the filter gives it no box of its own.
    assert {"label": "Chaffinch", "boxes": 0} in answer["labels"]
    scored = PrecisionQuery.read({"label": "Wren"}).scored(scope_of(relabelled))
    assert [s.state for s in scored if s.confidence == wren.confidence] == ["rejected"]


def test_decided_keeps_the_first_label_and_null_undoes():
    box = {"label": "Wren", "review": None}
    decided(box, "accepted", "Robin", by="alice", at="t1")
    decided(box, "accepted", "Dunnock", by="alice", at="t2")
    assert box == {
        "label": "Dunnock",
        "review": {"state": "accepted", "by": "alice", "at": "t2", "label_before": "Wren"},
    }
    decided(box, "rejected", "Wren", by="bob", at="t3")
    assert box["review"]["label_before"] is None and box["label"] == "Wren"
    decided(box, None, None, by="bob", at="t4")
    assert box["review"] is None


@pytest.mark.parametrize(
    ("confidence", "bins", "place"),
    [(0.0, 10, 0), (0.3, 10, 3), (0.57, 100, 57), (0.999, 10, 9), (1.0, 10, 9), (None, 10, "none")],
)
def test_confidence_bins_are_equal_bins_on_zero_to_one(confidence, bins, place):
    assert confidence_bin(confidence, bins) == place


@pytest.mark.parametrize(
    "params",
    [
        {"order": "random"},
        {"state": "maybe"},
        {"min_confidence": "1.5"},
        {"min_confidence": "nan"},
        {"limit": "0"},
        {"limit": "201"},
        {"bins": "0"},
        {"cursor": "not-a-cursor"},
    ],
)
def test_bad_queries_are_refused_by_name(params):
    with pytest.raises(BadRequestError):
        page(scope_of(made_boxes(5)), Query.read(params, project=True))


def test_a_cursor_of_another_filter_is_refused():
    boxes = made_boxes(50)
    cursor = page(scope_of(boxes), query(limit=5))["next_cursor"]
    with pytest.raises(BadRequestError, match="other filters"):
        page(scope_of(boxes), query(limit=5, label="Wren", cursor=cursor))


def test_a_recording_filter_is_a_project_queue_s_only():
    with pytest.raises(BadRequestError, match="one recording's"):
        Query.read({"recording": "r1"}, project=False)
