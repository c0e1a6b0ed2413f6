"""Who may do what (chalicelib/access.py, route_access.py) against a real moto server, and the
table docs/lab.md shows."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest

from chalicelib import access, clients, members, route_access, users
from chalicelib.access import Need, Role
from chalicelib.config import Settings
from chalicelib.errors import BadRequestError, ForbiddenError, NotFoundError
from chalicelib.models import MemberModel, ProjectModel
from chalicelib.projects import Projects

LAB = Path(__file__).resolve().parents[2] / "docs" / "lab.md"
LOCAL = {"settings": Settings(), "clock": lambda: 1_850_000_000}


@pytest.fixture
def ticks():
    return itertools.count(1_850_000_000)


@pytest.fixture
def projects(recordings) -> Projects:
    ticks = itertools.count(1_850_000_000)
    return Projects(recordings=recordings, clock=lambda: next(ticks))


@pytest.fixture
def lab(projects) -> str:
    """A project of olga's with ann annotating and vic viewing."""
    project_id = projects.create("olga", {"name": "Heath"})["id"]
    members.add("olga", project_id, {"username": "ann", "role": "annotator"}, **LOCAL)
    members.add("olga", project_id, {"username": "vic", "role": "viewer"}, **LOCAL)
    return project_id


def test_docs_lab_shows_the_route_table():
    assert route_access.table() in LAB.read_text()


@pytest.mark.parametrize(
    ("user", "need", "allowed"),
    [
        ("olga", Need.MANAGE, True),
        ("ann", Need.ANNOTATE, True),
        ("ann", Need.MANAGE, False),
        ("vic", Need.SEE, True),
        ("vic", Need.ANNOTATE, False),
    ],
)
def test_a_role_allows_its_need_and_those_below(lab, user, need, allowed):
    if allowed:
        assert access.project(user, lab, need)[0].id == lab
    else:
        with pytest.raises(ForbiddenError, match=f"your role in this project is {user[:1]}"):
            access.project(user, lab, need, action="this")


def test_a_viewer_is_told_what_role_editing_needs(lab):
    with pytest.raises(ForbiddenError) as refused:
        access.project("vic", lab, Need.ANNOTATE, action="editing boxes")
    assert refused.value.message == (
        "your role in this project is viewer: editing boxes needs annotator or owner"
    )


def test_someone_who_is_no_member_is_answered_as_for_a_missing_project(lab):
    with pytest.raises(NotFoundError, match="no project"):
        access.project("nils", lab, Need.SEE)


def test_a_recording_in_a_project_is_its_members_and_a_private_one_its_uploaders(recordings, lab):
    body = {"filename": "a.wav", "size": 1, "content_type": ""}
    shared = recordings.create("ann", {**body, "project_id": lab})["recording"]["id"]
    private = recordings.create("ann", body)["recording"]["id"]
    assert access.recording("vic", shared, Need.SEE)[1] is Role.VIEWER
    assert access.recording("olga", shared, Need.MANAGE)[1] is Role.OWNER
    assert access.recording("ann", private, Need.MANAGE)[1] is Role.OWNER
    with pytest.raises(NotFoundError):
        access.recording("olga", private, Need.SEE)


def test_members_are_listed_owner_first_then_by_username(lab):
    listed = members.listing("vic", lab)
    assert [(m["username"], m["role"]) for m in listed["members"]] == [
        ("olga", "owner"),
        ("ann", "annotator"),
        ("vic", "viewer"),
    ]
    assert listed["you"]["username"] == "vic"
    assert listed["members"][1]["added_by"] == "olga"


def test_handing_ownership_over_leaves_the_previous_owner_an_annotator(projects, lab):
    members.change("olga", lab, "ann", {"role": "owner"})
    assert access.project("ann", lab, Need.MANAGE)[1] is Role.OWNER
    assert access.project("olga", lab, Need.ANNOTATE)[1] is Role.ANNOTATOR
    assert projects.get("olga", lab)["role"] == "annotator"


def test_adding_a_member_as_owner_hands_ownership_over(lab):
    members.add("olga", lab, {"username": "pia", "role": "owner"}, **LOCAL)
    assert [m["username"] for m in members.listing("pia", lab)["members"]][0] == "pia"


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        (lambda p: members.remove("olga", p, "olga"), "hand ownership over"),
        (lambda p: members.change("olga", p, "olga", {"role": "viewer"}), "hand ownership"),
        (
            lambda p: members.add("olga", p, {"username": "ann", "role": "viewer"}, **LOCAL),
            "a member already",
        ),
    ],
)
def test_the_owner_cannot_leave_or_step_down_without_handing_over(lab, call, complaint):
    with pytest.raises(Exception, match=complaint) as refused:
        call(lab)
    assert refused.value.status_code == 409


def test_a_removed_member_is_refused_at_once(lab):
    members.remove("olga", lab, "ann")
    with pytest.raises(NotFoundError):
        access.project("ann", lab, Need.SEE)


def test_a_member_may_leave(lab):
    members.remove("vic", lab, "vic")
    with pytest.raises(NotFoundError):
        access.project("vic", lab, Need.SEE)


