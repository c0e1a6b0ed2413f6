"""``python -m bench [--quick] [--only SECTION]``: run benchmarks, print and write the results."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from bench import machine, report
from bench.banding import banding_rows
from bench.compare import compared_rows
from bench.detection import detection_rows
from bench.e2e import e2e_rows
from bench.fanout import fanout_rows
from bench.imports import import_rows
from bench.lab import lab_rows
from bench.long_render import long_rows, longest_rows
from bench.measurement import measurement_rows
from bench.plan import BENCH, FULL, QUICK, WORK, Plan
from bench.report import Row
from bench.review import review_rows
from bench.review_ui import review_ui_rows
from bench.viewer import viewer_boxes_rows, viewer_rows

#: (name for --only, title, benchmark): each section module makes its own rows.
SECTIONS: list[tuple[str, str, Callable[[Plan], list[Row]]]] = [
    ("imports", "cold imports", import_rows),
    ("compare", "engine vs reference and floor", compared_rows),
    ("long", "long render", long_rows),
    ("longest", "longest recording", longest_rows),
    ("e2e", "end to end", e2e_rows),
    ("fanout", "1,000 renders at once, projected", fanout_rows),
    ("viewer", "viewer in Chromium", viewer_rows),
    ("viewer_boxes", "viewer in Chromium with boxes", viewer_boxes_rows),
    ("review_ui", "review by keys in Chromium", review_ui_rows),
    ("banding", "horizontal stripes in white noise", banding_rows),
    ("measurement", "measurements of boxes", measurement_rows),
    ("detection", "band-limited energy detector", detection_rows),
    ("review", "review queue of 1,000 recordings", review_rows),
    ("lab", "a lab: 50 members, 10,000 recordings", lab_rows),
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
