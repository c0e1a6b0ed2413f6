"""Agreement between the two annotators of a recording assigned blind, kept for the project,
and their consensus merged into the recording's set.

While a recording is assigned blind to two members, each draws on their own layer (the
assignment row points at its chunks). Once both have set their assignment done,
:func:`after_state_change` stores what the project's figures are pooled from in a
``agreement#<recording id>`` item of the tallies table (chalicelib/agreement.py's
``Tally``), so the project's agreement is one Query; reopening an assignment forgets it.
The recording's own agreement (every pair of boxes) is computed from the layers whenever
it is asked for. A consensus writes the boxes kept of each pair into the recording's main
set, each keeping its author (docs/lab-agreement.md).
"""

from __future__ import annotations

import copy
import json
import reprlib

from chalicelib import access, annotation_sets, annotations, chunks, database, layers
from chalicelib.access import Need
from chalicelib.agreement import Pair, Tally, compare
from chalicelib.clock import Clock
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.models import AssignmentModel, RecordingModel, TallyModel
from chalicelib.validation import fields, whole_number
from chalicelib.work_states import DONE

KEY_PREFIX = "agreement#"
# What a consensus choice keeps of a pair: A's box, B's, both, or neither.
KEEP = {"a": ("a",), "b": ("b",), "both": ("a", "b"), "none": ()}
# A summary is one DynamoDB item (400 KB with its keys). Past this, its differences and
# then its label table are left out: the project's means still pool, its median or kappa
# say they cannot (10 000 matched pairs with a handful of labels take about 200 KB).
MAX_SUMMARY_BYTES = 350_000


def key(recording_id: str) -> str:
    """The tallies item holding a recording's agreement summary."""
    return f"{KEY_PREFIX}{recording_id}"


def blind_assignments(recording_id: str) -> list[AssignmentModel]:
    """The recording's blind assignments (read consistently), by assignee."""
    rows = layers.assignments(recording_id)
    return sorted((row for row in rows if row.blind), key=lambda row: row.assignee)


def _both_done(recording_id: str) -> tuple[AssignmentModel, AssignmentModel]:
    rows = blind_assignments(recording_id)
    if len(rows) != 2:
        raise ConflictError(
            "this recording is not annotated blind by two members: assign it to two "
            "annotators with blind double annotation to compare their boxes"
        )
    waiting = [
        f"{row.assignee} is {row.state.replace('_', ' ')}" for row in rows if row.state != DONE
    ]
    if waiting:
        raise ConflictError(
            "the agreement shows once both annotators are done: " + " and ".join(waiting)
        )
    return rows[0], rows[1]


def _layer(row: AssignmentModel) -> list[dict]:
    _, boxes = layers.load(row)
    return boxes


def _nyquist_hz(recording: RecordingModel, boxes: list[dict]) -> float:
    """Half the sample rate; before decoding told it, the highest band drawn (or 1 Hz, when
    no box has one: then every box spans the same whole band, whatever its height)."""
    if recording.sample_rate:
        return recording.sample_rate / 2
    return max((box["high_hz"] for box in boxes if box.get("high_hz")), default=1.0)


def _compared(
    recording: RecordingModel, rows: tuple[AssignmentModel, AssignmentModel]
) -> tuple[list[Pair], Tally]:
    a, b = (_layer(row) for row in rows)
    return compare(a, b, nyquist_hz=_nyquist_hz(recording, a + b))


def _summary(rows: tuple[AssignmentModel, AssignmentModel], tally: Tally) -> str:
    stored = tally.stored()
    for dropped in ((), ("onsets", "offsets"), ("onsets", "offsets", "confusion")):
        summary = {
            "annotators": [row.assignee for row in rows],
            "tally": {**stored, **dict.fromkeys(dropped)},
        }
        data = chunks.encode(summary)
        if len(data) <= MAX_SUMMARY_BYTES:
            return data.decode()
    raise AssertionError("unreachable: a summary without lists is a few hundred bytes")


def record(recording: RecordingModel) -> bool:
    """Store the recording's agreement summary for its project, if both blind assignees
    are (still) done; whether it was stored.

    The summary is written in one transaction with a check that both assignments are still
    done, so a reopening racing it never leaves a summary of boxes that may change.
    """
    try:
        rows = _both_done(recording.id)
    except ConflictError:
        return False
    _, tally = _compared(recording, rows)
    item = TallyModel(rows[0].project_id, key(recording.id), agreement=_summary(rows, tally))
    try:
        with database.translated("store the agreement"), database.transaction() as transaction:
            transaction.save(item)
            for row in rows:
                transaction.condition_check(
                    AssignmentModel,
                    row.recording_id,
                    row.assignee,
                    condition=(AssignmentModel.state == DONE)
                    & (AssignmentModel.layer_version == row.layer_version),
                )
    except database.ConditionFailed:
        return False
    return True


