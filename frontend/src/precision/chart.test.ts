import { describe, expect, it } from "vitest";
import { type ChartBox, chartGeometry, chartName } from "./chart";
import type { LabelPrecision, ThresholdRow } from "../api/types";

// A plot 100 px wide from x = 0 and 100 px tall from y = 0: thresholds 0 … 1 map to 0 … 100 px.
const BOX: ChartBox = { widthPx: 100, heightPx: 100, leftPx: 0, bottomPx: 0, edgePx: 0 };

const row = (threshold: number, precision: number | null, low: number | null = null, high: number | null = null): ThresholdRow => ({
  threshold,
  boxes: 10,
  reviewed: precision === null ? 0 : 5,
  accepted: 0,
  rejected: 0,
  precision,
  low,
  high,
});

const label = (rows: ThresholdRow[], threshold: number | null = null): LabelPrecision => ({
  label: "Wren",
  boxes: 10,
  reviewed: 5,
  accepted: 0,
  rejected: 0,
  threshold,
  rows,
});

describe("chartGeometry", () => {
  it("puts precision against threshold, 1 at the top, from the lowest threshold to a confidence of 1", () => {
    const g = chartGeometry(label([row(0, 0.5), row(0.5, 0.75), row(0.75, 1)]), 0.9, BOX);
    expect(g.line).toBe("M0,50L50,25L75,0");
    expect(g.dots).toEqual([
      { x: 0, y: 50 },
      { x: 50, y: 25 },
      { x: 75, y: 0 },
    ]);
    expect(g.targetY).toBe(10);
  });

  it("starts the x axis at the lowest threshold", () => {
    const g = chartGeometry(label([row(0.2, 0.5), row(0.6, 0.5)]), 0.9, BOX);
    expect(g.line).toBe("M0,50L50,50");
  });

  it("leaves a gap where no box is reviewed rather than joining across it", () => {
    const g = chartGeometry(label([row(0, 0.5), row(0.25, null), row(0.5, 1), row(0.75, 1)]), 0.9, BOX);
    expect(g.line).toBe("M0,50M50,0L75,0");
    expect(g.dots.map((d) => d.x)).toEqual([0, 50, 75]);
  });

  it("draws the interval as a closed band per run: along the upper ends, back along the lower", () => {
    const g = chartGeometry(
      label([row(0, 0.5, 0.25, 0.75), row(0.5, 0.5, 0.4, 0.6), row(0.75, null), row(0.9, 1, 0.5, 1)]),
      0.9,
      BOX,
    );
    expect(g.band).toBe("M0,25L50,40L50,60L0,75ZM90,0L90,50Z");
  });

  it("marks the chosen threshold, and nothing when no threshold reaches the target", () => {
    expect(chartGeometry(label([row(0, 0.5), row(0.5, 0.95)], 0.5), 0.9, BOX).chosenX).toBe(50);
    expect(chartGeometry(label([row(0, 0.5)], null), 0.9, BOX).chosenX).toBeNull();
  });

  it("numbers every fourth threshold on the x axis and 0, 0.5, 1 on the y axis", () => {
    const rows = Array.from({ length: 18 }, (_, i) => row(0.1 + 0.05 * i, null));
    const g = chartGeometry(label(rows), 0.9);
    expect(g.xTicks.map((t) => t.text)).toEqual(["0.10", "0.30", "0.50", "0.70", "0.90"]);
    expect(g.yTicks.map((t) => t.text)).toEqual(["0.0", "0.5", "1.0"]);
    expect(g.yTicks[0].at).toBe(g.plot.bottom);
    expect(g.yTicks[2].at).toBe(g.plot.top);
    expect(g.xTicks[0].at).toBe(g.plot.left);
  });

  it("draws nothing but the frame for a label without rows", () => {
    const g = chartGeometry(label([]), 0.9, BOX);
    expect([g.line, g.band, g.dots, g.xTicks]).toEqual(["", "", [], []]);
  });
});

describe("chartName", () => {
  it("says where the target is reached, or that it is not", () => {
    expect(chartName(label([], 0.7), 0.9)).toBe(
      "Precision of Wren against confidence threshold, with its 95 % interval: 0.9 is reached from a threshold of 0.70",
    );
    expect(chartName(label([], null), 0.95)).toMatch(/: no threshold reaches 0.95$/);
  });
});
