"""``python -m bench [--quick] [--only SECTION]``: run benchmarks, print and write the results."""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import fanout, machine, reference, report
from bench.annotations import AnnotationTimings
from bench.banding import banding_rows
from bench.child import measure
from bench.compare import NAMES, compare
from bench.e2e import end_to_end
from bench.imports import cold_cli, cold_imports
from bench.long_render import long_render
from bench.report import Row, Target, percentile
from bench.signals import Spec, ensure
from bench.viewer import ViewerTimings, viewer_timings
from chalicelib.ranged_file import CHUNK_BYTES

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
INPUTS = WORK / "inputs"
CACHE = WORK / "cache"
SHARED_MP3 = BENCH.parent / "samples" / "XC249066_Willisornis_poecilinotus.mp3"

#: Issue #4's targets.
SPEEDUP_TARGET = Target(">=", 12)
SPEEDUP_TARGET_INPUTS = frozenset({"60 s WAV", "60 s MP3"})
FLOOR_TARGET = Target("<=", 1.3)
#: Issue #10: the 60-minute render with all tiles within 1.5x the floor (was 1.2, issue #4).
LONG_FLOOR_TARGET = Target("<=", 1.5)
#: Issue #10, for one hour at 48 kHz: objects a render writes, MB of tiles.
OBJECTS_TARGET = Target("<=", 16, of="measured")
TILE_MB_TARGET = Target("<=", 150, of="measured")
#: Besides the tile levels, a render writes the overview and the manifest.
OTHER_OBJECTS = 2
RSS_TARGET = Target("<=", 250, of="measured")
#: .chalice/config.json's prod stage gives the API function 10 s.
API_TIMEOUT_TARGET = Target("<=", 10, of="measured")
#: Issue #9: a zoom or pan fully drawn within 300 ms (p95).
VIEW_CHANGE_TARGET = Target("<=", 0.3, of="measured")
#: Issue #10: 1,000 one-hour recordings uploaded at once, in about a minute, for pennies.
FANOUT_WALL_TARGET = Target("<=", 90, of="measured")
FANOUT_COST_TARGET = Target("<=", 0.50, of="measured")
#: Worker memory sizes the projection compares (MB); infra/stack.py deploys WORKER_MEMORY_MB.
FANOUT_MEMORY_MB = (512, 1024, 1769, 2048, 3008)
#: Per render, from chalicelib.jobs and chalicelib.status: reads = the upload's row by
#: object key, the recording, the spectrogram row; table writes = the claim (one update)
#: and COMPLETED (a transaction of two updates, two write units each); the status index
#: is written as the render starts and as it ends.
RENDER_READS = 3
RENDER_WRITES = 5
RENDER_INDEX_WRITES = 2
#: The worker's reserved concurrency (infra/options.py) and the spread of keys and index.
FANOUT_LIMITS = fanout.Limits(reserved_concurrency=800, s3_prefixes=1000, index_partitions=32)
#: The worker's budget: the viewer's recording must render within it, and the longest
#: recordings in the worker's memory size.
RENDER_BUDGET_S = 300
RENDER_BUDGET_TARGET = Target("<=", RENDER_BUDGET_S, of="measured")


@dataclass(frozen=True)
class Plan:
    """What one run measures: (recording, rounds) to compare, and the sizes of the rest."""

    compared: list[tuple[Spec | Path, int]]
    long: list[Spec]
    long_repeats: int
    # The longest recordings accepted (4 h): rendered once each with every tile.
    longest: list[Spec]
    warm_up: Spec
    import_repeats: int
    latency_repeats: int
    annotation_boxes: int
    annotation_repeats: int
    burst_uploads: int
    list_requests: int
    # Rendered once each, then projected onto 1,000 at once in AWS.
    fanned_out: list[Spec]
    fanout_renders: int
    # Opened in the viewer after it renders on the local stack (kept under the upload limit).
    viewed: Spec
    viewer_rounds: int