def forget(project_id: str, recording_id: str) -> None:
    """Remove the recording's agreement summary (none stored is fine)."""
    with database.translated("forget the agreement"):
        TallyModel(project_id, key(recording_id)).delete()


def after_state_change(recording_id: str, project_id: str) -> None:
    """After an assignment of the recording changed state (or was removed): record its
    agreement when both blind assignees are done, forget it otherwise."""
    try:
        with database.translated("read the recording"):
            recording = RecordingModel.get(recording_id, consistent_read=True)
    except NotFoundError:  # deleted meanwhile
        recording = None
    if recording is None or not record(recording):
        forget(project_id, recording_id)


def of_recording(user: str, recording_id: str) -> dict:
    """GET /recordings/{id}/agreement: both annotators' boxes paired, and the figures."""
    recording, _ = access.recording(user, recording_id, Need.SEE, action="reading agreement")
    rows = _both_done(recording.id)
    pairs, tally = _compared(recording, rows)
    return {
        "annotators": [row.assignee for row in rows],
        "figures": tally.figures(),
        "pairs": [pair.view() for pair in pairs],
        "version": int(recording.annotation_version or 0),
    }


def of_project(user: str, project_id: str) -> dict:
    """GET /projects/{id}/agreement: every doubly annotated recording's figures pooled, and
    pooled per pair of annotators (one Query of the project's summaries)."""
    access.project(user, project_id, Need.SEE, action="reading agreement")
    with database.translated("read the project's agreement"):
        items = TallyModel.query(
            project_id, TallyModel.key.startswith(KEY_PREFIX), consistent_read=True
        )
        summaries = [json.loads(item.agreement) for item in items]
    empty = Tally.of([])
    pooled = empty
    by_pair: dict[tuple[str, str], tuple[int, Tally]] = {}
    for summary in summaries:
        tally = Tally.read(summary["tally"])
        pooled += tally
        annotators = tuple(summary["annotators"])
        count, sum_so_far = by_pair.get(annotators, (0, empty))
        by_pair[annotators] = (count + 1, sum_so_far + tally)
    return {
        "recordings": len(summaries),
        "figures": pooled.figures(),
        "annotator_pairs": [
            {"annotators": list(annotators), "recordings": count, "figures": tally.figures()}
            for annotators, (count, tally) in sorted(by_pair.items())
        ],
    }


def _choice(raw: object, where: str) -> tuple[str | None, str | None, str, str | None]:
    try:
        a, b, keep, label = fields(raw, "a", "b", "keep", optional=("label",))
    except BadRequestError as e:
        raise BadRequestError(f"{where}: {e.message}") from e
    for name, value in (("a", a), ("b", b)):
        if value is not None and not isinstance(value, str):
            raise BadRequestError(f"{where}: {name} must be a box id or null, not {value!r:.80}")
    if not isinstance(keep, str) or keep not in KEEP:
        raise BadRequestError(f"{where}: keep must be one of {', '.join(KEEP)}, not {keep!r:.80}")
    for side, box_id in (("a", a), ("b", b)):
        if side in KEEP[keep] and box_id is None:
            raise BadRequestError(f"{where}: keep {keep!r} needs a box of {side}, not null")
    if label is not None:
        if keep == "none":
            raise BadRequestError(f"{where}: a label goes with a kept box, not with keep 'none'")
        if not (
            isinstance(label, str)
            and len(label) <= annotations.MAX_LABEL
            and annotations.LABEL.fullmatch(label)
        ):
            raise BadRequestError(
                f"{where}: label must be text of at most {annotations.MAX_LABEL} characters "
                f"without control characters, not {reprlib.repr(label)}"
            )
    return a, b, keep, label


def _choices(listed: object) -> list[tuple[str | None, str | None, str, str | None]]:
    if not (isinstance(listed, list) and len(listed) <= 2 * annotations.MAX_ANNOTATIONS):
        raise BadRequestError(
            "choices must be a list of one choice for each pair the agreement lists"
        )
    return [_choice(raw, f"choices[{i}]") for i, raw in enumerate(listed)]


