"""A project's dashboard: per member their assignments' progress, boxes drawn, decisions
made and audio hours done, and the boxes of each label.

Two reads whatever the project's size: one Query of the project's tallies (its ``label#``
and ``member#`` items and its count of recordings, which the writes that change them keep
with ``ADD``) and one of its members.
"""

from __future__ import annotations

from chalicelib import access, database, recording_counts, tallies
from chalicelib.access import Need, Role
from chalicelib.models import MemberModel, TallyModel

# Tally keys sort "agreement#..." < "label#..." < "member#..." < "recordings": the
# dashboard's items are every key from "label#" on, without the agreement summaries.
FIRST_KEY = tallies.LABEL
SECONDS_AN_HOUR = 3600


def _count(item: TallyModel | None, name: str) -> int:
    return int(getattr(item, name) or 0) if item is not None else 0


def _member_row(member: MemberModel, tally: TallyModel | None) -> dict:
    assigned = _count(tally, "assigned")
    in_progress = _count(tally, "in_progress")
    done = _count(tally, "recordings_done")
    audio_s = float(tally.audio_s_done or 0) if tally is not None else 0.0
    return {
        "username": member.username,
        "name": member.name,
        "role": member.role,
        "assigned": assigned,
        "to_do": max(assigned - in_progress - done, 0),
        "in_progress": in_progress,
        "done": done,
        "boxes_drawn": _count(tally, "boxes_drawn"),
        "decisions": _count(tally, "decisions"),
        "audio_hours_done": round(audio_s / SECONDS_AN_HOUR, 4),
    }


def of_project(user: str, project_id: str) -> dict:
    """``GET /projects/{id}/dashboard`` (any member): members (owner first, then by
    username; those with nothing counted show zeros), labels (most boxes first) and the
    number of recordings."""
    project, _ = access.project(user, project_id, Need.SEE, action="reading the dashboard")
    with database.translated("read the project's dashboard"):
        counted = {
            item.key: item for item in TallyModel.query(project_id, TallyModel.key >= FIRST_KEY)
        }
        members = {m.username: m for m in MemberModel.query(project_id, consistent_read=True)}
    # A project made before members had rows: its owner has none.
    members.setdefault(
        project.owner,
        MemberModel(project_id, project.owner, role=Role.OWNER.value, name=None),
    )
    ordered = sorted(members.values(), key=lambda m: (m.role != Role.OWNER, m.username))
    labels = [
        {"label": key.removeprefix(tallies.LABEL), "boxes": int(item.boxes)}
        for key, item in counted.items()
        if key.startswith(tallies.LABEL) and (item.boxes or 0) > 0
    ]
    labels.sort(key=lambda row: (-row["boxes"], row["label"]))
    return {
        "members": [_member_row(m, counted.get(tallies.member_key(m.username))) for m in ordered],
        "labels": labels,
        "recordings": _count(counted.get(recording_counts.KEY), "recordings"),
    }