FULL = Plan(
    compared=[
        (Spec(10, 44100, "wav"), 7),
        (Spec(10, 44100, "mp3"), 7),
        (Spec(60, 44100, "wav"), 5),
        (Spec(60, 44100, "mp3"), 5),
        (Spec(60, 44100, "m4a"), 5),
        (Spec(600, 44100, "wav"), 3),
        (Spec(600, 44100, "mp3"), 3),
        (SHARED_MP3, 5),
    ],
    long=[Spec(3600, 48000, "wav"), Spec(3600, 48000, "mp3")],
    long_repeats=3,
    longest=[Spec(4 * 3600, 48000, "wav"), Spec(4 * 3600, 48000, "mp3")],
    warm_up=Spec(10, 48000, "wav"),
    import_repeats=7,
    latency_repeats=3,
    annotation_boxes=10_000,
    annotation_repeats=5,
    burst_uploads=50,
    list_requests=50,
    fanned_out=[Spec(3600, 48000, "wav"), Spec(3600, 48000, "mp3")],
    fanout_renders=1000,
    viewed=Spec(4 * 3600, 48000, "mp3", bit_rate=32_000),
    viewer_rounds=3,
)
QUICK = Plan(
    compared=[(Spec(3, 44100, "wav"), 2), (Spec(3, 44100, "mp3"), 2), (Spec(3, 44100, "m4a"), 2)],
    long=[Spec(20, 48000, "wav")],
    long_repeats=1,
    longest=[Spec(60, 48000, "mp3")],
    warm_up=Spec(2, 48000, "wav"),
    import_repeats=2,
    latency_repeats=1,
    annotation_boxes=1_000,
    annotation_repeats=1,
    burst_uploads=8,
    list_requests=8,
    fanned_out=[Spec(20, 48000, "wav")],
    fanout_renders=1000,
    viewed=Spec(60, 48000, "mp3"),
    viewer_rounds=1,
)


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _recording(source: Spec | Path) -> tuple[str, Path]:
    if isinstance(source, Path):
        return "shared MP3 (102 s)", source
    progress(f"input {source.label}")
    return source.label, ensure(source, INPUTS)


def compared_rows(plan: Plan) -> list[Row]:
    progress(f"importing librosa took {reference.import_librosa(CACHE):.1f} s (not timed)")
    rows = []
    for source, repeats in plan.compared:
        label, path = _recording(source)
        progress(f"engine, floor and reference on {label}, rounds: {repeats}")
        result = compare(path, repeats=repeats)
        engine_s, floor_s, reference_s = (result.wall_s(name) for name in NAMES)
        engine_cpu_s, floor_cpu_s = result.cpu_s("engine"), result.cpu_s("floor")
        runs = {name: [asdict(run) for run in result.runs[name]] for name in NAMES}
        rows += [
            Row(
                "engine vs reference: speed-up",
                label,
                engine_s,
                "s",
                reference_s,
                "reference",
                reference_s / engine_s,
                SPEEDUP_TARGET if label in SPEEDUP_TARGET_INPUTS else None,
                {"file": path.name, "size_px": result.size, "runs": runs},
            ),
            Row(
                "engine vs floor",
                label,
                engine_s,
                "s",
                floor_s,
                "floor",
                engine_s / floor_s,
                FLOOR_TARGET,
                {"floor_stages_s": result.floor_stage_s()},
            ),
            Row(
                "engine vs floor, CPU time",
                label,
                engine_cpu_s,
                "s",
                floor_cpu_s,
                "floor",
                engine_cpu_s / floor_cpu_s,
            ),
        ]
    return rows


def long_rows(plan: Plan) -> list[Row]:
    warm_up = ensure(plan.warm_up, INPUTS)
    rows = []
    for spec in plan.long:
        label, path = _recording(spec)
        progress(f"{label} with tiles and the floor in children, rounds: {plan.long_repeats}")
        result = long_render(path, warm_up=warm_up, repeats=plan.long_repeats)
        tiles = result.runs["tiles"][0]
        floor_s, floor_cpu_s = result.median("floor"), result.median("floor", "cpu_s")
        tiles_s, tiles_cpu_s = result.median("tiles"), result.median("tiles", "cpu_s")
        overview_s = result.median("engine")
        # The floor encodes one PNG; a render that must write every tile cannot
        # do less than also encoding those, so that floor is shown beside it.
        floor_with_tiles_s = floor_s + result.runs["tile_png"][0]["encode_s"]
        rows += [
            Row(
                "peak RSS, render + all tiles",
                label,
                result.peak_rss_mb,
                "MB",
                result.import_rss_mb,
                "engine imported",
                target=RSS_TARGET,
                details={"tiles": tiles["tiles"], "tile_bytes": tiles["tile_bytes"]},
            ),
            *_tile_rows(label, tiles, hour=True),
            Row(
                "render + all tiles vs floor",
                label,
                tiles_s,
                "s",
                floor_s,
                "floor",
                tiles_s / floor_s,
                LONG_FLOOR_TARGET,
                {"runs": result.runs},
            ),
            Row(
                "render + all tiles vs floor + tile PNG encode",
                label,
                tiles_s,
                "s",
                floor_with_tiles_s,
                "floor + tiles' PNG",
                tiles_s / floor_with_tiles_s,
                LONG_FLOOR_TARGET,
            ),
            Row(
                "render + all tiles vs floor, CPU time",
                label,
                tiles_cpu_s,
                "s",
                floor_cpu_s,
                "floor",
                tiles_cpu_s / floor_cpu_s,
            ),
            Row(
                "render, overview only vs floor",
                label,
                overview_s,
                "s",
                floor_s,
                "floor",
                overview_s / floor_s,
            ),
        ]
    return rows


