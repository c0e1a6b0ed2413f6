import type { Manifest } from "../api/types";
import type { Limits, View } from "./view";
import { clampView, wholeRecordingPxPerS } from "./view";

/** The deepest zoom is this many times level 0's resolution (one tile pixel = 4 CSS px). */
const DEEPEST_OVER_LEVEL_0 = 4;
/** A call must be reachable at 200 px/s or more, whatever the recording (docs/spectrogram.md). */
const DEEPEST_AT_LEAST = 200;

export function limitsOf(manifest: Manifest): Limits {
  const finest = Math.max(manifest.px_per_s, ...manifest.tile_levels.map((level) => level.px_per_s));
  return {
    durationS: manifest.duration_s,
    fMaxHz: manifest.f_max_hz,
    maxPxPerS: Math.max(DEEPEST_OVER_LEVEL_0 * finest, DEEPEST_AT_LEAST),
  };
}

/** The first view of a recording: all of it, the whole band. */
export function openingView(manifest: Manifest, widthPx: number, heightPx: number): View {
  const limits = limitsOf(manifest);
  return clampView(
    { startS: 0, pxPerS: wholeRecordingPxPerS(widthPx, limits), widthPx, heightPx, fMinHz: 0, fMaxHz: limits.fMaxHz },
    limits,
  );
}
