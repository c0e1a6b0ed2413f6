"""Assignments: the project's owner hands recordings to members, and each assignee says how
far they got (to do, in progress, done).

Every write moves four things together, in one DynamoDB transaction: the assignment rows,
their work items in each assignee's partition (``WorkItemModel``: My work reads them
consistently, chalicelib/my_work.py), the recording row's ``assignees`` (so listings show
them without another read) and the assignee's counts in the project's tallies
(``member#<username>``: ``assigned``, ``in_progress``, ``recordings_done``,
``audio_s_done``), which the dashboard reads in one query. Assigning many recordings at
once is split into transactions of at most ``MAX_TRANSACTION_ITEMS``; assigning again is
idempotent, so a request cut short is finished by sending it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chalicelib import access, agreements, chunks, database, layers, status, tallies
from chalicelib.access import Need, Role
from chalicelib.auth import USERNAME
from chalicelib.clock import Clock, iso
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.models import (
    AssignmentModel,
    ProjectModel,
    RecordingModel,
    SpectrogramModel,
    TallyModel,
    WorkItemModel,
)
from chalicelib.paging import ISSUED_ID
from chalicelib.validation import fields
from chalicelib.work_states import DONE, IN_PROGRESS, STATES, TO_DO

# One request assigns a page of the listing (its multi-select) to one or two members.
MAX_RECORDINGS = 100
MAX_ASSIGNEES = 2
# Double annotation: two people, each blind to the other's boxes until both are done.
BLIND_ASSIGNEES = 2
# DynamoDB's limit on the items of one transaction.
MAX_TRANSACTION_ITEMS = 100
# Roles that may be given work: a viewer may not draw.
ASSIGNABLE = (Role.OWNER, Role.ANNOTATOR)
# A blind assignee's own boxes (chalicelib/chunks.py), kept under the recording's id.


def as_view(assignment: AssignmentModel | WorkItemModel) -> dict:
    return {
        "recording_id": assignment.recording_id,
        "project_id": assignment.project_id,
        "assignee": assignment.assignee,
        "state": assignment.state,
        "blind": bool(assignment.blind),
        "assigned_at": assignment.assigned_at,
        "assigned_by": assignment.assigned_by,
        "updated_at": assignment.updated_at,
    }


def work_item(
    assignment: AssignmentModel, *, state: str | None = None, updated_at: str | None = None
) -> WorkItemModel:
    """The assignment as its assignee's My work keeps it (moved to ``state`` at
    ``updated_at``, if it moves), placed by when it was assigned."""
    return WorkItemModel(
        assignment.assignee,
        f"{assignment.assigned_at}_{assignment.recording_id}",
        recording_id=assignment.recording_id,
        project_id=assignment.project_id,
        state=state or assignment.state,
        blind=bool(assignment.blind),
        assigned_at=assignment.assigned_at,
        assigned_by=assignment.assigned_by,
        updated_at=updated_at or assignment.updated_at,
    )


def backfill_work() -> int:
    """Give every assignment made before work items its item; how many it wrote. Run once,
    by hand (``python -m infra.backfill_members``): it scans the assignments table, which no
    request ever does. Running it again writes nothing, and never undoes a state changed
    meanwhile (which writes the item itself)."""
    with database.translated("read the assignments"):
        rows = list(AssignmentModel.scan())
    return database.save_missing(
        (work_item(assignment) for assignment in rows),
        condition=WorkItemModel.place.does_not_exist(),
        what="a work item",
    )


@dataclass(frozen=True)
class Counts:
    """What one assignment adds to its assignee's tally (negated when it goes away)."""

    assigned: int = 0
    in_progress: int = 0
    recordings_done: int = 0
    audio_s_done: float = 0.0

    @classmethod
    def of(cls, state: str, duration_s: float | None) -> Counts:
        done = state == DONE
        return cls(
            assigned=1,
            in_progress=int(state == IN_PROGRESS),
            recordings_done=int(done),
            audio_s_done=float(duration_s or 0) if done else 0.0,
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.assigned + other.assigned,
            self.in_progress + other.in_progress,
            self.recordings_done + other.recordings_done,
            self.audio_s_done + other.audio_s_done,
        )

    def __neg__(self) -> Counts:
        return Counts(-self.assigned, -self.in_progress, -self.recordings_done, -self.audio_s_done)

    def actions(self) -> list:
        """``ADD`` actions for the counts that change (none when nothing does)."""
        return [
            getattr(TallyModel, name).add(value)
            for name, value in (
                ("assigned", self.assigned),
                ("in_progress", self.in_progress),
                ("recordings_done", self.recordings_done),
                ("audio_s_done", self.audio_s_done),
            )
            if value
        ]


