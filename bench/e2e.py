"""End to end on the real local stack: upload latency, a burst of mixed uploads with
their events replayed, and many lists of recordings at once.

The stack is started as ``make run`` starts it (:func:`infra.local.harness.running_stack`)
and used over HTTP as a browser would; the bucket, queue and table are read only to
check what the API cannot show (which object an event names, whether a job ran twice).
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from bench.annotations import (
    AnnotationTimings,
    MeasurementTimings,
    annotation_rows,
    annotation_timings,
    measurement_rows,
    measurement_timings,
)
from bench.plan import INPUTS, SHARED_MP3, Plan, progress
from bench.report import Row, Target, percentile
from bench.signals import Spec, ensure
from chalicelib.audio_types import canonical_type
from chalicelib.config import Settings
from chalicelib.recordings import audio_key
from infra.local.harness import ApiUser, RunningStack, running_stack

DONE = ("COMPLETED", "FAILED")
#: Status polling interval of one upload (its latency's resolution), and the pause
#: between two polls of the burst's whole page (gentler on the single API process while
#: the workers use both cores; the resolution is this plus one list request).
POLL_S = 0.1
BURST_POLL_S = 0.2
TIMEOUT_S = 300.0
#: One page holds every recording of the burst: the API's largest.
PAGE = 100
#: ``GET /recordings`` without ``limit``.
DEFAULT_PAGE = 50
ALONE_REPEATS = 5
#: Boxes moved one at a time, each timed until its values are served.
MEASURED_EDITS = 10
#: What the burst uploads, as users do: (extension, sample rate, channels) of voice and
#: field recorders, phones and sound archives, at every length in BURST_LENGTHS_S.
BURST_FORMATS = (
    ("wav", 16000, 1),
    ("wav", 44100, 2),
    ("wav", 48000, 2),
    ("flac", 48000, 1),
    ("mp3", 44100, 2),
    ("ogg", 44100, 1),
    ("m4a", 48000, 1),
)
BURST_LENGTHS_S = (1, 3, 5, 10, 20, 30, 60)


@dataclass(frozen=True)
class Latency:
    """Seconds from ``POST /recordings`` to a COMPLETED status, per upload."""

    seconds: list[float]
    processing_ms: list[int]

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Burst:
    """A burst of uploads at once: what became of each, and when."""

    uploads: int
    wall_s: float
    completed: int
    lost: int
    rendered_once: int
    replay_drain_s: float
    #: Seconds from the end of each COMPLETED recording's upload POST to the first poll
    #: that read it COMPLETED.
    latencies_s: list[float]
    #: Seconds between the answers of two consecutive polls: the latencies' resolution.
    poll_intervals_s: list[float]
    recordings: list[dict]

    @property
    def throughput(self) -> float:
        """Recordings completed per second, from the first upload to the last COMPLETED."""
        return self.completed / self.wall_s

    @property
    def poll_interval_s(self) -> float:
        return statistics.median(self.poll_intervals_s) if self.poll_intervals_s else 0.0


@dataclass(frozen=True)
class Lists:
    """``GET /recordings`` sent by many clients at once."""

    requests: int
    seconds: list[float]
    wall_s: float
    #: The same request sent alone, one after another (ALONE_REPEATS times, untimed first).
    alone_s: list[float]
    #: Requests answered 200 with the whole expected page.
    full_pages: int
    page_size: int


def _status(user: ApiUser, recording_id: str) -> dict:
    answer = user.request("GET", f"/recordings/{recording_id}/spectrogram/status")
    answer.raise_for_status()
    return answer.json()


def _wait_all(user: ApiUser, ids: list[str], poll_s: float) -> dict[str, tuple[dict, float]]:
    """Each recording's final status and when it was first seen, polling until all are done."""
    done: dict[str, tuple[dict, float]] = {}
    deadline = time.perf_counter() + TIMEOUT_S
    while len(done) < len(ids):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{len(ids) - len(done)} of {len(ids)} uploads not done")
        for recording_id in ids:
            if recording_id not in done:
                status = _status(user, recording_id)
                if status["status"] in DONE:
                    done[recording_id] = (status, time.perf_counter())
        time.sleep(poll_s)
    return done


def latency(user: ApiUser, audio: Path, content_type: str, *, repeats: int) -> Latency:
    """Upload ``audio`` once untimed (the worker's first job), then ``repeats`` times."""
    seconds, processing = [], []
    for round_no in range(repeats + 1):
        started = time.perf_counter()
        recording = user.upload(audio.name, audio.read_bytes(), content_type)
        status, done_at = _wait_all(user, [recording["id"]], POLL_S)[recording["id"]]
        if status["status"] != "COMPLETED":
            raise RuntimeError(f"{audio.name} ended {status['status']}: {status['error']}")
        if round_no:
            seconds.append(done_at - started)
            processing.append(status["processing_ms"])
    return Latency(seconds, processing)


