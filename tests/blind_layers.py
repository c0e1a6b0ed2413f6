"""A recording assigned blind to two annotators, each with their own boxes, written straight
into the tables (the models bound to them) as the assignment and annotation routes would."""

from __future__ import annotations

from chalicelib import agreements, chunks
from chalicelib.access import Role
from chalicelib.models import AssignmentModel, MemberModel

AT = "2026-12-07T12:00:00.000000Z"


def member(project_id: str, username: str, role: Role, *, by: str) -> None:
    MemberModel(project_id, username, role=str(role), added_at=AT, added_by=by).save()


def layer(
    recording_id: str, project_id: str, assignee: str, boxes: list[dict], *, state: str, by: str
) -> None:
    """The assignee's blind assignment, holding ``boxes`` as their own layer."""
    row = AssignmentModel(
        recording_id,
        assignee,
        project_id=project_id,
        state=state,
        blind=True,
        assigned_at=AT,
        assigned_by=by,
        updated_at=AT,
    )
    row.save()
    chunks.switch(
        row,
        agreements.LAYER,
        chunks.encode(boxes),
        actions=[
            AssignmentModel.layer_version.set(1),
            AssignmentModel.layer_count.set(len(boxes)),
        ],
        condition=AssignmentModel.layer_version == 0,
    )


def set_state(recording_id: str, assignee: str, state: str) -> None:
    AssignmentModel(recording_id, assignee).update(actions=[AssignmentModel.state.set(state)])