def _tile_rows(label: str, run: dict, *, hour: bool) -> list[Row]:
    """What a render with every tile stores: objects written and MB of tiles (the
    targets are for an hour)."""
    return [
        Row(
            "objects written per render (tile objects + overview + manifest)",
            label,
            run["tile_objects"] + OTHER_OBJECTS,
            "",
            target=OBJECTS_TARGET if hour else None,
            details={"tiles": run["tiles"]},
        ),
        Row(
            "tiles stored",
            label,
            run["tile_bytes"] / 1e6,
            "MB",
            target=TILE_MB_TARGET if hour else None,
        ),
    ]


def _rendered_with_tiles(spec: Spec, plan: Plan, what: str) -> tuple[str, Path, dict]:
    """``spec``'s label, file and one render with every tile, in a child process."""
    label, path = _recording(spec)
    progress(f"{label} {what}")
    return label, path, measure("tiles", path, warm_up=ensure(plan.warm_up, INPUTS))


def _in_lambda_s(run: dict, audio: Path, memory_mb: int) -> float:
    """A render measured here as it would take in the worker with ``memory_mb``: its CPU
    time on the vCPUs that buys, plus reading the audio and writing the images."""
    return fanout.lambda_seconds(
        elapsed_s=run["elapsed_s"],
        cpu_s=run["cpu_s"],
        memory_mb=memory_mb,
        bytes_moved=audio.stat().st_size + run["tile_bytes"] + run["overview_bytes"],
    )


def longest_rows(plan: Plan) -> list[Row]:
    from infra.stack import WORKER_MEMORY_MB

    rows = []
    for spec in plan.longest:
        label, path, run = _rendered_with_tiles(spec, plan, "with tiles in a child, once")
        details = {"tiles": run["tiles"], "tile_bytes": run["tile_bytes"]}
        rows += [
            *_tile_rows(label, run, hour=False),
            Row(
                "longest recording: peak RSS, all tiles",
                label,
                run["peak_rss_mb"],
                "MB",
                target=RSS_TARGET,
                details=details,
            ),
            Row("longest recording: render + all tiles", label, run["elapsed_s"], "s"),
            Row(
                f"longest recording: projected in the worker at {WORKER_MEMORY_MB} MB",
                label,
                _in_lambda_s(run, path, WORKER_MEMORY_MB),
                "s",
                run["cpu_s"],
                "CPU time here",
                target=RENDER_BUDGET_TARGET,
            ),
        ]
    return rows


def import_rows(plan: Plan) -> list[Row]:
    progress(f"cold imports, rounds: {plan.import_repeats}")
    runs = cold_imports(repeats=plan.import_repeats, cache_dir=CACHE)
    median = {name: statistics.median(times) for name, times in runs.items()}
    python = median["python"]
    cli_runs = cold_cli(ensure(Spec(10, 44100, "wav"), INPUTS), repeats=plan.import_repeats)
    return [
        Row(
            "cold import",
            "app (HTTP API)",
            median["app"],
            "s",
            median["boto3"],
            "import boto3",
            median["app"] / median["boto3"],
            details={"runs_s": runs},
        ),
        Row(
            "cold import",
            "chalicelib.spectrogram",
            median["chalicelib.spectrogram"],
            "s",
            python,
            "python -c pass",
        ),
        Row("cold import", "librosa (reference)", median["librosa"], "s", python, "python -c pass"),
        Row(
            "cold start: sonagram render",
            "10 s WAV",
            statistics.median(cli_runs),
            "s",
            python,
            "python -c pass",
            details={"runs_s": cli_runs},
        ),
    ]


