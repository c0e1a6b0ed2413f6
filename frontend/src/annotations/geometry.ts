import type { Annotation } from "../api/types";
import { endS, hzToY, timeToX, type View, xToTime, yToHz } from "../viewer/view";
import { type Bounds, isPoint } from "./box";

/** Where a box lies on the plot, CSS pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

/** What a box may span: the recording's length and the spectrogram's top frequency. */
export interface Limits {
  durationS: number;
  fMaxHz: number;
}

/** Which part of the selected box the pointer holds: its inside, an edge, or a corner. */
export type Part = "move" | "n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw";

/** How near an edge, in CSS pixels, the pointer takes hold of it. */
export const GRIP_PX = 6;

/** How near a point's line, in CSS pixels, the pointer takes hold of it: a 1 px line is hard to hit. */
export const POINT_GRIP_PX = 5;

/** A point's marker is at least this tall (CSS px), so one at a single frequency still shows. */
export const MARKER_MIN_PX = 14;

/** The flag at the top of a point's marker, CSS px: it holds the label beside it. */
export const FLAG_PX = 10;

/** A missing low or high frequency puts that edge at the plot's bottom or top. */
export function boxRect(view: View, box: Bounds): Rect {
  const x = timeToX(view, box.start_s);
  const y = box.high_hz === null ? 0 : hzToY(view, box.high_hz);
  const bottom = box.low_hz === null ? view.heightPx : hzToY(view, box.low_hz);
  return { x, y, w: timeToX(view, box.end_s) - x, h: bottom - y };
}

/**
 * Where a point's marker stands: its line at x, over its band (the whole height without
 * one), at least MARKER_MIN_PX tall around a single frequency. Width 0.
 */
export function markerRect(view: View, point: Bounds): Rect {
  const r = boxRect(view, point);
  if (r.h >= MARKER_MIN_PX) return r;
  const y = Math.min(Math.max(r.y + r.h / 2 - MARKER_MIN_PX / 2, 0), view.heightPx - MARKER_MIN_PX);
  return { x: r.x, y, w: 0, h: MARKER_MIN_PX };
}

/** The boxes that overlap the view's time span (frequency is not culled: few boxes lie wholly outside it). */
export function visibleBoxes(view: View, boxes: readonly Annotation[]): Annotation[] {
  const from = view.startS;
  const to = endS(view);
  return boxes.filter((box) => box.end_s >= from && box.start_s <= to);
}

function inside(rect: Rect, p: Point, margin = 0): boolean {
  return p.x >= rect.x - margin && p.x <= rect.x + rect.w + margin && p.y >= rect.y - margin && p.y <= rect.y + rect.h + margin;
}

/** Whether the pointer is on a point's marker: within POINT_GRIP_PX of its line, or on its flag. */
function onMarker(view: View, point: Bounds, p: Point): boolean {
  const r = markerRect(view, point);
  const onFlag = p.x >= r.x && p.x <= r.x + FLAG_PX + POINT_GRIP_PX && p.y >= r.y && p.y <= r.y + FLAG_PX;
  return onFlag || (Math.abs(p.x - r.x) <= POINT_GRIP_PX && p.y >= r.y - POINT_GRIP_PX && p.y <= r.y + r.h + POINT_GRIP_PX);
}

/**
 * The box under the pointer; of nested boxes the smallest, so each stays reachable. A
 * point's marker comes before any box, the nearest point first (its rank is negative, a
 * box's is its area).
 */
export function boxAt(view: View, boxes: readonly Annotation[], p: Point): Annotation | null {
  let best: Annotation | null = null;
  let bestRank = Infinity;
  for (const box of boxes) {
    const rect = boxRect(view, box);
    const hit = isPoint(box) ? onMarker(view, box, p) : inside(rect, p);
    const rank = isPoint(box) ? -1 / (1 + Math.abs(p.x - rect.x)) : rect.w * rect.h;
    if (hit && rank < bestRank) {
      best = box;
      bestRank = rank;
    }
  }
  return best;
}