def _add_to_tally(transaction, project_id: str, username: str, counts: Counts) -> None:
    actions = counts.actions()
    if actions:
        transaction.update(TallyModel(project_id, tallies.member_key(username)), actions=actions)


@dataclass(frozen=True)
class NewAssignments:
    """A ``POST /projects/{id}/assignments`` body, checked."""

    recording_ids: list[str]
    assignees: list[str]
    blind: bool

    @classmethod
    def from_request(cls, body: object) -> NewAssignments:
        recording_ids, assignees, blind = fields(
            body, "recording_ids", "assignees", optional=("blind",)
        )
        if not (
            isinstance(recording_ids, list)
            and 1 <= len(recording_ids) <= MAX_RECORDINGS
            and all(isinstance(r, str) for r in recording_ids)
        ):
            raise BadRequestError(
                f"recording_ids must be a list of 1 to {MAX_RECORDINGS} recording ids (strings)"
            )
        if not (
            isinstance(assignees, list)
            and 1 <= len(assignees) <= MAX_ASSIGNEES
            and all(isinstance(a, str) and USERNAME.fullmatch(a) for a in assignees)
        ):
            raise BadRequestError(
                f"assignees must be a list of 1 to {MAX_ASSIGNEES} members' usernames"
            )
        for name, values in (("recording_ids", recording_ids), ("assignees", assignees)):
            repeated = [value for value in values if values.count(value) > 1]
            if repeated:
                raise BadRequestError(f"{name} holds {repeated[0]!r} more than once")
        if blind is None:
            blind = False
        if not isinstance(blind, bool):
            raise BadRequestError(f"blind must be true or false, not {blind!r}")
        if blind and len(assignees) != BLIND_ASSIGNEES:
            raise BadRequestError(
                f"blind double annotation needs exactly {BLIND_ASSIGNEES} assignees, "
                f"not {len(assignees)}"
            )
        return cls(recording_ids, assignees, blind)


def _assignable(project: ProjectModel, assignees: list[str]) -> None:
    for username in assignees:
        role = access.role_in(username, project)
        if role is None:
            raise BadRequestError(f"{username!r} is not a member of this project: add them first")
        if role not in ASSIGNABLE:
            raise BadRequestError(
                f"{username!r} is a {role} in this project: only annotators and the owner "
                "can be assigned recordings"
            )


def _recordings_of(project_id: str, recording_ids: list[str]) -> dict[str, RecordingModel]:
    """The rows of ``recording_ids``, each of which must be in the project (else 404)."""
    for recording_id in recording_ids:
        if not ISSUED_ID.fullmatch(recording_id):
            raise NotFoundError(f"no recording {recording_id!r} in this project")
    with database.translated("read the recordings"):
        rows = {r.id: r for r in RecordingModel.batch_get(recording_ids, consistent_read=True)}
        deleting = {
            s.recording_id
            for s in SpectrogramModel.batch_get(
                list(rows), attributes_to_get=["recording_id", "status"], consistent_read=True
            )
            if s.status == status.DELETING
        }
    for recording_id in recording_ids:
        row = rows.get(recording_id)
        if row is None or row.project_id != project_id or recording_id in deleting:
            raise NotFoundError(f"no recording {recording_id!r} in this project")
    return rows


def _existing(rows: Iterable[RecordingModel], more: list[str]) -> dict[tuple, AssignmentModel]:
    """Every assignment of these recordings, and any of them to ``more`` (by (recording id,
    assignee)): the row's ``assignees`` names them all."""
    keys = {(row.id, name) for row in rows for name in {*(row.assignees or ()), *more}}
    with database.translated("read the assignments"):
        return {
            (a.recording_id, a.assignee): a
            for a in AssignmentModel.batch_get(list(keys), consistent_read=True)
        }


