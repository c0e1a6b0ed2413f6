/** A labelled mark on an axis, `at` in the axis's unit (s or Hz). */
export interface Tick {
  at: number;
  text: string;
}

/** The smallest step of 1, 2 or 5 x 10^k that keeps marks `minGap` units apart. */
export function tickStep(minGap: number): number {
  const power = 10 ** Math.floor(Math.log10(minGap));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= minGap * (1 - 1e-9)) as number;
}

function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Marks on [from, to] spaced at least `minGapPx` pixels apart when the axis is `lengthPx`
 * long, labelled as `value / unit` with as many decimals as the step needs.
 */
export function ticks(from: number, to: number, lengthPx: number, minGapPx: number, unit = 1): Tick[] {
  if (!(to > from) || lengthPx <= 0) return [];
  const step = tickStep(((to - from) / lengthPx) * minGapPx);
  const decimals = decimalsOf(step / unit);
  const marks: Tick[] = [];
  // "|| 0" turns a first mark of -0 into 0.
  for (let i = Math.ceil(from / step - 1e-9) || 0; i * step <= to + step * 1e-9; i++) {
    const at = i * step;
    marks.push({ at, text: (at / unit).toFixed(decimals) });
  }
  return marks;
}
