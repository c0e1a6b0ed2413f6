import { describe, expect, it } from "vitest";
import { endS, hzToY, timeToX, xToTime, yToHz, type View } from "./view";

const view = (startS: number, pxPerS: number): View => ({
  startS,
  pxPerS,
  widthPx: 1000,
  heightPx: 400,
  fMinHz: 0,
  fMaxHz: 10_000,
});

describe("seconds and hertz to plot pixels", () => {
  it.each([
    [0, 10, 12.5, 125],
    [100, 200, 101.25, 250],
    [3600, 0.25, 7600, 1000],
  ])("at start %s s and %s px/s, %s s is x = %s", (start, pxPerS, seconds, x) => {
    expect(timeToX(view(start, pxPerS), seconds)).toBeCloseTo(x, 9);
    expect(xToTime(view(start, pxPerS), x)).toBeCloseTo(seconds, 9);
  });

  it("puts low frequencies at the bottom, in any band", () => {
    expect(hzToY(view(0, 1), 0)).toBe(400);
    expect(hzToY(view(0, 1), 10_000)).toBe(0);
    const band = { ...view(0, 1), fMinHz: 2000, fMaxHz: 6000 };
    expect(hzToY(band, 3000)).toBe(300);
    expect(yToHz(band, 300)).toBe(3000);
  });

  it("knows where the plot ends", () => {
    expect(endS(view(10, 100))).toBe(20);
  });
});
