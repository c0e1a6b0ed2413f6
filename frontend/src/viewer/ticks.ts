import { clockTime } from "../clock";

/** A labelled mark on an axis, `at` in the axis's unit (s or Hz). */
export interface Tick {
  at: number;
  text: string;
}

// Steps a clock reader counts in: seconds, minutes and hours by 1, 2, 5, 10, 15 and 30.
const CLOCK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18_000];

/** The smallest step of 1, 2 or 5 x 10^k that keeps marks `minGap` units apart. */
export function tickStep(minGap: number): number {
  const power = 10 ** Math.floor(Math.log10(minGap));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= minGap * (1 - 1e-9)) as number;
}

function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Every multiple of `step` in [from, to]. */
function multiples(from: number, to: number, step: number): number[] {
  const marks: number[] = [];
  // "|| 0" turns a first mark of -0 into 0.
  for (let i = Math.ceil(from / step - 1e-9) || 0; i * step <= to + step * 1e-9; i++) marks.push(i * step);
  return marks;
}

/**
 * Marks on [from, to] spaced at least `minGapPx` pixels apart when the axis is `lengthPx`
 * long, labelled as `value / unit` with as many decimals as the step needs.
 */
export function ticks(from: number, to: number, lengthPx: number, minGapPx: number, unit = 1): Tick[] {
  if (!(to > from) || lengthPx <= 0) return [];
  const step = tickStep(((to - from) / lengthPx) * minGapPx);
  const decimals = decimalsOf(step / unit);
  return multiples(from, to, step).map((at) => ({ at, text: (at / unit).toFixed(decimals) }));
}

/** Like `ticks` on seconds, at steps a clock counts in, labelled `h:mm:ss` (and tenths, ...). */
export function clockTicks(from: number, to: number, lengthPx: number, minGapPx: number): Tick[] {
  if (!(to > from) || lengthPx <= 0) return [];
  const minGap = ((to - from) / lengthPx) * minGapPx;
  const step = minGap <= 1 ? tickStep(minGap) : (CLOCK_STEPS_S.find((s) => s >= minGap) ?? tickStep(minGap));
  const decimals = decimalsOf(step);
  return multiples(from, to, step).map((at) => ({ at, text: clockTime(at, decimals) }));
}
