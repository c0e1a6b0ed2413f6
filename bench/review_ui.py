"""Reviewing proposals by keys in Chromium: pages of clips drawn, then every proposal
decided at a sustained 4 a second, and all the decisions found saved on the server.

A project of a few generated recordings, rendered as any upload is, shares the proposals
(BirdNET-like: source ``birdnet``, a label and a confidence each; ``PUT`` per recording).
``frontend/e2e/review-bench.mjs`` opens the project's review queue (``?review=<project>``)
in Debian's Chromium and reports milliseconds from the page's own clock: navigation to the
first page of clips drawn, each PageDown to the next page's clips all drawn, and, in a
fresh page, each ``a`` (accept) or ``r`` (reject) from the key's event to the next clip
focused and drawn. The page's outbox is then left to empty, and the server's
``GET /projects/{id}/review?state=reviewed`` must hold every decision as it was made.
"""

from __future__ import annotations

import json
import mimetypes
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.annotations import boxes as generated_boxes
from bench.plan import RENDER_BUDGET_S, Plan, progress, recording
from bench.report import Row, Target, percentile
from infra.local.harness import ROOT, ApiUser, running_stack

USERNAME = "review-bench"
#: The issue's pace: reviewing by keys at a sustained 4 decisions a second.
DECISIONS_PER_S = 4.0
#: The review state a key leaves on the box.
STATE_OF_KEY = {"a": "accepted", "r": "rejected"}
#: Issue #18: key → next clip shown within 100 ms, a page of clips drawn within 300 ms (p95).
NEXT_CLIP_TARGET = Target("<=", 0.1, of="measured")
PAGE_TARGET = Target("<=", 0.3, of="measured")
NONE_LOST = Target("==", 0, of="measured")


@dataclass(frozen=True)
class Decision:
    """One key press, as the page recorded it (ms of its clock)."""

    key: str
    #: The clip focused when the key went down.
    annotation_id: str
    pressed_ms: float
    #: From the key to the next clip focused and drawn; None if that never came (the last
    #: clip of the queue has no next one).
    shown_ms: float | None


@dataclass(frozen=True)
class ReviewTimings:
    proposals: int
    #: Clips on a full page, as the page fitted them to its window.
    page_size: int
    first_page_ms: float
    #: Each PageDown to every clip of the next page drawn.
    pages_ms: list[float]
    decisions: list[Decision]
    #: The server's reviewed boxes once the page's outbox was empty: annotation id → state.
    saved: dict[str, str]
    #: Decisions the page counted as acknowledged by the server.
    saved_in_page: int


def proposals(recording: int, count: int, duration_s: float, nyquist_hz: float) -> list[dict]:
    """``count`` BirdNET-like proposals on recording number ``recording``: ids unique across
    the project, since a decision is known by its box's id."""
    return [
        {**box, "id": f"rec{recording}-{box['id']}", "source": "birdnet", "review": None}
        for box in generated_boxes(count, duration_s, nyquist_hz, seed=recording)
    ]


