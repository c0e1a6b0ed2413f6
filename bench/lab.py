"""A lab at scale on the local stack: one project of 50 members and 10,000 recordings.

The project is created over HTTP; its members, recordings (COMPLETED, no audio: these
routes read rows, never audio) with their project's items, assignments with their work
items, and tallies are written straight into the stack's tables with PynamoDB batch writes,
as the API would have left them: every
recording assigned to one annotator, every tenth to a blind pair, states spread, each
member's tally counting their own assignments, twenty labels and the recordings counted.

Timed over HTTP, each ``plan.lab_requests`` times after one untimed request, p95 against
the issue's 300 ms:

- the project's listing, first page (``GET /recordings?project=P``, as its owner);
- My work, first page (``GET /my-work``, as a member with ~200 assignments);
- the dashboard (``GET /projects/{id}/dashboard``, as a member).
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import Counter

from bench.plan import Plan, progress
from bench.report import Row, Target, percentile
from chalicelib import models, project_recordings, recording_counts
from chalicelib.assignments import STATES, Counts, work_item
from chalicelib.clock import iso
from chalicelib.config import Settings
from chalicelib.models import (
    AssignmentModel,
    MemberModel,
    ProjectRecordingModel,
    RecordingModel,
    SpectrogramModel,
    TallyModel,
    WorkItemModel,
)
from chalicelib.tallies import member_key
from infra.local.__main__ import LOCAL_AWS_ENV
from infra.local.harness import ApiUser, running_stack

OWNER = "bench-lab-owner"
#: The issue's bound on each of the three answers.
TARGET = Target("<=", 0.300, of="measured")
LABELS = tuple(f"Species {n:02d}" for n in range(20))
# When the seeded recordings were made: one a minute, newest last.
FIRST_CREATED_S = 1_800_000_000
DURATION_S = 60.0


def member_names(count: int) -> list[str]:
    """The project's annotators (besides the owner)."""
    return [f"bench-lab-{n:02d}" for n in range(count - 1)]


def seed(project_id: str, members: list[str], recordings: int) -> dict[str, Counts]:
    """The project's rows, written in batches; returns what each member's tally counts."""
    rng = random.Random(19)
    joined = iso(FIRST_CREATED_S - 86_400)
    counts: dict[str, Counts] = {name: Counts(0, 0, 0, 0.0) for name in members}
    with MemberModel.batch_write() as batch:
        batch.save(MemberModel(project_id, OWNER, role="owner", added_at=joined, added_by=OWNER))
        for name in members:
            batch.save(
                MemberModel(project_id, name, role="annotator", added_at=joined, added_by=OWNER)
            )
    with (
        RecordingModel.batch_write() as recording_rows,
        SpectrogramModel.batch_write() as spectrogram_rows,
        AssignmentModel.batch_write() as assignment_rows,
        ProjectRecordingModel.batch_write() as project_items,
        WorkItemModel.batch_write() as work_items,
    ):
        for n in range(recordings):
            recording_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            created_at = iso(FIRST_CREATED_S + 60 * n)
            assignees = rng.sample(members, 2) if n % 10 == 0 else [rng.choice(members)]
            recording = RecordingModel(
                recording_id,
                owner=OWNER,
                filename=f"site-{n:05d}.wav",
                size=5_760_044,
                content_type="audio/wav",
                object_key=f"{OWNER}/{recording_id}.wav",
                created_at=created_at,
                duration_s=DURATION_S,
                sample_rate=48000,
                channels=1,
                project_id=project_id,
                annotation_count=rng.randint(0, 40),
                assignees=set(assignees),
            )
            recording_rows.save(recording)
            project_items.save(project_recordings.item(project_id, recording))
            spectrogram_rows.save(
                SpectrogramModel(
                    recording_id,
                    owner=OWNER,
                    status="COMPLETED",
                    updated_at=created_at,
                    width=3200,
                    height=400,
                    processing_ms=900,
                )
            )
            for name in assignees:
                state = rng.choice(STATES)
                assignment = AssignmentModel(
                    recording_id,
                    name,
                    project_id=project_id,
                    state=state,
                    blind=len(assignees) == 2,
                    assigned_at=iso(FIRST_CREATED_S + 60 * n + 30),
                    assigned_by=OWNER,
                    updated_at=created_at,
                )
                assignment_rows.save(assignment)
                work_items.save(work_item(assignment))
                counts[name] += Counts.of(state, DURATION_S)
    labels = Counter({label: rng.randint(10, 5000) for label in LABELS})
    with TallyModel.batch_write() as tallies:
        for name, count in counts.items():
            tallies.save(
                TallyModel(
                    project_id,
                    member_key(name),
                    assigned=count.assigned,
                    in_progress=count.in_progress,
                    recordings_done=count.recordings_done,
                    audio_s_done=count.audio_s_done,
                    boxes_drawn=rng.randint(0, 3000),
                    decisions=rng.randint(0, 3000),
                )
            )
        for label, boxes in labels.items():
            tallies.save(TallyModel(project_id, f"label#{label}", boxes=boxes))
        tallies.save(TallyModel(project_id, recording_counts.KEY, recordings=recordings))
    return counts


