"""A project's members and their roles: list, add, change a role (handing ownership over),
remove, leave (chalicelib/access.py says what each role may do).

The owner has a member row too (role "owner"), written with the project and moved with
ownership, so that the by-member index lists every project a user may open. Every write
commits only while the project is still the caller's (or, leaving, while the member is
one) and not being deleted.
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib import access, clients, database, users
from chalicelib.access import Need, Role
from chalicelib.clock import Clock, iso
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, ConflictError, NotFoundError
from chalicelib.models import MemberModel, ProjectModel
from chalicelib.validation import fields

# Members a project may have, its owner included: the members page lists them all at once,
# and a member row is read on each request of theirs, so the number bounds nothing else.
MAX_MEMBERS = 500
# Who an owner hands ownership over to becomes; the previous owner stays as this.
PREVIOUS_OWNER_ROLE = Role.ANNOTATOR


def view(member: MemberModel) -> dict:
    return {
        "username": member.username,
        "name": member.name,
        "role": member.role,
        "added_at": member.added_at,
        "added_by": member.added_by,
    }


def owner_row(project: ProjectModel) -> MemberModel:
    """The owner's member row of a new project (or of one made before members had rows)."""
    return MemberModel(
        project.id,
        project.owner,
        role=Role.OWNER.value,
        added_at=project.created_at,
        added_by=project.owner,
    )


def role_of(value: object) -> Role:
    if value not in access.ROLES:
        raise BadRequestError(f"role must be one of {', '.join(access.ROLES)}, not {value!r:.80}")
    return Role(value)


def _rows(project: ProjectModel) -> list[MemberModel]:
    """Every member, owner first then by username (read consistently)."""
    with database.translated("read the project's members"):
        rows = list(MemberModel.query(project.id, consistent_read=True))
    if not any(row.username == project.owner for row in rows):
        rows.append(owner_row(project))  # made before members had rows: see backfill_owners
    return sorted(rows, key=lambda row: (row.username != project.owner, row.username))


def _member(project: ProjectModel, username: str) -> MemberModel:
    for row in _rows(project):
        if row.username == username:
            return row
    raise NotFoundError(f"no member {username!r} in this project")


def _write(project: ProjectModel, user: str, action: str, write, *, hand_over_to=None) -> None:
    """Run ``write(transaction)`` (and hand ownership over to ``hand_over_to``, a member row)
    in a transaction that commits only while ``user`` still owns the project and it is not
    being deleted (otherwise 409: a race with a deletion or another change of members)."""
    still_managed = (ProjectModel.owner == user) & ProjectModel.deleting.does_not_exist()
    try:
        with database.translated(action), database.transaction() as transaction:
            write(transaction)
            if hand_over_to is None:
                transaction.condition_check(ProjectModel, project.id, condition=still_managed)
            else:
                _hand_over(transaction, project, hand_over_to, condition=still_managed)
    except database.ConditionFailed as e:
        raise ConflictError(
            f"could not {action}: the project or its members changed meanwhile; load them again"
        ) from e


def _hand_over(transaction: TransactWrite, project: ProjectModel, to: MemberModel, *, condition):
    """The project's owner, the new owner's row and the previous owner's (an annotator now)."""
    previous = _member(project, project.owner)
    previous.role = PREVIOUS_OWNER_ROLE.value
    to.role = Role.OWNER.value
    transaction.update(project, actions=[ProjectModel.owner.set(to.username)], condition=condition)
    transaction.save(previous)
    transaction.save(to)


def listing(user: str, project_id: str) -> dict:
    """``{"members": [...], "you": ...}``: owner first, then by username."""
    project, _ = access.project(user, project_id, Need.SEE, action="seeing its members")
    rows = _rows(project)
    you = next(row for row in rows if row.username == user)
    return {"members": [view(row) for row in rows], "you": view(you)}


