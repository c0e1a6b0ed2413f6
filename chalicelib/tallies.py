"""What a project's annotation sets add up to, per member and per label: the counts its
dashboard reads (TallyModel), kept by ADDing the difference each write makes.

A recording's main set counts (:func:`of_set`) the boxes each person created
(``created_by``; a machine's boxes have none), the review decisions each person made
(``review.by``) and the boxes of each label (a rejected box is not one of its label). The
recording row keeps what its current set counts (``RecordingModel.tally``, JSON, written in
the same update as the set's switch), whether or not it is in a project: that is exactly
what it added to its project, and what a move or a deletion takes back
(``apply(project, old, None)``). A row written before tallies existed has none, and its
boxes were never added: its next write adds them all.

annotation_sets sets the recording's tally in the same conditional update as the set's
switch, then ADDs the difference to the project's items right after it, one UpdateItem an
item: ADDs commute, so writers saving at once never conflict over a busy label's item (as
transactions holding the switch would). Were the function stopped between the switch and
the ADDs, the project's counts would miss that one write; the recordings' own tallies stay
exact, so the project's counts can be recounted from them. Layers (blind annotation) never
count: only the main set is tallied.
"""

from __future__ import annotations

import json
from collections import Counter

from chalicelib import database
from chalicelib.models import RecordingModel, TallyModel

MEMBER = "member#"
LABEL = "label#"


def member_key(username: str) -> str:
    """A member's item in their project's tallies."""
    return MEMBER + username


# Each part of a tally and the item attribute it counts into.
_PARTS = {"boxes_drawn": "boxes_drawn", "decisions": "decisions", "labels": "boxes"}
_PREFIXES = {"boxes_drawn": MEMBER, "decisions": MEMBER, "labels": LABEL}


def of_set(boxes: list[dict]) -> dict:
    """``{"boxes_drawn": {user: n}, "decisions": {user: n}, "labels": {label: n}}``."""
    drawn = Counter(box["created_by"] for box in boxes if box.get("created_by"))
    decided = Counter(
        box["review"]["by"] for box in boxes if box.get("review") and box["review"].get("by")
    )
    labels = Counter(
        box["label"] for box in boxes if (box.get("review") or {}).get("state") != "rejected"
    )
    return {"boxes_drawn": dict(drawn), "decisions": dict(decided), "labels": dict(labels)}


def of_recording(recording: RecordingModel) -> dict | None:
    """What the recording's current set added to its project (None: nothing yet)."""
    return json.loads(recording.tally) if recording.tally else None


def encode(tally: dict) -> str:
    return json.dumps(tally, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def changes(old: dict | None, new: dict | None) -> dict[str, dict[str, int]]:
    """What going from ``old`` to ``new`` adds to each item: ``{key: {attribute: n}}``,
    without the items (and attributes) it leaves as they are."""
    changed: dict[str, dict[str, int]] = {}
    for part, attribute in _PARTS.items():
        before, after = (old or {}).get(part, {}), (new or {}).get(part, {})
        for name in before.keys() | after.keys():
            difference = after.get(name, 0) - before.get(name, 0)
            if difference:
                changed.setdefault(f"{_PREFIXES[part]}{name}", {})[attribute] = difference
    return changed


def write(project_id: str, changed: dict[str, dict[str, int]]) -> None:
    """ADD ``changed`` (:func:`changes`) to the project's items."""
    with database.translated("count the project's boxes"):
        for key, amounts in sorted(changed.items()):
            TallyModel(project_id, key).update(
                actions=[getattr(TallyModel, name).add(n) for name, n in amounts.items()]
            )


def apply(project_id: str, old: dict | None, new: dict | None) -> None:
    """ADD the difference between two tallies to the project's items (a move or a deletion:
    ``old`` -> None leaving the project, None -> ``new`` joining it)."""
    write(project_id, changes(old, new))


def delete_all(project_id: str) -> None:
    """Every tally item of a project being deleted (its recordings purged later by the
    sweeper may still ADD to a few: items of a project that no longer exists, read by no one).
    """
    with database.translated("read the project's tallies"):
        items = list(TallyModel.query(project_id, attributes_to_get=["project_id", "key"]))
    with database.translated("delete the project's tallies"), TallyModel.batch_write() as batch:
        for item in items:
            batch.delete(item)