class _Replayer:
    """Re-sends an upload's S3 notification and reads what its rendering left behind."""

    def __init__(self, stack: RunningStack, owner: str) -> None:
        self.settings = Settings.from_environ(dict(os.environ))
        self.owner = owner
        self.s3 = stack.client("s3")
        self.sqs = stack.client("sqs")
        self.dynamodb = stack.client("dynamodb")
        self.queue = self.sqs.get_queue_url(QueueName=self.settings.jobs_queue)["QueueUrl"]

    def trace(self, recording_id: str, user: ApiUser) -> tuple:
        """What a second rendering would change: status row, attempts, rendered prefixes."""
        row = self.dynamodb.get_item(
            TableName=self.settings.spectrograms_table,
            Key={"recording_id": {"S": recording_id}},
        )["Item"]
        # The audio's key without an extension, then "/": where its renderings are.
        rendered = audio_key(self.owner, recording_id, "") + "/"
        listing = self.s3.list_objects_v2(Bucket=self.settings.spectrograms_bucket, Prefix=rendered)
        prefixes = {
            obj["Key"].removeprefix(rendered).split("/")[0] for obj in listing.get("Contents", [])
        }
        return _status(user, recording_id), row["attempts"]["N"], sorted(prefixes)

    def replay(self, recording_id: str) -> None:
        """Send the upload's ObjectCreated record again, as S3 may."""
        listing = self.s3.list_objects_v2(
            Bucket=self.settings.recordings_bucket, Prefix=audio_key(self.owner, recording_id, "")
        )
        (obj,) = listing["Contents"]
        record = {
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Post",
            "s3": {
                "bucket": {"name": self.settings.recordings_bucket},
                "object": {"key": quote_plus(obj["Key"]), "size": obj["Size"], "eTag": obj["ETag"]},
            },
        }
        self.sqs.send_message(QueueUrl=self.queue, MessageBody=json.dumps({"Records": [record]}))

    def drain(self) -> float:
        """Wait until the bridge has consumed every message; return the seconds it took."""
        started = time.perf_counter()
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        while time.perf_counter() - started < TIMEOUT_S:
            counts = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=names)
            if not any(int(n) for n in counts["Attributes"].values()):
                return time.perf_counter() - started
            time.sleep(0.1)
        raise TimeoutError("the jobs queue did not drain")


