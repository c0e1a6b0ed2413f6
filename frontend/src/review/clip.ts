/**
 * A clip: one box shown on its own, cut from its recording's tiles. The clip is a View of the
 * viewer's own kind (seconds and hertz to pixels), so the viewer's drawing plan picks the
 * level whose resolution fits the clip's width, places each tile's pixels, and draws coarser
 * tiles under the missing ones, exactly as it does for the full spectrogram.
 */
import type { View } from "../viewer/view";
import { hzToY, timeToX } from "../viewer/view";
import type { ReviewItem } from "../api/types";

/** Time shown on either side of the box: a share of its length, at least this much, s. */
const TIME_PADDING_SHARE = 0.25;
const TIME_PADDING_MIN_S = 0.5;
/** Frequency shown above and below the box: a share of its band, at least this much, Hz. */
const BAND_PADDING_SHARE = 0.2;
const BAND_PADDING_MIN_HZ = 500;

type Box = Pick<ReviewItem, "start_s" | "end_s" | "low_hz" | "high_hz">;

/** The recording's extent the clip stays within. */
export interface Extent {
  durationS: number;
  fMaxHz: number;
}

/** The view of a clip `widthPx` × `heightPx`: the box with padding, within the recording. */
export function clipView(box: Box, extent: Extent, widthPx: number, heightPx: number): View {
  const padS = Math.max(TIME_PADDING_MIN_S, (box.end_s - box.start_s) * TIME_PADDING_SHARE);
  const startS = Math.max(0, box.start_s - padS);
  const endS = Math.min(extent.durationS, box.end_s + padS);
  const low = box.low_hz ?? 0;
  const high = box.high_hz ?? extent.fMaxHz;
  // A box over the whole band (a BirdNET detection) shows the whole band.
  const padHz = box.low_hz === null && box.high_hz === null ? 0 : Math.max(BAND_PADDING_MIN_HZ, (high - low) * BAND_PADDING_SHARE);
  const fMinHz = Math.max(0, low - padHz);
  const fMaxHz = Math.min(extent.fMaxHz, high + padHz);
  const spanS = Math.max(endS - startS, 1e-3);
  return { startS, pxPerS: widthPx / spanS, widthPx, heightPx, fMinHz, fMaxHz: Math.max(fMaxHz, fMinHz + 1) };
}

/** Where the box lies on the clip, CSS px (the outline drawn around the call). */
export function boxOnClip(box: Box, view: View): { x: number; y: number; width: number; height: number } {
  const x = timeToX(view, box.start_s);
  const y = hzToY(view, box.high_hz ?? view.fMaxHz);
  return { x, y, width: timeToX(view, box.end_s) - x, height: hzToY(view, box.low_hz ?? view.fMinHz) - y };
}
