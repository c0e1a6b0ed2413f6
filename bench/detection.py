"""The band-limited energy detector: quality on the labelled set, and what it costs.

Quality: the default preset on :mod:`bench.calls`'s labelled recordings, one per SNR
(-5 ... 20 dB), recall and precision each (targets at 10 dB and over: recall >= 0.9,
precision >= 0.8), the calls found by kind and the candidates refused in the details.

Cost, on the long recording (one hour at 48 kHz in the full run), each run in a fresh
child process as :mod:`bench.long_render` does, in interleaved rounds: the render with
every tile and the default preset in the same pass against the same render without it
(target: at most 10 % added), a re-run (``detect``: decoding and the STFT, no drawing)
against the render (at most its time), and the peak memory of both (bounded as the
render's).
"""

from __future__ import annotations

import statistics

from bench.calls import SNRS_DB, TARGET_PRECISION, TARGET_RECALL, TARGET_SNR_DB, quality
from bench.child import DEFAULT_PRESET, measure
from bench.long_render import RSS_TARGET
from bench.plan import INPUTS, Plan, progress, recording
from bench.report import Row, Target
from bench.signals import ensure

#: Issue 17: detection in the render's pass adds at most 10 %; a re-run takes at most a render.
IN_PASS_TARGET = Target("<=", 1.10)
RERUN_TARGET = Target("<=", 1.0)
MODES = ("tiles", "detect_tiles", "detect")


def detection_rows(plan: Plan) -> list[Row]:
    return [*quality_rows(plan), *cost_rows(plan)]


def quality_rows(plan: Plan) -> list[Row]:
    progress(f"labelled calls, {plan.labelled_s:g} s per SNR, default preset")
    rows = []
    for scored in quality(duration_s=plan.labelled_s, preset=DEFAULT_PRESET, snrs_db=SNRS_DB):
        case = f"{scored.snr_db:+g} dB SNR, {scored.calls} calls"
        held = scored.snr_db >= TARGET_SNR_DB
        details = {
            "found_by_kind": scored.by_kind,
            "proposals": scored.proposals,
            "correct": scored.correct,
            "candidates": scored.detections.candidates,
            "refused": scored.detections.refused,
        }
        rows += [
            Row(
                "detector recall, labelled calls (default preset)",
                case,
                scored.recall,
                "",
                target=Target(">=", TARGET_RECALL, of="measured") if held else None,
                details=details,
            ),
            Row(
                "detector precision, labelled calls (default preset)",
                case,
                scored.precision,
                "",
                target=Target(">=", TARGET_PRECISION, of="measured") if held else None,
            ),
        ]
    return rows


def cost_rows(plan: Plan) -> list[Row]:
    label, path = recording(plan.long[0])
    warm_up = ensure(plan.warm_up, INPUTS)
    progress(f"{label}: render, render + detector, detector alone, rounds: {plan.long_repeats}")
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(plan.long_repeats):
        for mode in MODES:
            runs[mode].append(measure(mode, path, warm_up=warm_up))

    def median(mode: str) -> float:
        return statistics.median(run["elapsed_s"] for run in runs[mode])

    def peak_mb(mode: str) -> float:
        return max(run["peak_rss_mb"] for run in runs[mode])

    render_s, with_detector_s, rerun_s = median("tiles"), median("detect_tiles"), median("detect")
    found = runs["detect"][0]
    return [
        Row(
            "render + all tiles + default detector vs without",
            label,
            with_detector_s,
            "s",
            render_s,
            "render + all tiles",
            with_detector_s / render_s,
            IN_PASS_TARGET,
            {"runs": runs, "proposals": found["proposals"], "candidates": found["candidates"]},
        ),
        Row(
            "detector re-run (decode + STFT + detector) vs render + all tiles",
            label,
            rerun_s,
            "s",
            render_s,
            "render + all tiles",
            rerun_s / render_s,
            RERUN_TARGET,
        ),
        Row(
            "peak RSS, render + all tiles + default detector",
            label,
            peak_mb("detect_tiles"),
            "MB",
            peak_mb("tiles"),
            "without detector",
            target=RSS_TARGET,
        ),
        Row(
            "peak RSS, detector re-run",
            label,
            peak_mb("detect"),
            "MB",
            peak_mb("tiles"),
            "render + all tiles",
            target=RSS_TARGET,
        ),
    ]
