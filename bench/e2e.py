"""End to end on the real local stack: upload latency, a burst of uploads, replayed events.

The stack is started as ``make run`` starts it (:func:`infra.local.harness.running_stack`)
and used over HTTP as a browser would; the bucket, queue and table are read only to
check what the API cannot show (which object an event names, whether a job ran twice).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from bench.signals import Spec, ensure
from chalicelib.config import Settings
from infra.local.harness import ApiUser, RunningStack, running_stack

DONE = ("COMPLETED", "FAILED")
#: Status polling interval of one upload (latency resolution) and of a burst (gentler
#: on the single API process while the workers use both cores).
POLL_S = 0.1
BURST_POLL_S = 0.25
TIMEOUT_S = 300.0
BURST_SECONDS = 5.0


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
    uploads: int
    wall_s: float
    completed: int
    lost: int
    rendered_once: int
    replay_drain_s: float

    @property
    def throughput(self) -> float:
        """Recordings completed per second."""
        return self.uploads / self.wall_s


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
        listing = self.s3.list_objects_v2(
            Bucket=self.settings.spectrograms_bucket, Prefix=f"{self.owner}/{recording_id}/"
        )
        prefixes = {obj["Key"].split("/")[2] for obj in listing.get("Contents", [])}
        return _status(user, recording_id), row["attempts"]["N"], sorted(prefixes)

    def replay(self, recording_id: str) -> None:
        """Send the upload's ObjectCreated record again, as S3 may."""
        listing = self.s3.list_objects_v2(
            Bucket=self.settings.recordings_bucket, Prefix=f"{self.owner}/{recording_id}"
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


def burst(stack: RunningStack, *, uploads: int, inputs: Path) -> Burst:
    """``uploads`` different short WAVs uploaded at once by as many clients, then replayed."""
    owner = "burst"
    specs = [Spec(BURST_SECONDS, 22050, "wav", seed=1000 + i) for i in range(uploads)]
    payloads = [ensure(spec, inputs).read_bytes() for spec in specs]

    def upload(index: int) -> str:
        client = ApiUser(stack.api_url, owner)
        return client.upload(f"burst {index:02d}.wav", payloads[index], "audio/wav")["id"]

    user = ApiUser(stack.api_url, owner)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=uploads) as pool:
        ids = list(pool.map(upload, range(uploads)))
    done = _wait_all(user, ids, BURST_POLL_S)
    wall_s = max(done_at for _, done_at in done.values()) - started
    listing = user.request("GET", f"/recordings?limit={uploads + 10}").json()["recordings"]
    listed = {recording["id"] for recording in listing}
    completed = sum(status["status"] == "COMPLETED" for status, _ in done.values())
    replayer = _Replayer(stack, owner)
    before = {recording_id: replayer.trace(recording_id, user) for recording_id in ids}
    for recording_id in ids:
        replayer.replay(recording_id)
    drain_s = replayer.drain()
    rendered_once = sum(
        replayer.trace(recording_id, user) == before[recording_id]
        and len(before[recording_id][2]) == 1
        for recording_id in ids
    )
    return Burst(
        uploads=uploads,
        wall_s=wall_s,
        completed=completed,
        lost=len(set(ids) - listed),
        rendered_once=rendered_once,
        replay_drain_s=drain_s,
    )


def end_to_end(
    audio: Path, *, latency_repeats: int, burst_uploads: int, inputs: Path
) -> tuple[Latency, Burst]:
    """Start the local stack, measure upload latency of ``audio`` and a burst, stop it."""
    with running_stack() as stack:
        user = ApiUser(stack.api_url, "bench")
        measured = latency(user, audio, "audio/mpeg", repeats=latency_repeats)
        return measured, burst(stack, uploads=burst_uploads, inputs=inputs)
