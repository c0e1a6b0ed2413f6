"""What 1,000 one-hour recordings uploaded at once would take in AWS: a small model.

Nothing here calls AWS. One render's seconds, memory and requests are measured on this
machine (``make bench``); this module projects them onto Lambda's scaling rules, S3's
and DynamoDB's rate limits and list prices, second by second:

* every upload's bucket notification invokes the worker asynchronously at t = 0;
* the worker runs at most ``reserved_concurrency`` at once, and Lambda adds at most
  ``scale_per_10s`` execution environments per 10 s (both AWS rules, see ``SOURCES``);
  an invocation that finds no free slot is throttled and retried by Lambda's async queue
  after 1, 2, 4 ... s (at most 5 min);
* a render's S3 writes are spread evenly over its duration; S3 serves 3,500 PUT/s per
  key prefix, so the writes of all running renders are divided over the prefixes their
  keys spread over, and a render slows down by the factor the busiest prefix is over;
* DynamoDB takes 1,000 write units/s per partition: the writes to the status index
  (the only item collection many renders share) are divided over its partitions.

The assumptions are parameters with their sources beside them, printed with the result.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.plan import Plan, rendered_with_tiles
from bench.report import Row, Target
from chalicelib.ranged_file import CHUNK_BYTES

#: Where each rule and price comes from (us-east-1 list prices, December 2026).
SOURCES = {
    "lambda scaling": "https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html "
    "(1,000 execution environments every 10 s per function; account default 1,000)",
    "async retries": "https://docs.aws.amazon.com/lambda/latest/dg/"
    "invocation-async-error-handling.html (throttled events go back to the queue; "
    "retry interval from 1 s up to 5 min)",
    "lambda vCPU": "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html "
    "(1,769 MB = one vCPU)",
    "lambda price": "https://aws.amazon.com/lambda/pricing/ "
    "(x86: $0.0000166667 per GB-s, $0.20 per million requests)",
    "s3 limits": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
    "optimizing-performance.html (3,500 PUT and 5,500 GET per second per prefix)",
    "s3 price": "https://aws.amazon.com/s3/pricing/ "
    "($0.005 per 1,000 PUT, $0.0004 per 1,000 GET, $0.023 per GB-month Standard)",
    "dynamodb limits": "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
    "bp-partition-key-design.html (1,000 write units per second per partition)",
    "dynamodb price": "https://aws.amazon.com/dynamodb/pricing/on-demand/ "
    "($0.625 per million write request units, $0.125 per million read request units)",
}


@dataclass(frozen=True)
class Render:
    """One recording's render in the worker, as measured (counts per render)."""

    seconds: float
    memory_mb: int
    s3_puts: int
    s3_gets: int
    dynamodb_writes: int
    dynamodb_reads: int
    #: Of those writes, the ones that land in the status index.
    index_writes: int
    #: Bytes kept in the spectrograms bucket (tiles, overview, manifest).
    stored_bytes: int


@dataclass(frozen=True)
class Limits:
    """The account and the key layout the renders run under."""

    reserved_concurrency: int = 1000
    scale_per_10s: int = 1000
    s3_puts_per_prefix_s: float = 3500.0
    #: Prefixes the renders' writes spread over (1 = every key under one prefix).
    s3_prefixes: int = 1
    dynamodb_partition_wcu_s: float = 1000.0
    #: Partitions of the status index the writes spread over.
    index_partitions: int = 1
    retry_first_s: float = 1.0
    retry_max_s: float = 300.0


@dataclass(frozen=True)
class Prices:
    lambda_gb_s: float = 0.0000166667
    lambda_request: float = 0.20 / 1e6
    s3_put: float = 0.005 / 1000
    s3_get: float = 0.0004 / 1000
    s3_gb_month: float = 0.023
    dynamodb_write: float = 0.625 / 1e6
    dynamodb_read: float = 0.125 / 1e6


@dataclass
class Projection:
    """What the model says of ``renders`` uploaded at once."""

    renders: int
    wall_s: float
    peak_concurrency: int
    throttled_invocations: int
    #: The busiest S3 prefix's PUT rate over its limit at the worst second (> 1: slowed).
    s3_prefix_load: float
    #: The busiest index partition's write rate over its limit at the worst second.
    index_partition_load: float
    cost: dict[str, float] = field(default_factory=dict)
    storage_per_month: float = 0.0

    @property
    def total_cost(self) -> float:
        return sum(self.cost.values())