def _groups(new: list[AssignmentModel], per_recording: int) -> Iterator[list[AssignmentModel]]:
    """``new`` in runs that fit one transaction with their work items, their recordings, the
    assignees' tally items and the project's check; a recording's assignments stay
    together."""
    room = MAX_TRANSACTION_ITEMS - MAX_ASSIGNEES - 1
    group: list[AssignmentModel] = []
    recordings: set[str] = set()
    for assignment in new:
        fresh = assignment.recording_id not in recordings
        if fresh and 2 * len(group) + len(recordings) + 2 * per_recording + 1 > room:
            yield group
            group, recordings = [], set()
        group.append(assignment)
        recordings.add(assignment.recording_id)
    if group:
        yield group


def forget(transaction, recording: RecordingModel) -> None:
    """Add to ``transaction`` the removal of every assignment of ``recording``, which is
    being purged or leaving its project, with their counts taken back from the tallies.

    The caller's transaction must fail if the recording changed since it was read (so
    that two purges or moves take the counts back once). A blind assignee's own boxes are
    kept under the recording: a purge deletes them with its other chunks.
    """
    if not recording.assignees:
        return
    with database.translated("read the assignments"):
        rows = list(AssignmentModel.query(recording.id, consistent_read=True))
    for assignment in rows:
        transaction.delete(assignment)
        transaction.delete(work_item(assignment))
        gone = -Counts.of(assignment.state, recording.duration_s)
        _add_to_tally(transaction, assignment.project_id, assignment.assignee, gone)
    # Its blind pair's agreement leaves the project's figures with it.
    for project_id in {row.project_id for row in rows if row.blind}:
        transaction.delete(TallyModel(project_id, agreements.key(recording.id)))