def timed(user: ApiUser, path: str, params: dict, requests: int) -> list[float]:
    """Seconds of each of ``requests`` GETs, after one untimed one checked against the
    document (the checks are left out of the timings)."""
    answer = user.request("GET", path, params=params)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.text[:200]}")
    seconds = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = user.session.get(user.base_url + path, params=params, timeout=30)
        seconds.append(time.perf_counter() - started)
        answer.raise_for_status()
    return seconds


def _row(name: str, case: str, seconds: list[float]) -> Row:
    ordered = sorted(seconds)
    return Row(
        f"lab: {name} (p95)",
        case,
        percentile(ordered, 95),
        "s",
        percentile(ordered, 50),
        "p50",
        target=TARGET,
        details={"seconds": seconds},
    )


def lab_rows(plan: Plan) -> list[Row]:
    members, recordings = plan.lab_members, plan.lab_recordings
    case = f"{members} members, {recordings:,} recordings"
    with running_stack(LOCAL_CLOUD="moto") as stack:
        # This process writes the rows into the stack's tables, with the stack's credentials.
        os.environ.update({k: v for k, v in LOCAL_AWS_ENV.items() if k.startswith("AWS_")})
        models.bind(Settings(dynamodb_endpoint=stack.cloud_url))
        owner = ApiUser(stack.api_url, OWNER)
        answer = owner.request("POST", "/projects", json={"name": "lab bench"})
        answer.raise_for_status()
        project_id = answer.json()["id"]
        names = member_names(members)
        progress(f"lab: {case}")
        started = time.perf_counter()
        counts = seed(project_id, names, recordings)
        progress(f"lab: seeded in {time.perf_counter() - started:.0f} s")
        busiest = max(names, key=lambda name: counts[name].assigned)
        member = ApiUser(stack.api_url, busiest)
        listing = timed(owner, "/recordings", {"project": project_id}, plan.lab_requests)
        work = timed(member, "/my-work", {}, plan.lab_requests)
        board = timed(member, f"/projects/{project_id}/dashboard", {}, plan.lab_requests)
        shown = member.request("GET", f"/projects/{project_id}/dashboard").json()
        if shown["recordings"] != recordings or len(shown["members"]) != members:
            raise RuntimeError(
                f"the dashboard shows {shown['recordings']} recordings and "
                f"{len(shown['members'])} members"
            )
        done = sum(c.recordings_done for c in counts.values())
        in_progress = sum(c.in_progress for c in counts.values())
        if (
            sum(m["done"] for m in shown["members"]),
            sum(m["in_progress"] for m in shown["members"]),
        ) != (done, in_progress):
            raise RuntimeError("the dashboard's counts are not the seeded ones")
    mine = f"{case}; {counts[busiest].assigned} assigned to the member"
    return [
        _row("project listing, first page", case, listing),
        _row("My work, first page", mine, work),
        _row("dashboard", case, board),
    ]