def project(
    count: int,
    render: Render,
    limits: Limits = Limits(),
    prices: Prices = Prices(),
    *,
    step_s: float = 0.1,
) -> Projection:
    """Simulate ``count`` renders invoked at t = 0, in steps of ``step_s`` seconds."""
    # (next attempt time, attempt number, invocation id) of invocations not yet running.
    waiting = [(0.0, 0, i) for i in range(count)]
    heapq.heapify(waiting)
    running: list[float] = []  # work left, in seconds of an unhindered render
    throttled = peak = done = 0
    worst_prefix = worst_partition = 0.0
    t = 0.0
    while done < count:
        cap = min(limits.reserved_concurrency, limits.scale_per_10s * (1 + math.floor(t / 10)))
        started = 0
        while waiting and waiting[0][0] <= t:
            _, attempt, invocation = heapq.heappop(waiting)
            if len(running) < cap:
                running.append(render.seconds)
                started += 1
            else:
                throttled += 1
                delay = min(limits.retry_first_s * 2**attempt, limits.retry_max_s)
                heapq.heappush(waiting, (t + delay, attempt + 1, invocation))
        peak = max(peak, len(running))
        # Writes per second if every running render went at full speed.
        put_rate = len(running) * render.s3_puts / render.seconds / limits.s3_prefixes
        prefix_load = put_rate / limits.s3_puts_per_prefix_s
        worst_prefix = max(worst_prefix, prefix_load)
        slowdown = max(1.0, prefix_load)
        finished_before = len(running)
        running = [left - step_s / slowdown for left in running]
        running = [left for left in running if left > 1e-9]
        finishing = finished_before - len(running)
        done += finishing
        # A render writes the index as it starts (PROCESSING) and as it ends (leaving it).
        index_rate = (
            (started + finishing) * render.index_writes / 2 / step_s / limits.index_partitions
        )
        worst_partition = max(worst_partition, index_rate / limits.dynamodb_partition_wcu_s)
        t += step_s
    gb_s = count * render.memory_mb / 1024 * render.seconds
    cost = {
        "Lambda compute": gb_s * prices.lambda_gb_s,
        "Lambda requests": (count + throttled) * prices.lambda_request,
        "S3 requests": count * (render.s3_puts * prices.s3_put + render.s3_gets * prices.s3_get),
        "DynamoDB": count
        * (
            render.dynamodb_writes * prices.dynamodb_write
            + render.dynamodb_reads * prices.dynamodb_read
        ),
    }
    return Projection(
        renders=count,
        wall_s=t,
        peak_concurrency=peak,
        throttled_invocations=throttled,
        s3_prefix_load=worst_prefix,
        index_partition_load=worst_partition,
        cost=cost,
        storage_per_month=count * render.stored_bytes / 1e9 * prices.s3_gb_month,
    )


#: Lambda gives a function one vCPU at 1,769 MB, in proportion below and above.
MB_PER_VCPU = 1769
#: Throughput of one S3 GET or PUT stream from Lambda, MB/s (an assumption: AWS publishes
#: none; 80-100 MB/s is what single streams are commonly measured at).
S3_STREAM_MB_S = 85.0


def lambda_seconds(*, elapsed_s: float, cpu_s: float, memory_mb: int, bytes_moved: int) -> float:
    """One render's seconds in Lambda at ``memory_mb``: its CPU time spread over the vCPUs
    the memory buys (the engine uses two threads, so at most two), never faster than it
    ran here, plus reading the audio and writing the images at one stream's speed."""
    vcpus = min(memory_mb / MB_PER_VCPU, 2.0)
    return max(elapsed_s, cpu_s / vcpus) + bytes_moved / 1e6 / S3_STREAM_MB_S