def _chosen(
    pairs: list[Pair], choices: list[tuple[str | None, str | None, str, str | None]]
) -> list[tuple[Pair, str, str | None]]:
    """Each pair with what the consensus keeps of it: every pair exactly once."""
    by_ids = {(p.a and p.a["id"], p.b and p.b["id"]): p for p in pairs}
    chosen: dict[tuple, tuple[Pair, str, str | None]] = {}
    for i, (a, b, keep, label) in enumerate(choices):
        pair = by_ids.get((a, b))
        if pair is None:
            raise BadRequestError(
                f"choices[{i}]: a {a!r} and b {b!r} are not a pair of the agreement: read it again"
            )
        if (a, b) in chosen:
            raise BadRequestError(f"choices[{i}]: the pair a {a!r}, b {b!r} is chosen twice")
        chosen[(a, b)] = (pair, keep, label)
    left = [ids for ids in by_ids if ids not in chosen]
    if left:
        a, b = left[0]
        raise BadRequestError(
            f"choices leave out the pair a {a!r}, b {b!r} ({len(left)} pair(s) in all): choose "
            "for every pair the agreement lists"
        )
    return list(chosen.values())


def _free_id(box_id: str, kept: set[str], stored: set[str]) -> str:
    """``box_id``, unless a box kept before has it (both annotators may keep one id): then
    a variant of it that no kept box and no box of the set has."""
    if box_id not in kept:
        return box_id
    n = 1
    while True:
        suffix = f"-b{n}" if n > 1 else "-b"
        candidate = box_id[: 64 - len(suffix)] + suffix
        if candidate not in kept and candidate not in stored:
            return candidate
        n += 1


def _as_drawn(box: dict, author: str, box_id: str) -> dict:
    """A layer's box under the id it takes in the final set, signed by its author (a box
    with no signature in their layer is theirs; one with a source, a machine's)."""
    drawn = {**copy.deepcopy(box), "id": box_id}
    if drawn.get("created_by") is None and drawn.get("updated_by") is None:
        signer = None if drawn.get("source") else author
        drawn["created_by"] = drawn["updated_by"] = signer
    return drawn


def _kept(box: dict, label: str | None) -> dict:
    """A layer's box as the main set keeps it, relabelled when ``label`` differs."""
    kept = copy.deepcopy(box)
    if label is not None:
        kept["label"] = label
    return kept


def merge(
    user: str, recording_id: str, body: object, *, clock: Clock
) -> tuple[RecordingModel, dict]:
    """POST /recordings/{id}/consensus: write the kept box(es) of every pair into the
    recording's main set, if it is still at ``version``; the recording and
    ``{"version", "annotation_count", "merged"}``.

    Boxes already in the main set stay; a kept box with the id of one replaces it (a layer
    that began as a copy of the set keeps its ids). When both annotators' kept boxes have
    one id, B's gets a new one.
    """
    recording, _ = access.recording(user, recording_id, Need.ANNOTATE, action="merging a consensus")
    version, listed = fields(body, "version", "choices")
    number = whole_number(version)
    if number is None or number < 0:
        raise BadRequestError(
            f"version must be the integer you read with the agreement, not {version!r:.80}"
        )
    read = _choices(listed)
    rows = _both_done(recording.id)
    pairs, _ = _compared(recording, rows)
    choices = _chosen(pairs, read)
    recording, boxes = annotation_sets.load(recording)
    if int(recording.annotation_version or 0) != number:
        raise ConflictError(
            f"the annotations changed since version {number}: read the agreement again"
        )
    by_id = {box["id"]: box for box in boxes}
    stored_ids = set(by_id)
    # The kept boxes as their authors drew and signed them: what the final set's signatures
    # compare with, so a box kept as drawn stays as signed, and a relabelled one keeps its
    # author and is signed by the merger as its last editor.
    drawn: dict[str, dict] = {}
    kept: list[dict] = []
    for pair, keep, label in choices:
        for side, box, row in (("a", pair.a, rows[0]), ("b", pair.b, rows[1])):
            if side in KEEP[keep]:
                as_drawn = _as_drawn(box, row.assignee, _free_id(box["id"], set(drawn), stored_ids))
                drawn[as_drawn["id"]] = as_drawn
                kept.append(_kept(as_drawn, label))
    by_id.update((box["id"], box) for box in kept)
    stored, _ = annotation_sets.store(
        recording,
        list(by_id.values()),
        version=number,
        before=[*(box for box in boxes if box["id"] not in drawn), *drawn.values()],
        user=user,
        clock=clock,
    )
    return recording, {"version": stored, "annotation_count": len(by_id), "merged": len(kept)}