def add(user: str, project_id: str, body: object, *, settings: Settings, clock: Clock) -> dict:
    """Add a member with a role; ``owner`` adds them and hands ownership over at once."""
    given, role = fields(body, "username", "role")
    role = role_of(role)
    project, _ = access.project(user, project_id, Need.MANAGE, action="adding members")
    account = users.find(given, settings=settings)
    rows = _rows(project)
    if account.username in {row.username for row in rows}:
        raise ConflictError(f"{given!r} is a member already: change their role instead")
    # Adds at once (the owner in two tabs) may pass this together: by a member or two.
    if (count := len(rows)) >= MAX_MEMBERS:
        raise ConflictError(
            f"the project has {count} members, the most a project may have "
            f"({MAX_MEMBERS}): remove one first"
        )
    member = MemberModel(
        project.id,
        account.username,
        name=account.name,
        role=role.value,
        added_at=iso(clock()),
        added_by=user,
    )

    if role is Role.OWNER:
        _write(project, user, "add the owner", lambda _: None, hand_over_to=member)
    else:
        _write(
            project,
            user,
            "add the member",
            lambda t: t.save(member, condition=MemberModel.username.does_not_exist()),
        )
    return view(member)


def change(user: str, project_id: str, username: str, body: object) -> dict:
    """Give a member another role; ``owner`` hands ownership over (the previous owner stays
    as an annotator)."""
    (role,) = fields(body, "role")
    role = role_of(role)
    project, _ = access.project(user, project_id, Need.MANAGE, action="changing roles")
    member = _member(project, username)
    if member.role == role:
        return view(member)
    if member.username == project.owner:
        raise ConflictError(
            "you own this project: hand ownership over first (make another member owner)"
        )

    if role is Role.OWNER:
        _write(project, user, "hand ownership over", lambda _: None, hand_over_to=member)
        return view(member)
    _write(
        project,
        user,
        "change the role",
        lambda t: t.update(
            member,
            actions=[MemberModel.role.set(role.value)],
            condition=MemberModel.username.exists(),
        ),
    )
    member.role = role.value
    return view(member)


def remove(user: str, project_id: str, username: str) -> None:
    """Remove a member (the owner), or leave (any member but the owner, who hands ownership
    over first). Their next request is refused: every request reads the membership
    consistently."""
    if username == user:
        project, role = access.project(user, project_id, Need.SEE, action="leaving")
        if role is Role.OWNER:
            raise ConflictError(
                "you own this project: hand ownership over (make another member owner) "
                "before you leave"
            )
        try:
            with database.translated("leave the project"):
                MemberModel(project.id, user).delete(condition=MemberModel.username.exists())
        except database.ConditionFailed as e:
            raise NotFoundError(f"no project {project_id!r}") from e
        return
    project, _ = access.project(user, project_id, Need.MANAGE, action="removing members")
    member = _member(project, username)
    _write(
        project,
        user,
        "remove the member",
        lambda transaction: transaction.delete(member, condition=MemberModel.username.exists()),
    )


def delete_all(project_id: str) -> None:
    """Every member row of a project being deleted."""
    with database.translated("read the project's members"):
        rows = list(MemberModel.query(project_id, consistent_read=True))
    with database.translated("delete the project's members"), MemberModel.batch_write() as batch:
        for row in rows:
            batch.delete(row)


def backfill_owners(settings: Settings) -> int:
    """Give every project made before members had rows its owner's row; how many it wrote.

    Run once, by hand, after deploying members (``python -m infra.backfill_members``): it
    scans the projects table, which no request ever does. Until then such a project opens
    as before (access.py knows its owner) but is missing from its owner's project list.
    """
    clients.bind_tables(settings)
    with database.translated("read the projects"):
        projects = list(ProjectModel.scan())
    return database.save_missing(
        (owner_row(project) for project in projects),
        condition=MemberModel.username.does_not_exist(),
        what="an owner's member row",
    )