def burst_mix(uploads: int, shared: Path) -> list[Spec | Path]:
    """The burst's recordings: every format of BURST_FORMATS at every length, then ``shared``.

    Lengths grow by rows of one recording per format, so any prefix mixes every format;
    the seeds differ, so no two files are alike. Fifty uploads are the 7 × 7 grid and the
    shared field recording.
    """
    formats = len(BURST_FORMATS)
    mix: list[Spec | Path] = []
    for index in range(uploads - 1):
        ext, rate, channels = BURST_FORMATS[index % formats]
        seconds = BURST_LENGTHS_S[(index // formats) % len(BURST_LENGTHS_S)]
        mix.append(Spec(seconds, rate, ext, seed=1000 + index, channels=channels))
    return mix + [shared] if uploads else mix


def label(source: Spec | Path) -> str:
    return source.label if isinstance(source, Spec) else f"{source.stem} (shared)"


class _Watcher:
    """Polls one page of an owner's recordings; notes when each first reads a final status."""

    def __init__(self, user: ApiUser) -> None:
        self.user = user
        self.status: dict[str, str] = {}
        self.done_at: dict[str, float] = {}
        self.answered_at: list[float] = []

    def poll(self) -> None:
        answer = self.user.request("GET", f"/recordings?limit={PAGE}")
        answer.raise_for_status()
        answered = time.perf_counter()
        self.answered_at.append(answered)
        for recording in answer.json()["recordings"]:
            self.status[recording["id"]] = recording["status"]
            if recording["status"] in DONE:
                self.done_at.setdefault(recording["id"], answered)

    def intervals(self) -> list[float]:
        return [b - a for a, b in zip(self.answered_at, self.answered_at[1:], strict=False)]


def _connected_clients(stack: RunningStack, owner: str, count: int) -> list[ApiUser]:
    """``count`` users signed in, each with its connection to the API already open.

    Like pages that have the app open. ``chalice local`` listens with a backlog of 5, so
    many connections opened at once wait for SYN retransmits (1 s, 3 s), and a POST
    whose first segment was dropped is reset: that measures the development server's
    socket, not Sonagram, and API Gateway has no such limit. The presigned POSTs still
    open their own connections to the bucket, as a browser does.
    """
    clients = [ApiUser(stack.api_url, owner) for _ in range(count)]
    for client in clients:
        client.request("GET", "/health").raise_for_status()
    return clients


def burst(stack: RunningStack, *, mix: list[Spec | Path], inputs: Path) -> Burst:
    """Upload every recording of ``mix`` at once, one client each, then replay their events.

    Each client signs in and connects first; then all start together (a barrier), each
    creating its recording and sending the presigned POST. Meanwhile one
    ``GET /recordings?limit=100`` per poll reads every status, until all are final or
    TIMEOUT_S has passed.
    """
    if len(mix) > PAGE:
        raise ValueError(f"a burst of {len(mix)} does not fit in one page of {PAGE}")
    owner = "burst"
    paths = [source if isinstance(source, Path) else ensure(source, inputs) for source in mix]
    files = [
        (f"burst {index:02d} {label(source)}{path.suffix}", path.read_bytes())
        for index, (source, path) in enumerate(zip(mix, paths, strict=True))
    ]
    clients = _connected_clients(stack, owner, len(files))
    together = threading.Barrier(len(files))

    def upload(index: int) -> tuple[str, float, float]:
        filename, data = files[index]
        content_type = canonical_type(Path(filename).suffix.lower())
        together.wait()
        started = time.perf_counter()
        recording = clients[index].upload(filename, data, content_type)
        return recording["id"], started, time.perf_counter()

    watcher = _Watcher(ApiUser(stack.api_url, owner))
    with ThreadPoolExecutor(max_workers=len(files)) as pool:
        futures = [pool.submit(upload, index) for index in range(len(files))]
        deadline = time.perf_counter() + TIMEOUT_S
        while time.perf_counter() < deadline:
            watcher.poll()
            if all(f.done() for f in futures):
                ids = [f.result()[0] for f in futures]
                if all(recording_id in watcher.done_at for recording_id in ids):
                    break
            time.sleep(BURST_POLL_S)
        uploaded = [f.result() for f in futures]
    ids = [recording_id for recording_id, _, _ in uploaded]
    first_start = min(started for _, started, _ in uploaded)
    recordings, latencies = [], []
    for (recording_id, started, sent), (filename, data) in zip(uploaded, files, strict=True):
        status = watcher.status.get(recording_id)
        latency = watcher.done_at[recording_id] - sent if recording_id in watcher.done_at else None
        if status == "COMPLETED":
            latencies.append(latency)
        recordings.append(
            {
                "filename": filename,
                "bytes": len(data),
                "upload_s": sent - started,
                "status": status,
                "upload_to_final_s": latency,
            }
        )
    completed = [i for i in ids if watcher.status.get(i) == "COMPLETED"]
    last_done = max((watcher.done_at[i] for i in completed), default=time.perf_counter())
    replayer = _Replayer(stack, owner)
    final = [i for i in ids if i in watcher.done_at]
    before = {recording_id: replayer.trace(recording_id, clients[0]) for recording_id in final}
    for recording_id in final:
        replayer.replay(recording_id)
    drain_s = replayer.drain()
    rendered_once = sum(
        replayer.trace(recording_id, clients[0]) == before[recording_id]
        and len(before[recording_id][2]) == 1
        for recording_id in final
    )
    return Burst(
        uploads=len(ids),
        wall_s=last_done - first_start,
        completed=len(completed),
        # Never read COMPLETED or FAILED (or never listed) before the deadline.
        lost=len(ids) - len(final),
        rendered_once=rendered_once,
        replay_drain_s=drain_s,
        latencies_s=latencies,
        poll_intervals_s=watcher.intervals(),
        recordings=recordings,
    )


def concurrent_lists(stack: RunningStack, owner: str, *, requests: int, page_size: int) -> Lists:
    """``requests`` clients, signed in and connected first, each sending one list at once."""
    clients = _connected_clients(stack, owner, requests)
    alone = []
    for _ in range(ALONE_REPEATS + 1):
        started = time.perf_counter()
        clients[0].request("GET", "/recordings").raise_for_status()
        alone.append(time.perf_counter() - started)
    together = threading.Barrier(requests)

    def list_once(index: int) -> tuple[float, float, bool]:
        together.wait()
        started = time.perf_counter()
        answer = clients[index].request("GET", "/recordings")
        answered = time.perf_counter()
        full = answer.status_code == 200 and len(answer.json()["recordings"]) == page_size
        return started, answered, full

    with ThreadPoolExecutor(max_workers=requests) as pool:
        runs = list(pool.map(list_once, range(requests)))
    return Lists(
        requests=requests,
        seconds=[answered - started for started, answered, _ in runs],
        wall_s=max(answered for _, answered, _ in runs) - min(started for started, _, _ in runs),
        full_pages=sum(full for _, _, full in runs),
        page_size=page_size,
        alone_s=alone[1:],
    )


def end_to_end(
    audio: Path,
    *,
    latency_repeats: int,
    annotation_boxes: int,
    annotation_repeats: int,
    burst_uploads: int,
    list_requests: int,
    inputs: Path,
) -> tuple[Latency, AnnotationTimings, MeasurementTimings, Burst, Lists]:
    """Start the local stack; measure upload latency of ``audio``, annotations, a burst,
    lists; stop it.

    The annotations go on the last upload of ``audio``. The burst mixes generated
    recordings with ``audio`` (:func:`burst_mix`); the lists then read the page of the
    burst's recordings (the API's default page, 50).
    """
    with running_stack() as stack:
        user = ApiUser(stack.api_url, "bench")
        measured = latency(user, audio, "audio/mpeg", repeats=latency_repeats)
        newest = user.request("GET", "/recordings", params={"limit": 1}).json()["recordings"][0]
        annotated = annotation_timings(
            user, newest, count=annotation_boxes, repeats=annotation_repeats
        )
        # The worker measures what the rounds saved; the burst starts once it is done.
        measured_boxes = measurement_timings(user, newest, edits=MEASURED_EDITS)
        burst_result = burst(stack, mix=burst_mix(burst_uploads, audio), inputs=inputs)
        page_size = min(burst_result.uploads, DEFAULT_PAGE)
        lists = concurrent_lists(stack, "burst", requests=list_requests, page_size=page_size)
        return measured, annotated, measured_boxes, burst_result, lists


def e2e_rows(plan: Plan) -> list[Row]:
    progress(
        f"local stack: {plan.latency_repeats} timed uploads, a burst of {plan.burst_uploads}, "
        f"{plan.list_requests} lists at once"
    )
    latency, annotated, measured_boxes, burst, lists = end_to_end(
        SHARED_MP3,
        latency_repeats=plan.latency_repeats,
        annotation_boxes=plan.annotation_boxes,
        annotation_repeats=plan.annotation_repeats,
        burst_uploads=plan.burst_uploads,
        list_requests=plan.list_requests,
        inputs=INPUTS,
    )
    n = burst.uploads
    case = f"{n} mixed files at once"
    latencies = burst.latencies_s or [float("nan")]
    listing = f"{lists.requests} at once, page of {lists.page_size}"
    alone_s = statistics.median(lists.alone_s)
    rows = annotation_rows(annotated) + measurement_rows(measured_boxes, "shared MP3 (102 s)")
    return rows + [
        Row(
            "e2e: upload → COMPLETED",
            "shared MP3 (102 s)",
            latency.median_s,
            "s",
            statistics.median(latency.processing_ms) / 1000,
            "of which processing",
            details={"runs_s": latency.seconds, "processing_ms": latency.processing_ms},
        ),
        Row(
            "e2e: burst, wall time",
            case,
            burst.wall_s,
            "s",
            details={"recordings": burst.recordings},
        ),
        Row("e2e: burst, throughput", case, burst.throughput, "/s"),
        Row(
            "e2e: burst, upload → COMPLETED p50",
            case,
            percentile(latencies, 50),
            "s",
            burst.poll_interval_s,
            "list polled every",
            details={"latencies_s": burst.latencies_s, "poll_intervals_s": burst.poll_intervals_s},
        ),
        Row(
            "e2e: burst, upload → COMPLETED p95",
            case,
            percentile(latencies, 95),
            "s",
            burst.poll_interval_s,
            "list polled every",
        ),
        Row("e2e: burst, COMPLETED", case, burst.completed, "", target=Target("==", n, "measured")),
        Row("e2e: burst, lost", case, burst.lost, "", target=Target("==", 0, "measured")),
        Row(
            "e2e: replayed events, rendered once",
            case,
            burst.rendered_once,
            "",
            target=Target("==", n, "measured"),
            details={"queue_drained_after_s": burst.replay_drain_s},
        ),
        Row(
            "e2e: GET /recordings p50",
            listing,
            percentile(lists.seconds, 50),
            "s",
            alone_s,
            "one alone",
            percentile(lists.seconds, 50) / alone_s,
            details={"seconds": lists.seconds, "alone_s": lists.alone_s},
        ),
        Row(
            "e2e: GET /recordings p95",
            listing,
            percentile(lists.seconds, 95),
            "s",
            alone_s,
            "one alone",
            percentile(lists.seconds, 95) / alone_s,
        ),
        Row(
            "e2e: GET /recordings, wall time",
            listing,
            lists.wall_s,
            "s",
            lists.requests * alone_s,
            f"{lists.requests} × one alone",
            lists.wall_s / (lists.requests * alone_s),
        ),
        Row(
            "e2e: GET /recordings, full pages",
            listing,
            lists.full_pages,
            "",
            target=Target("==", lists.requests, "measured"),
        ),
    ]