/** The part of `box` under the pointer: edges and corners within GRIP_PX, or its inside; a point only moves. */
export function partAt(view: View, box: Bounds, p: Point): Part | null {
  if (isPoint(box)) return onMarker(view, box, p) ? "move" : null;
  const rect = boxRect(view, box);
  if (!inside(rect, p, GRIP_PX)) return null;
  const vertical = Math.abs(p.y - rect.y) <= GRIP_PX ? "n" : Math.abs(p.y - rect.y - rect.h) <= GRIP_PX ? "s" : "";
  const horizontal = Math.abs(p.x - rect.x) <= GRIP_PX ? "w" : Math.abs(p.x - rect.x - rect.w) <= GRIP_PX ? "e" : "";
  const part = vertical + horizontal;
  if (part) return part as Part;
  return inside(rect, p) ? "move" : null;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The box spanned by a drag from `from` to `to`, inside the limits. */
export function drawnBounds(view: View, limits: Limits, from: Point, to: Point): Bounds {
  const [s0, s1] = [xToTime(view, from.x), xToTime(view, to.x)].map((s) => clamp(s, 0, limits.durationS));
  const [h0, h1] = [yToHz(view, from.y), yToHz(view, to.y)].map((hz) => clamp(hz, 0, limits.fMaxHz));
  return { start_s: Math.min(s0, s1), end_s: Math.max(s0, s1), low_hz: Math.min(h0, h1), high_hz: Math.max(h0, h1) };
}

/** The box dragged by the pointer's travel from `from` to `to`, same size, kept inside the limits. */
export function movedBox(view: View, limits: Limits, box: Annotation, from: Point, to: Point): Annotation {
  const ds = clamp(xToTime(view, to.x) - xToTime(view, from.x), -box.start_s, limits.durationS - box.end_s);
  const moved = { ...box, start_s: box.start_s + ds, end_s: box.end_s + ds };
  // A box that spans the whole band moves in time only.
  if (box.low_hz === null || box.high_hz === null) return moved;
  const dhz = clamp(yToHz(view, to.y) - yToHz(view, from.y), -box.low_hz, limits.fMaxHz - box.high_hz);
  return { ...moved, low_hz: box.low_hz + dhz, high_hz: box.high_hz + dhz };
}

/** The box with the held edges at the pointer, at least a pixel wide and high, inside the limits. */
export function resizedBox(view: View, limits: Limits, box: Annotation, part: Part, to: Point): Annotation {
  const s = clamp(xToTime(view, to.x), 0, limits.durationS);
  const hz = clamp(yToHz(view, to.y), 0, limits.fMaxHz);
  const minS = 1 / view.pxPerS;
  const minHz = (view.fMaxHz - view.fMinHz) / view.heightPx;
  const next = { ...box };
  if (part.includes("w")) next.start_s = Math.min(s, box.end_s - minS);
  if (part.includes("e")) next.end_s = Math.max(s, box.start_s + minS);
  if (part.includes("n")) next.high_hz = Math.max(hz, (box.low_hz ?? 0) + minHz);
  if (part.includes("s")) next.low_hz = Math.min(hz, (box.high_hz ?? limits.fMaxHz) - minHz);
  return next;
}

/** Bounds as a person reads them: seconds to the millisecond, kilohertz to 10 Hz; a point by its one time. */
export function boundsText(box: Bounds): string {
  const band =
    box.low_hz === null && box.high_hz === null
      ? "all frequencies"
      : box.low_hz === box.high_hz
        ? `${kHz(box.low_hz ?? 0)} kHz`
        : `${kHz(box.low_hz ?? 0)}–${box.high_hz === null ? "top" : kHz(box.high_hz)} kHz`;
  const time = isPoint(box) ? box.start_s.toFixed(3) : `${box.start_s.toFixed(3)}–${box.end_s.toFixed(3)}`;
  return `${time} s, ${band}`;
}

export const kHz = (hz: number) => (hz / 1000).toFixed(2);