def e2e_rows(plan: Plan) -> list[Row]:
    progress(
        f"local stack: {plan.latency_repeats} timed uploads, a burst of {plan.burst_uploads}, "
        f"{plan.list_requests} lists at once"
    )
    latency, annotated, burst, lists = end_to_end(
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
    return annotation_rows(annotated) + [
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


def annotation_rows(timings: AnnotationTimings) -> list[Row]:
    """Median seconds of each request; all must fit the API function's timeout."""
    case = f"{timings.boxes} boxes, {timings.body_bytes / 1e6:.1f} MB JSON"
    return [
        Row(
            f"annotations: {name}",
            case,
            statistics.median(seconds),
            "s",
            target=API_TIMEOUT_TARGET,
            details={"seconds": seconds},
        )
        for name, seconds in (
            ("PUT all", timings.put_s),
            ("GET all", timings.get_s),
            ("PATCH one box", timings.patch_s),
            *timings.files_s.items(),
        )
    ]


def fanout_rows(plan: Plan) -> list[Row]:
    """One render of each recording, measured, projected onto ``fanout_renders`` at once."""
    from infra.stack import WORKER_MEMORY_MB

    rows = []
    for spec in plan.fanned_out:
        what = f"one render with tiles, projected onto {plan.fanout_renders}"
        label, path, run = _rendered_with_tiles(spec, plan, what)
        audio_bytes = path.stat().st_size
        written = [*run["tile_object_bytes"].values(), run["overview_bytes"]]
        stored = sum(written)
        case = f"{plan.fanout_renders} × {label}"
        for memory_mb in FANOUT_MEMORY_MB:
            render = fanout.Render(
                seconds=_in_lambda_s(run, path, memory_mb),
                memory_mb=memory_mb,
                # One PUT an object (each at most 16 MiB), and the manifest.
                s3_puts=len(written) + 1,
                s3_gets=math.ceil(audio_bytes / CHUNK_BYTES),
                dynamodb_writes=RENDER_WRITES + RENDER_INDEX_WRITES,
                dynamodb_reads=RENDER_READS,
                index_writes=RENDER_INDEX_WRITES,
                stored_bytes=stored,
            )
            projected = fanout.project(plan.fanout_renders, render, FANOUT_LIMITS)
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


def viewer_rows(plan: Plan) -> list[Row]:
    label, path = _recording(plan.viewed)
    progress(f"viewer in Chromium on {label}, rounds: {plan.viewer_rounds}")
    timings = viewer_timings(path, rounds=plan.viewer_rounds, render_timeout_s=RENDER_BUDGET_S)
    return view_change_rows(label, timings)


def view_change_rows(label: str, timings: ViewerTimings) -> list[Row]:
    """Opening, then every zoom or pan to fully drawn: p50/p95 of all and p95 of each kind."""
    seconds = [ms / 1000 for _, ms in timings.changes]
    manifest = f"manifest of {timings.tiles} tiles, {timings.manifest_bytes / 1e6:.1f} MB"
    rows = [
        Row(
            "viewer: open → first view drawn",
            label,
            timings.first_view_ms / 1000,
            "s",
            details={"manifest": manifest},
        ),
        Row(
            "viewer: zoom or pan → drawn p50",
            f"{label}, {len(seconds)} changes",
            percentile(seconds, 50),
            "s",
            details={"changes": timings.changes},
        ),
        Row(
            "viewer: zoom or pan → drawn p95",
            f"{label}, {len(seconds)} changes",
            percentile(seconds, 95),
            "s",
            target=VIEW_CHANGE_TARGET,
        ),
    ]
    for kind in dict.fromkeys(kind for kind, _ in timings.changes):
        of_kind = [ms / 1000 for k, ms in timings.changes if k == kind]
        rows.append(
            Row(
                f"viewer: {kind} → drawn p95",
                f"{label}, {len(of_kind)} changes",
                percentile(of_kind, 95),
                "s",
            )
        )
    return rows


#: (name for --only, title, benchmark)
SECTIONS: list[tuple[str, str, Callable[[Plan], list[Row]]]] = [
    ("imports", "cold imports", import_rows),
    ("compare", "engine vs reference and floor", compared_rows),
    ("long", "long render", long_rows),
    ("longest", "longest recording", longest_rows),
    ("e2e", "end to end", e2e_rows),
    ("fanout", "1,000 renders at once, projected", fanout_rows),
    ("viewer", "viewer in Chromium", viewer_rows),
    ("banding", "horizontal stripes in white noise", lambda plan: banding_rows(WORK)),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small subset, for a smoke test")
    parser.add_argument(
        "--only",
        action="append",
        choices=[key for key, _, _ in SECTIONS],
        help="run just this section (repeatable); results go to bench/work/partial/",
    )
    args = parser.parse_args(argv)
    plan, mode = (QUICK, "quick") if args.quick else (FULL, "full")
    out = WORK / "quick" if args.quick else BENCH
    if args.only:
        # A partial run must not overwrite the full run's results.
        mode, out = f"{mode}, only {', '.join(args.only)}", WORK / "partial"
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    rows: list[Row] = []
    errors: list[dict] = []
    for key, name, section in SECTIONS:
        if args.only and key not in args.only:
            continue
        try:
            rows += section(plan)
        except Exception as e:
            # One broken benchmark must not hide the others' numbers; the run still
            # fails at the end, with the traceback in results.json.
            traceback.print_exc()
            errors.append({"section": name, "error": repr(e), "traceback": traceback.format_exc()})
    runtime_s = time.perf_counter() - started
    document = report.results_document(
        mode=mode,
        machine=machine.info(),
        started_at=started_at,
        runtime_s=runtime_s,
        rows=rows,
        errors=errors,
    )
    report.write(out, document, rows)
    print(report.markdown_table(rows))
    print(f"{mode} run: {runtime_s:.0f} s; results in {out.relative_to(BENCH.parent)}/")
    for error in errors:
        print(f"ERROR in {error['section']}: {error['error']}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
