"""The review queue on the local stack: a project of 1,000 recordings and 100,000 boxes.

The recordings are created over HTTP (``POST /recordings`` into the project, no audio: the
queue reads rows and sets, never audio); their sets are written straight into the stack's
tables with ``annotation_sets.store``, as a save does, because 1,000 PUTs would each queue
a measuring task the worker would then churn through during the timings.

Timed over HTTP, each the first page (24 items) of a queue:

- *build*: the first request, which reads every set and stores the project's index;
- *cold*: the index stored but not in the API's memory. The API keeps the indexes of
  ``review_index.KEPT_PROJECTS`` projects; asking for that many other (tiny) projects'
  queues first pushes this one out, so the next request reads the stored index again;
- *warm*: the index in memory (the recordings' rows are still read and checked);
- *paging while deciding*: page after page of one label's unreviewed queue, each page's
  boxes decided (``POST /reviews``) before the next is read; every box once.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

from bench.plan import Plan, progress
from bench.report import Row, Target, percentile
from chalicelib import annotation_sets, models, review_index
from chalicelib.annotations import Bounds, check_box
from chalicelib.config import Settings
from chalicelib.recordings import owned_recording
from infra.local.__main__ import LOCAL_AWS_ENV
from infra.local.harness import ApiUser, running_stack

OWNER = "bench-review"
#: The issue's bound on a queue's first page.
FIRST_PAGE_TARGET = Target("<=", 1.0, of="measured")
#: A request in the cloud ends after API Gateway's 29 s: the index must be built within it.
BUILD_TARGET = Target("<=", 29.0, of="measured")
#: How long the bench waits for that first answer, to time it even when it is longer.
BUILD_TIMEOUT_S = 900
SPECIES = tuple(f"Species {n:02d}" for n in range(20))
SOURCES = ("birdnet", "birdnet", "birdnet", "detector:song", None)
AT_ONCE = 8
QUEUES = {
    "most confident first": {},
    "one label, unreviewed": {"label": SPECIES[3], "state": "unreviewed"},
    "stratified sample": {"order": "sample", "per_stratum": 10, "bins": 10},
}


def boxes_of(recording: int, count: int) -> list[dict]:
    """``count`` boxes of a minute's recording: 20 species, mostly BirdNET's, seeded."""
    rng = random.Random(recording)
    made = []
    for i in range(count):
        start = rng.uniform(0, 57)
        low = rng.uniform(500, 6000)
        raw = {
            "id": f"b{i}",
            "start_s": round(start, 3),
            "end_s": round(start + 3, 3),
            "low_hz": round(low, 1),
            "high_hz": round(low + rng.uniform(500, 4000), 1),
            "label": rng.choice(SPECIES),
            "confidence": round(rng.random(), 4),
            "source": rng.choice(SOURCES),
        }
        made.append(check_box(raw, where=f"box {i}", bounds=Bounds(None, None, None)))
    return made


def _project(user: ApiUser, name: str) -> str:
    answer = user.request("POST", "/projects", json={"name": name})
    answer.raise_for_status()
    return answer.json()["id"]


def _recording(user: ApiUser, project_id: str, n: int) -> str:
    body = {
        "filename": f"site-{n:04d}.wav",
        "size": 1000,
        "content_type": "",
        "project_id": project_id,
    }
    answer = user.request("POST", "/recordings", json=body)
    answer.raise_for_status()
    return answer.json()["recording"]["id"]


def fill(user: ApiUser, project_id: str, recordings: int, boxes_each: int) -> None:
    """``recordings`` recordings in the project, ``boxes_each`` boxes in each set."""

    def one(n: int) -> None:
        recording_id = _recording(user, project_id, n)
        annotation_sets.store(
            owned_recording(OWNER, recording_id),
            boxes_of(n, boxes_each),
            version=0,
            before=[],
            user=OWNER,
            clock=time.time,
        )

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        list(pool.map(one, range(recordings)))


def _first_page(
    user: ApiUser, project_id: str, params: dict, *, timeout: float = 30
) -> tuple[float, dict]:
    started = time.perf_counter()
    answer = user.request("GET", f"/projects/{project_id}/review", params=params, timeout=timeout)
    seconds = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"the queue answered {answer.status_code}: {answer.text[:200]}")
    return seconds, answer.json()


def _paging_while_deciding(user: ApiUser, project_id: str, pages: int) -> dict:
    params = {"label": SPECIES[5], "state": "unreviewed", "limit": 24}
    page_s, decide_s, seen = [], [], set()
    cursor = None
    for _ in range(pages):
        seconds, page = _first_page(
            user, project_id, {**params, **({"cursor": cursor} if cursor else {})}
        )
        page_s.append(seconds)
        ids = [(i["recording_id"], i["annotation_id"]) for i in page["items"]]
        if seen & set(ids):
            raise RuntimeError("a page repeated a box while decisions were written")
        seen |= set(ids)
        decisions = [
            {"recording_id": r, "annotation_id": a, "state": "accepted" if k % 3 else "rejected"}
            for k, (r, a) in enumerate(ids)
        ]
        started = time.perf_counter()
        answer = user.request("POST", "/reviews", json={"decisions": decisions})
        decide_s.append(time.perf_counter() - started)
        if answer.status_code != 200 or not all(r["ok"] for r in answer.json()["results"]):
            raise RuntimeError(f"decisions failed: {answer.text[:200]}")
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return {"page_s": page_s, "decide_s": decide_s, "boxes": len(seen)}


def _row(name: str, case: str, seconds: list[float], target: Target | None = None) -> Row:
    return Row(
        f"review queue: {name} (p95)",
        case,
        percentile(sorted(seconds), 95),
        "s",
        percentile(sorted(seconds), 50),
        "p50",
        target=target,
        details={"seconds": seconds},
    )


def review_rows(plan: Plan) -> list[Row]:
    recordings, boxes_each = plan.review_recordings, plan.review_boxes // plan.review_recordings
    case = f"{recordings:,} recordings, {recordings * boxes_each:,} boxes"
    # moto serves the tables on the cloud's own port (LocalStack's would be elsewhere).
    with running_stack(LOCAL_CLOUD="moto") as stack:
        # This process writes the sets into the stack's tables, with the stack's credentials.
        os.environ.update({k: v for k, v in LOCAL_AWS_ENV.items() if k.startswith("AWS_")})
        models.bind(Settings(dynamodb_endpoint=stack.cloud_url))
        user = ApiUser(stack.api_url, OWNER)
        project_id = _project(user, "review bench")
        progress(f"review: {case}")
        started = time.perf_counter()
        fill(user, project_id, recordings, boxes_each)
        progress(f"review: filled in {time.perf_counter() - started:.0f} s")
        others = [_project(user, f"other {n}") for n in range(review_index.KEPT_PROJECTS)]
        for other in others:
            fill(user, other, 1, 10)
        # The first queue builds the index from every recording's set: timed to its end,
        # against the 29 s API Gateway gives a request in the cloud.
        build_s, first = _first_page(user, project_id, {}, timeout=BUILD_TIMEOUT_S)
        if first["counts"]["boxes"] != recordings * boxes_each:
            raise RuntimeError(f"the queue counts {first['counts']['boxes']} boxes")
        rows = [
            Row(
                "review queue: first page, index built",
                case,
                build_s,
                "s",
                target=BUILD_TARGET,
            )
        ]
        for name, params in QUEUES.items():
            cold, warm = [], []
            for _ in range(plan.review_rounds):
                for other in others:  # push the project's index out of the API's memory
                    _first_page(user, other, {})
                cold.append(_first_page(user, project_id, params)[0])
                warm.append(_first_page(user, project_id, params)[0])
            rows += [
                _row(f"first page, cold ({name})", case, cold, FIRST_PAGE_TARGET),
                _row(f"first page, warm ({name})", case, warm, FIRST_PAGE_TARGET),
            ]
        paged = _paging_while_deciding(user, project_id, plan.review_pages)
        rows += [
            _row(
                "a page while deciding",
                f"{case}; {paged['boxes']} boxes decided",
                paged["page_s"],
                FIRST_PAGE_TARGET,
            ),
            _row("POST /reviews of a page (24 decisions)", case, paged["decide_s"]),
        ]
    return rows