#: Issue #10: 1,000 one-hour recordings uploaded at once, in about a minute, for pennies.
FANOUT_WALL_TARGET = Target("<=", 90, of="measured")
FANOUT_COST_TARGET = Target("<=", 0.50, of="measured")
#: Worker memory sizes the projection compares (MB); infra/rendering.py deploys
#: WORKER_MEMORY_MB.
FANOUT_MEMORY_MB = (512, 1024, 1769, 2048, 3008)
#: Per render, from chalicelib.jobs and chalicelib.status: reads = the recording (named by
#: the object key's file name), the spectrogram row; table writes = the claim (one update)
#: and COMPLETED (a transaction of two updates, two write units each); the status index
#: is written as the render starts and as it ends.
RENDER_READS = 2
RENDER_WRITES = 5
RENDER_INDEX_WRITES = 2
#: A stage alone in its account (``-c stages_in_account=1 -c worker_concurrency=800``,
#: infra/options.py), and the spread of keys and index.
FANOUT_LIMITS = Limits(reserved_concurrency=800, s3_prefixes=1000, index_partitions=32)


def in_lambda_s(run: dict, audio: Path, memory_mb: int) -> float:
    """A render measured here as it would take in the worker with ``memory_mb``: its CPU
    time on the vCPUs that buys, plus reading the audio and writing the images."""
    return lambda_seconds(
        elapsed_s=run["elapsed_s"],
        cpu_s=run["cpu_s"],
        memory_mb=memory_mb,
        bytes_moved=audio.stat().st_size + run["tile_bytes"] + run["overview_bytes"],
    )


def fanout_rows(plan: Plan) -> list[Row]:
    """One render of each recording, measured, projected onto ``fanout_renders`` at once."""
    from infra.options import DEFAULT_WORKER_CONCURRENCY
    from infra.rendering import WORKER_MEMORY_MB

    # As deployed without options: two stages share the account, each worker reserving less.
    shared_account = replace(FANOUT_LIMITS, reserved_concurrency=DEFAULT_WORKER_CONCURRENCY)

    rows = []
    for spec in plan.fanned_out:
        what = f"one render with tiles, projected onto {plan.fanout_renders}"
        label, path, run = rendered_with_tiles(spec, plan, what)
        audio_bytes = path.stat().st_size
        written = [*run["tile_object_bytes"].values(), run["overview_bytes"]]
        stored = sum(written)
        case = f"{plan.fanout_renders} × {label}"
        for memory_mb in FANOUT_MEMORY_MB:
            render = Render(
                seconds=in_lambda_s(run, path, memory_mb),
                memory_mb=memory_mb,
                # One PUT an object (each at most 16 MiB), and the manifest.
                s3_puts=len(written) + 1,
                s3_gets=math.ceil(audio_bytes / CHUNK_BYTES),
                dynamodb_writes=RENDER_WRITES + RENDER_INDEX_WRITES,
                dynamodb_reads=RENDER_READS,
                index_writes=RENDER_INDEX_WRITES,
                stored_bytes=stored,
            )
            projected = project(plan.fanout_renders, render, FANOUT_LIMITS)
            deployed = memory_mb == WORKER_MEMORY_MB
            details = {
                "render": render.__dict__,
                "projection": {**projected.__dict__, "cost": projected.cost},
                "measured": {k: run[k] for k in ("elapsed_s", "cpu_s", "peak_rss_mb")},
            }
            rows += [
                Row(
                    f"fan-out at {memory_mb} MB: wall time",
                    case,
                    projected.wall_s,
                    "s",
                    render.seconds,
                    "one render",
                    target=FANOUT_WALL_TARGET if deployed else None,
                    details=details,
                ),
                Row(
                    f"fan-out at {memory_mb} MB: cost",
                    case,
                    projected.total_cost,
                    "$",
                    target=FANOUT_COST_TARGET if deployed else None,
                    details={"cost": projected.cost},
                ),
            ]
            if deployed:
                shared = project(plan.fanout_renders, render, shared_account)
                rows.append(
                    Row(
                        f"fan-out at {memory_mb} MB, {DEFAULT_WORKER_CONCURRENCY} reserved "
                        "(two stages an account): wall time",
                        case,
                        shared.wall_s,
                        "s",
                        render.seconds,
                        "one render",
                        target=FANOUT_WALL_TARGET,
                        details={"projection": {**shared.__dict__, "cost": shared.cost}},
                    )
                )
        rows.append(
            Row(
                "fan-out: images stored, per month",
                case,
                projected.storage_per_month,
                "$",
                details={"bytes_per_render": stored, "audio_bytes_per_render": audio_bytes},
            )
        )
    return rows