def shares(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` counts as even as can be, the larger first."""
    whole, left = divmod(total, parts)
    return [whole + (part < left) for part in range(parts)]


def keys(count: int, *, seed: int = 18) -> str:
    """A seeded run of ``count`` decisions, about two accepts to one reject."""
    rng = random.Random(seed)
    return "".join(rng.choice("aar") for _ in range(count))


def review_timings(
    audio: Path, *, recordings: int, count: int, render_timeout_s: float
) -> ReviewTimings:
    """A fresh local stack, a project of ``recordings`` uploads of ``audio`` sharing ``count``
    proposals, the review page timed on it, then what the server saved."""
    with running_stack() as stack:
        user = ApiUser(stack.api_url, USERNAME)
        project = user.request("POST", "/projects", json={"name": "Review bench"}).json()
        content_type = mimetypes.guess_type(audio.name)[0] or "application/octet-stream"
        uploaded = []
        for number in range(recordings):
            made = user.upload(f"{number}-{audio.name}", audio.read_bytes(), content_type)
            moved = user.request(
                "PATCH", f"/recordings/{made['id']}", json={"project_id": project["id"]}
            )
            if moved.status_code != 200:
                raise RuntimeError(f"moving into the project answered {moved.status_code}")
            uploaded.append(made["id"])
        for number, (recording_id, share) in enumerate(
            zip(uploaded, shares(count, recordings), strict=True)
        ):
            status = user.wait_until_done(recording_id, timeout_s=render_timeout_s)
            if status["status"] != "COMPLETED":
                raise RuntimeError(f"{audio.name} did not render: {status['error']}")
            manifest = user.request("GET", f"/recordings/{recording_id}/spectrogram").json()
            path = f"/recordings/{recording_id}/annotations"
            version = user.request("GET", path).json()["version"]
            boxes = proposals(number, share, manifest["duration_s"], manifest["f_max_hz"])
            put = user.request("PUT", path, json={"annotations": boxes, "version": version})
            if put.status_code != 200:
                raise RuntimeError(f"PUT proposals answered {put.status_code}: {put.text[:200]}")
        run = subprocess.run(
            [
                "node",
                "e2e/review-bench.mjs",
                stack.ui_url,
                project["id"],
                USERNAME,
                keys(count),
                str(DECISIONS_PER_S),
            ],
            cwd=ROOT / "frontend",
            capture_output=True,
            text=True,
            timeout=600 + count / DECISIONS_PER_S,
        )
        if run.returncode != 0:
            raise RuntimeError(f"review-bench.mjs failed:\n{run.stdout}\n{run.stderr}")
        measured = json.loads(run.stdout.strip().splitlines()[-1])
        return ReviewTimings(
            proposals=count,
            page_size=measured["page_size"],
            first_page_ms=measured["first_page_ms"],
            pages_ms=measured["pages_ms"],
            decisions=[Decision(**decision) for decision in measured["decisions"]],
            saved=reviewed_on_server(user, project["id"]),
            saved_in_page=measured["saved_in_page"],
        )


def reviewed_on_server(user: ApiUser, project_id: str) -> dict[str, str]:
    """Every reviewed box of the project, page by page: annotation id → review state; the
    pages must add up to the queue's own count."""
    saved: dict[str, str] = {}
    cursor = None
    while True:
        params = {"state": "reviewed", "limit": 200, **({"cursor": cursor} if cursor else {})}
        answer = user.request("GET", f"/projects/{project_id}/review", params=params)
        if answer.status_code != 200:
            raise RuntimeError(f"the review queue answered {answer.status_code}: {answer.text}")
        page = answer.json()
        saved.update({item["annotation_id"]: item["review"]["state"] for item in page["items"]})
        cursor = page["next_cursor"]
        if not cursor:
            break
    if len(saved) != page["counts"]["reviewed"]:
        raise RuntimeError(f"{len(saved)} reviewed boxes listed, {page['counts']} counted")
    return saved


@dataclass(frozen=True)
class Pacing:
    """How the keys kept to their schedule."""

    #: Decisions a second from the first key to the last.
    per_s: float
    #: The latest a key went down after its time on the schedule, ms.
    latest_ms: float


def pacing(pressed_ms: list[float], *, per_s: float) -> Pacing:
    """The pace of keys pressed at ``pressed_ms`` (page clock), scheduled ``1 / per_s`` apart
    from the first."""
    if len(pressed_ms) < 2:
        raise ValueError("a pace needs two keys or more")
    first, period = pressed_ms[0], 1000 / per_s
    span_s = (pressed_ms[-1] - first) / 1000
    late = max(at - (first + i * period) for i, at in enumerate(pressed_ms))
    return Pacing(per_s=(len(pressed_ms) - 1) / span_s, latest_ms=late)


def lost(decisions: list[Decision], saved: dict[str, str]) -> list[str]:
    """The boxes whose last decision the server does not hold (missing, or another state)."""
    last = {d.annotation_id: STATE_OF_KEY[d.key] for d in decisions}
    return [box for box, state in last.items() if saved.get(box) != state]


def review_ui_rows(plan: Plan) -> list[Row]:
    label, path = recording(plan.reviewed)
    progress(
        f"review by keys in Chromium: {plan.review_proposals} proposals on "
        f"{plan.reviewed_recordings} × {label}"
    )
    timings = review_timings(
        path,
        recordings=plan.reviewed_recordings,
        count=plan.review_proposals,
        render_timeout_s=RENDER_BUDGET_S,
    )
    return decision_rows(timings) + page_rows(timings)


def decision_rows(timings: ReviewTimings) -> list[Row]:
    """Key → next clip shown p50/p95, the pace kept, the decisions saved and lost."""
    decisions = timings.decisions
    shown = [d.shown_ms / 1000 for d in decisions if d.shown_ms is not None]
    paced = pacing([d.pressed_ms for d in decisions], per_s=DECISIONS_PER_S)
    missing = lost(decisions, timings.saved)
    case = f"{len(decisions)} keys at {DECISIONS_PER_S:g}/s"
    return [
        Row("review: key → next clip shown p50", case, percentile(shown, 50), "s"),
        Row(
            "review: key → next clip shown p95",
            case,
            percentile(shown, 95),
            "s",
            target=NEXT_CLIP_TARGET,
            details={
                "decisions": [vars(d) for d in decisions],
                "never_shown": len(decisions) - len(shown),
            },
        ),
        Row(
            "review: decisions a second, kept up",
            case,
            paced.per_s,
            "/s",
            details={"latest_key_ms": paced.latest_ms},
        ),
        Row(
            "review: decisions saved on the server",
            f"{timings.proposals} proposals",
            len(decisions) - len(missing),
            "",
            target=Target("==", len(decisions), of="measured"),
            details={"saved_by_the_pages_count": timings.saved_in_page},
        ),
        Row(
            "review: decisions lost",
            f"{timings.proposals} proposals",
            len(missing),
            "",
            target=NONE_LOST,
            details={"lost": missing},
        ),
    ]


def page_rows(timings: ReviewTimings) -> list[Row]:
    """Opening the queue, then each page of clips drawn."""
    pages = [ms / 1000 for ms in timings.pages_ms]
    case = f"{len(pages)} pages of {timings.page_size} clips"
    return [
        Row("review: open → first page of clips drawn", case, timings.first_page_ms / 1000, "s"),
        Row(
            "review: PageDown → page of clips drawn p95",
            case,
            percentile(pages, 95),
            "s",
            target=PAGE_TARGET,
            details={"pages_ms": timings.pages_ms},
        ),
    ]
