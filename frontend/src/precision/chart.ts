import type { LabelPrecision, ThresholdRow } from "../api/types";

/** The chart's size in CSS px, and the room kept for the axes' numbers. */
export interface ChartBox {
  widthPx: number;
  heightPx: number;
  leftPx: number;
  bottomPx: number;
  /** Room above and right of the plot, so the dots at 1.0 are not cut. */
  edgePx: number;
}

export const CHART_BOX: ChartBox = { widthPx: 300, heightPx: 150, leftPx: 30, bottomPx: 20, edgePx: 6 };

export interface Tick {
  /** The position along its axis, px. */
  at: number;
  text: string;
}

/** Everything the SVG draws, in px: paths are SVG path data. */
export interface ChartGeometry {
  /** The plot's frame: left, top, right, bottom edges. */
  plot: { left: number; top: number; right: number; bottom: number };
  /** Precision against threshold; a gap where no box at or above a threshold is reviewed. */
  line: string;
  /** A dot per threshold with a precision (a lone one shows where a line cannot). */
  dots: { x: number; y: number }[];
  /** The 95 % interval, one closed shape per run of thresholds that have one. */
  band: string;
  targetY: number;
  /** Where the lowest threshold reaching the target is; null when none does. */
  chosenX: number | null;
  xTicks: Tick[];
  yTicks: Tick[];
}

const px = (value: number) => Math.round(value * 10) / 10;

/** Thresholds as the table and the API write them: 0.10, 0.95. */
export const thresholdText = (threshold: number) => threshold.toFixed(2);

/**
 * Where precision against confidence threshold goes in `box`: x from the lowest threshold to
 * a confidence of 1 (the last bin ends there), y from 0 to 1.
 */
export function chartGeometry(label: LabelPrecision, target: number, box: ChartBox = CHART_BOX): ChartGeometry {
  const plot = { left: box.leftPx, top: box.edgePx, right: box.widthPx - box.edgePx, bottom: box.heightPx - box.bottomPx };
  const lowest = label.rows[0]?.threshold ?? 0;
  const x = (threshold: number) => px(plot.left + ((threshold - lowest) / (1 - lowest)) * (plot.right - plot.left));
  const y = (precision: number) => px(plot.bottom - precision * (plot.bottom - plot.top));

  const line = runs(label.rows, (row) => row.precision !== null)
    .map((run) => run.map((row, i) => `${i === 0 ? "M" : "L"}${x(row.threshold)},${y(row.precision!)}`).join(""))
    .join("");
  const band = runs(label.rows, (row) => row.low !== null && row.high !== null)
    .map((run) => {
      const upper = run.map((row) => `${x(row.threshold)},${y(row.high!)}`);
      const lower = run.map((row) => `${x(row.threshold)},${y(row.low!)}`).reverse();
      return `M${[...upper, ...lower].join("L")}Z`;
    })
    .join("");
  return {
    plot,
    line,
    dots: label.rows.filter((row) => row.precision !== null).map((row) => ({ x: x(row.threshold), y: y(row.precision!) })),
    band,
    targetY: y(target),
    chosenX: label.threshold === null ? null : x(label.threshold),
    // Every fourth threshold (0.10, 0.30, … with the API's steps of 0.05): more would crowd.
    xTicks: label.rows.filter((_, i) => i % 4 === 0).map((row) => ({ at: x(row.threshold), text: thresholdText(row.threshold) })),
    yTicks: [0, 0.5, 1].map((p) => ({ at: y(p), text: p.toFixed(1) })),
  };
}

/** The chart's accessible name: what it shows and what it found (the table beside it has the numbers). */
export function chartName(label: LabelPrecision, target: number): string {
  const found =
    label.threshold === null
      ? `no threshold reaches ${target}`
      : `${target} is reached from a threshold of ${thresholdText(label.threshold)}`;
  return `Precision of ${label.label} against confidence threshold, with its 95 % interval: ${found}`;
}

/** The longest stretches of consecutive rows that `keep` keeps. */
function runs(rows: ThresholdRow[], keep: (row: ThresholdRow) => boolean): ThresholdRow[][] {
  const all: ThresholdRow[][] = [];
  let current: ThresholdRow[] = [];
  for (const row of rows) {
    if (keep(row)) current.push(row);
    else if (current.length) {
      all.push(current);
      current = [];
    }
  }
  if (current.length) all.push(current);
  return all;
}
