"""Review decisions written into the boxes' sets: a batch of them over several recordings
(POST /reviews), and accepting every unreviewed box of a label above a confidence as one
action that can be undone (docs/review.md).

Each recording's set is read, changed and stored at the version read; when another writer
(an editor's autosave, another tab's decisions) stored first, it is read again and the
change redone (annotation_sets.rewrite). A box keeps ``review = {state, by, at,
label_before}``: who decided, when, and the label it came in with when it was relabelled.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from chalicelib import access, annotation_sets, annotations, review_index
from chalicelib.access import Need
from chalicelib.clock import Clock, iso
from chalicelib.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    TooLargeError,
)
from chalicelib.models import RecordingModel
from chalicelib.paging import TIMESTAMP
from chalicelib.review_names import MAX_DECISIONS
from chalicelib.review_queue import source_is
from chalicelib.validation import fields, text

# Reads of a set after another writer stored first, before the decisions fail.
WRITE_ATTEMPTS = 5
# Recordings written at once (each a few requests, mostly waiting).
AT_ONCE = 8
DECISION_STATES = (*annotations.REVIEW_STATES, None)
# What a recording's failure is called in its decisions' results.
WHY = {
    NotFoundError: "no such recording (or not yours)",
    ForbiddenError: "your role in the recording's project does not allow decisions: it needs "
    "annotator or owner",
    ConflictError: "the recording's annotations kept changing: try again",
    TooLargeError: "the recording's annotations would grow too large",
}


@dataclass(frozen=True)
class Decision:
    recording_id: str
    annotation_id: str
    state: str | None
    label: str | None

    @classmethod
    def read(cls, raw: object, where: str) -> Decision:
        try:
            recording_id, annotation_id, state, label = fields(
                raw, "recording_id", "annotation_id", "state", optional=("label",)
            )
        except BadRequestError as e:
            raise BadRequestError(f"{where}: {e.message}") from e
        for name, value in (("recording_id", recording_id), ("annotation_id", annotation_id)):
            if not isinstance(value, str):
                raise BadRequestError(f"{where}: {name} must be a string, not {value!r:.80}")
        if state not in DECISION_STATES:
            raise BadRequestError(
                f"{where}: state must be accepted, rejected or null (not reviewed), "
                f"not {state!r:.80}"
            )
        if label is not None:
            label = text(label, field=f"{where}: label", max_length=annotations.MAX_LABEL)
        return cls(recording_id, annotation_id, state, label)


def decided(box: dict, state: str | None, label: str | None, *, by: str, at: str) -> None:
    """Give ``box`` a review of ``state`` (None: not reviewed) and, when ``label`` differs
    from its own, that label, keeping the one it came in with in ``label_before``."""
    before = (box["review"] or {}).get("label_before")
    if label is not None and label != box["label"]:
        before = before or box["label"]
        box["label"] = label
    if before == box["label"]:  # relabelled back to what it came in with
        before = None
    box["review"] = (
        None
        if state is None
        else {
            "state": state,
            "by": by,
            "at": at,
            "label_before": before,
        }
    )


def reviewable(user: str, recording_id: str) -> RecordingModel:
    """The recording, if the user may decide on its boxes (an annotator or the owner)."""
    recording, _ = access.recording(user, recording_id, Need.ANNOTATE, action="reviewing")
    return recording


def _in_parallel(work: Callable, items: list) -> list:
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        return list(pool.map(work, items))


def decide(user: str, body: object, *, clock: Clock) -> dict:
    """Apply a batch of decisions (POST /reviews): ``{"results", "versions"}``.

    A decision on a box that is gone, or on a recording the user may not review, fails in
    its result; the others are written.
    """
    (listed,) = fields(body, "decisions")
    if not (isinstance(listed, list) and 1 <= len(listed) <= MAX_DECISIONS):
        raise BadRequestError(f"decisions must be a list of 1 to {MAX_DECISIONS} decisions")
    decisions = [Decision.read(raw, f"decisions[{i}]") for i, raw in enumerate(listed)]
    at = iso(clock())
    by_recording: dict[str, list[int]] = {}
    for index, decision in enumerate(decisions):
        by_recording.setdefault(decision.recording_id, []).append(index)
    results: list[dict | None] = [None] * len(decisions)
    versions: dict[str, int] = {}

    def write(recording_id: str) -> tuple[str, dict[int, dict] | str, int | None]:
        def change(boxes: list[dict]) -> tuple[list[dict] | None, dict[int, dict]]:
            by_id = {box["id"]: box for box in boxes}
            outcome = {}
            for index in by_recording[recording_id]:
                decision = decisions[index]
                box = by_id.get(decision.annotation_id)
                if box is None:
                    outcome[index] = {"ok": False, "error": "the box was deleted"}
                    continue
                decided(box, decision.state, decision.label, by=user, at=at)
                outcome[index] = {"ok": True, "review": box["review"], "label": box["label"]}
            written = any(result["ok"] for result in outcome.values())
            return (boxes if written else None), outcome

        try:
            recording = reviewable(user, recording_id)
            outcome, version = annotation_sets.rewrite(
                recording, change, attempts=WRITE_ATTEMPTS, user=user, clock=clock
            )
        except (NotFoundError, ForbiddenError, ConflictError, TooLargeError) as e:
            return recording_id, next(why for kind, why in WHY.items() if isinstance(e, kind)), None
        return recording_id, outcome, version

    for recording_id, outcome, version in _in_parallel(write, list(by_recording)):
        if version is not None:
            versions[recording_id] = version
        for index in by_recording[recording_id]:
            result = {"ok": False, "error": outcome} if isinstance(outcome, str) else outcome[index]
            decision = decisions[index]
            results[index] = {
                "recording_id": decision.recording_id,
                "annotation_id": decision.annotation_id,
                **result,
            }
    return {"results": results, "versions": versions}


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise BadRequestError(f"{name} must be a number from 0 to 1, not {value!r:.80}")
    return float(value)


def _boxwise(
    user: str, recording_ids: list[str], change: Callable[[dict], bool], clock: Clock
) -> dict:
    """Apply ``change`` to each box of these recordings (True: it changed the box); the boxes
    changed in each recording written."""

    def write(recording_id: str) -> int:
        def changed_boxes(boxes: list[dict]) -> tuple[list[dict] | None, int]:
            count = sum(1 for box in boxes if change(box))
            return (boxes if count else None), count

        try:
            recording = reviewable(user, recording_id)
        except (NotFoundError, ForbiddenError):  # deleted or moved since the index was read
            return 0
        count, _ = annotation_sets.rewrite(
            recording, changed_boxes, attempts=WRITE_ATTEMPTS, user=user, clock=clock
        )
        return count

    counts = _in_parallel(write, recording_ids)
    return {i: count for i, count in zip(recording_ids, counts, strict=True) if count}


def accept_above(user: str, project_id: str, body: object, *, clock: Clock) -> dict:
    """Accept every unreviewed box of a label at or above a confidence in the project (of a
    source, if given), all with one ``at``: the action's id, which undoes it."""
    label, min_confidence, source = fields(body, "label", "min_confidence", optional=("source",))
    label = text(label, field="label", max_length=annotations.MAX_LABEL)
    least = _number(min_confidence, "min_confidence")
    if source is not None:
        source = text(source, field="source", max_length=annotations.MAX_SOURCE)
    project, _ = access.project(user, project_id, Need.ANNOTATE, action="reviewing")
    scope = review_index.project_scope(project)
    at = iso(clock())

    def accepts(review: dict | None, given: str, confidence: float | None, made_by: str | None):
        return (
            review is None
            and given == label
            and confidence is not None
            and confidence >= least
            and (source is None or source_is(made_by, source))
        )

    def accept(box: dict) -> bool:
        if not accepts(box["review"], box["label"], box["confidence"], box["source"]):
            return False
        box["review"] = {"state": "accepted", "by": user, "at": at, "label_before": None}
        return True

    holding = {
        b.recording_id for b in scope.boxes if accepts(b.review, b.label, b.confidence, b.source)
    }
    changed = _boxwise(user, sorted(holding), accept, clock)
    return {"action": at, "accepted": sum(changed.values()), "recordings": len(changed)}


def undo_accept(user: str, project_id: str, body: object, *, clock: Clock) -> dict:
    """Make the boxes an accept-above action accepted unreviewed again (those decided since,
    by anyone, keep their decision)."""
    (action,) = fields(body, "action")
    if not (isinstance(action, str) and TIMESTAMP.fullmatch(action)):
        raise BadRequestError(
            f"action must be the action an accept answered, such as "
            f"2026-12-07T12:00:00.000000Z, not {action!r:.80}"
        )
    mine = {"state": "accepted", "by": user, "at": action, "label_before": None}
    project, _ = access.project(user, project_id, Need.ANNOTATE, action="reviewing")
    scope = review_index.project_scope(project)

    def undo(box: dict) -> bool:
        if box["review"] != mine:
            return False
        box["review"] = None
        return True

    holding = sorted({b.recording_id for b in scope.boxes if b.review == mine})
    return {"undone": sum(_boxwise(user, holding, undo, clock).values())}