class Assignments:
    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    def assign(self, user: str, project_id: str, body: object) -> dict:
        """Assign each recording to each assignee (``POST /projects/{id}/assignments``)."""
        request = NewAssignments.from_request(body)
        project, _ = access.project(user, project_id, Need.MANAGE, action="assigning recordings")
        _assignable(project, request.assignees)
        rows = _recordings_of(project_id, request.recording_ids)
        existing = _existing(rows.values(), request.assignees)
        now = iso(self._clock())
        answer, new = [], []
        for recording_id in request.recording_ids:
            blind_now = {a for (r, a), row in existing.items() if r == recording_id and row.blind}
            if request.blind and not blind_now <= set(request.assignees):
                raise ConflictError(
                    f"recording {recording_id!r} is already blind to "
                    f"{' and '.join(sorted(blind_now))}: remove those assignments first"
                )
            for username in request.assignees:
                found = existing.get((recording_id, username))
                if found is not None and bool(found.blind) != request.blind:
                    kind = "blind" if found.blind else "not blind"
                    raise ConflictError(
                        f"recording {recording_id!r} is already assigned to {username!r} "
                        f"({kind}): remove that assignment first"
                    )
                if found is None:
                    found = AssignmentModel(
                        recording_id,
                        username,
                        project_id=project_id,
                        state=TO_DO,
                        blind=request.blind,
                        assigned_at=now,
                        assigned_by=user,
                        updated_at=now,
                    )
                    new.append(found)
                answer.append(as_view(found))
        for group in _groups(new, len(request.assignees)):
            self._write_new(project_id, group)
        return {"assignments": answer}

    @staticmethod
    def _write_new(project_id: str, group: list[AssignmentModel]) -> None:
        by_recording: dict[str, set[str]] = {}
        for assignment in group:
            by_recording.setdefault(assignment.recording_id, set()).add(assignment.assignee)
        open_project = ProjectModel.id.exists() & ProjectModel.deleting.does_not_exist()
        try:
            with database.translated("assign"), database.transaction() as t:
                for assignment in group:
                    t.save(assignment, condition=AssignmentModel.assignee.does_not_exist())
                    t.save(work_item(assignment))
                for recording_id, names in by_recording.items():
                    t.update(
                        RecordingModel(recording_id),
                        actions=[RecordingModel.assignees.add(names)],
                        condition=RecordingModel.project_id == project_id,
                    )
                for username in sorted({a.assignee for a in group}):
                    given = sum(1 for a in group if a.assignee == username)
                    _add_to_tally(t, project_id, username, Counts(assigned=given))
                t.condition_check(ProjectModel, project_id, condition=open_project)
        except database.ConditionFailed as e:
            raise ConflictError(
                "the assignments or recordings changed meanwhile: send the request again "
                "(assigning again is harmless)"
            ) from e

    def of_recording(self, user: str, recording_id: str) -> dict:
        """``GET /recordings/{id}/assignments``: everyone the recording is assigned to."""
        access.recording(user, recording_id, Need.SEE, action="reading assignments")
        with database.translated("read the assignments"):
            rows = list(AssignmentModel.query(recording_id, consistent_read=True))
        return {"assignments": [as_view(row) for row in rows]}

    def _one(self, user: str, recording_id: str, username: str, need: Need, action: str):
        recording, _ = access.recording(user, recording_id, need, action=action)
        if USERNAME.fullmatch(username):
            try:
                with database.translated("read the assignment"):
                    return recording, AssignmentModel.get(
                        recording_id, username, consistent_read=True
                    )
            except NotFoundError:
                pass
        raise NotFoundError(f"recording {recording_id!r} is not assigned to {username!r}")

    def change_state(self, user: str, recording_id: str, username: str, body: object) -> dict:
        """``PATCH /recordings/{id}/assignments/{username}``: the assignee sets how far they
        got (the owner may set it for them); the tallies move in the same transaction."""
        (state,) = fields(body, "state")
        if state not in STATES:
            raise BadRequestError(f"state must be one of {', '.join(STATES)}, not {state!r}")
        need = Need.ANNOTATE if username == user else Need.MANAGE
        recording, assignment = self._one(
            user, recording_id, username, need, "setting an assignment's state"
        )
        if state == assignment.state:
            return as_view(assignment)
        before = Counts.of(assignment.state, recording.duration_s)
        after = Counts.of(state, recording.duration_s)
        now = iso(self._clock())
        try:
            with database.translated("change the assignment"), database.transaction() as t:
                t.update(
                    assignment,
                    actions=[AssignmentModel.state.set(state), AssignmentModel.updated_at.set(now)],
                    condition=AssignmentModel.state == assignment.state,
                )
                # Saved whole, not updated: an item the backfill has not written yet appears.
                t.save(work_item(assignment, state=state, updated_at=now))
                _add_to_tally(t, assignment.project_id, username, after + -before)
        except database.ConditionFailed as e:
            raise ConflictError(
                f"the assignment of {username!r} changed meanwhile: read it and try again"
            ) from e
        assignment.state, assignment.updated_at = state, now
        if assignment.blind:
            agreements.after_state_change(recording_id, assignment.project_id)
        return as_view(assignment)

    def remove(self, user: str, recording_id: str, username: str) -> None:
        """``DELETE /recordings/{id}/assignments/{username}``: the owner takes the recording
        back; a blind assignee's own boxes go with it."""
        recording, assignment = self._one(
            user, recording_id, username, Need.MANAGE, "removing an assignment"
        )
        try:
            with database.translated("remove the assignment"), database.transaction() as t:
                t.delete(assignment, condition=AssignmentModel.state == assignment.state)
                t.delete(work_item(assignment))
                t.update(
                    RecordingModel(recording_id),
                    actions=[RecordingModel.assignees.delete({username})],
                    condition=RecordingModel.id.exists(),
                )
                gone = -Counts.of(assignment.state, recording.duration_s)
                _add_to_tally(t, assignment.project_id, username, gone)
        except database.ConditionFailed as e:
            raise ConflictError(
                f"the assignment of {username!r} changed meanwhile: read it and try again"
            ) from e
        chunks.delete_pointed(assignment, layers.LAYER)
        if assignment.blind:
            agreements.after_state_change(recording_id, assignment.project_id)