def test_projects_list_the_callers_memberships_with_their_role(projects, lab):
    members.add("olga", lab, {"username": "una", "role": "annotator"}, **LOCAL)
    own = projects.create("una", {"name": "Mine"})["id"]
    listed = projects.list("una")["projects"]
    assert [(p["id"], p["role"]) for p in listed] == [(own, "owner"), (lab, "annotator")]
    page = projects.list("una", limit="1")
    assert [p["id"] for p in projects.list("una", cursor=page["next"])["projects"]] == [lab]


def test_a_bad_role_is_refused():
    with pytest.raises(Exception, match="role must be one of owner, annotator, viewer"):
        members.role_of("admin")


def test_the_member_cap_is_enforced(lab, monkeypatch):
    monkeypatch.setattr(members, "MAX_MEMBERS", 3)
    with pytest.raises(Exception, match="the most a project may have") as refused:
        members.add("olga", lab, {"username": "zed", "role": "viewer"}, **LOCAL)
    assert refused.value.status_code == 409


def test_deleting_a_project_deletes_its_member_rows(projects, lab):
    members.add("olga", lab, {"username": "wendel", "role": "viewer"}, **LOCAL)
    assert projects.delete("olga", lab) == 0
    assert list(members.MemberModel.query(lab)) == []
    assert projects.list("wendel")["projects"] == []


@pytest.fixture
def user_pool(cloud_settings) -> Settings:
    """Cloud settings whose user pool (on the moto server) has one account, 'Maja'."""
    pool = clients.cognito_idp(cloud_settings).create_user_pool(PoolName="sonagram-users")
    settings = dataclasses.replace(
        cloud_settings, stage="prod", user_pool_id=pool["UserPool"]["Id"]
    )
    clients.cognito_idp(settings).admin_create_user(
        UserPoolId=settings.user_pool_id,
        Username="Maja",
        UserAttributes=[{"Name": "email", "Value": "maja@example.org"}],
        MessageAction="SUPPRESS",
    )
    return settings


def sub_of(settings: Settings, username: str) -> str:
    user = clients.cognito_idp(settings).admin_get_user(
        UserPoolId=settings.user_pool_id, Username=username
    )
    return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")


@pytest.mark.parametrize("given", ["Maja", "maja@example.org"])
def test_the_cloud_finds_a_member_by_cognito_username_or_email(user_pool, given):
    assert users.find(given, settings=user_pool) == users.Account(sub_of(user_pool, "Maja"), given)


def test_the_cloud_refuses_an_account_that_never_signed_up(user_pool):
    with pytest.raises(NotFoundError, match="they must sign up first"):
        users.find("nobody@example.org", settings=user_pool)


@pytest.mark.parametrize("given", ['ma"ja', "two words", "", "x" * 129])
def test_the_cloud_refuses_a_name_no_account_has(user_pool, given):
    with pytest.raises(BadRequestError):
        users.find(given, settings=user_pool)


def test_the_local_stage_takes_any_valid_username():
    assert users.find("new.person", settings=Settings()) == users.Account("new.person", None)
    with pytest.raises(BadRequestError):
        users.find("New Person", settings=Settings())


def test_a_projects_recordings_page_newest_first_whoever_uploaded_them(recordings, lab):
    body = {"filename": "a.wav", "size": 1, "content_type": "", "project_id": lab}
    made = [recordings.create(who, body)["recording"]["id"] for who in ("olga", "ann") * 3]
    seen, cursor = [], None
    while True:
        page = recordings.list("vic", project=lab, limit="4", cursor=cursor)
        seen += [(r["id"], r["uploaded_by"]) for r in page["recordings"]]
        if (cursor := page["next"]) is None:
            break
    assert seen == list(zip(made, ("olga", "ann") * 3, strict=True))[::-1]


def test_ones_own_uploads_leave_out_a_project_one_was_removed_from(recordings, lab):
    body = {"filename": "a.wav", "size": 1, "content_type": ""}
    members.add("olga", lab, {"username": "xia", "role": "annotator"}, **LOCAL)
    private = recordings.create("xia", body)["recording"]["id"]
    shared = recordings.create("xia", {**body, "project_id": lab})["recording"]["id"]
    assert [r["id"] for r in recordings.list("xia")["recordings"]] == [shared, private]
    members.remove("olga", lab, "xia")
    assert [r["id"] for r in recordings.list("xia")["recordings"]] == [private]


def test_a_project_made_before_members_gets_its_owners_row_once(cloud_settings):
    """The one-time backfill (python -m infra.backfill_members): an old project, which has
    no member rows, joins its owner's project list; a second run writes nothing."""
    old = ProjectModel(
        "0a1b2c3d-0000-4000-8000-000000000019",
        owner="greta",
        name="before members",
        created_at="2026-01-01T00:00:00.000000Z",
    )
    old.save()
    assert members.backfill_owners(cloud_settings) >= 1
    assert MemberModel.get(old.id, "greta").role == Role.OWNER
    assert members.backfill_owners(cloud_settings) == 0
