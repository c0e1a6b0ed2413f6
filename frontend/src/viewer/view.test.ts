import { describe, expect, it } from "vitest";
import {
  clampView,
  endS,
  hzToY,
  panBy,
  timeToX,
  wholeRecording,
  xToTime,
  yToHz,
  zoomAt,
  zoomBandAt,
  type Limits,
} from "./view";
import { plotView } from "./fixtures";

const view = plotView;

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

const limits: Limits = { durationS: 100, fMaxHz: 10_000, maxPxPerS: 800 };

describe("zooming and panning inside the recording", () => {
  it("keeps the time under the cursor where it is when zooming in and out", () => {
    const start = view(20, 50);
    const x = 730;
    const under = xToTime(start, x);
    for (const factor of [2, 1.1, 0.5, 3]) {
      const zoomed = zoomAt(start, x, factor, limits);
      expect(zoomed.pxPerS).toBeCloseTo(50 * factor, 9);
      expect(xToTime(zoomed, x)).toBeCloseTo(under, 9);
    }
  });

  it("stops at the deepest zoom, still keeping the cursor's time", () => {
    const deep = zoomAt(view(40, 400), 500, 10, limits);
    expect(deep.pxPerS).toBe(800);
    expect(xToTime(deep, 500)).toBeCloseTo(xToTime(view(40, 400), 500), 9);
  });

  it("stops zooming out when the whole recording fills the plot", () => {
    const out = zoomAt(view(40, 50), 900, 0.01, limits);
    expect(out.pxPerS).toBe(10);
    expect(out.startS).toBe(0);
    expect(endS(out)).toBe(100);
  });

  it("keeps the view inside the recording near its edges", () => {
    expect(zoomAt(view(0, 20), 0, 0.8, limits).startS).toBe(0);
    const nearEnd = zoomAt(view(50, 20), 1000, 0.8, limits);
    expect(endS(nearEnd)).toBeCloseTo(100, 9);
  });

  it("pans by pixels and stops at both ends", () => {
    expect(panBy(view(20, 100), 250, limits).startS).toBe(22.5);
    expect(panBy(view(20, 100), -250, limits).startS).toBe(17.5);
    expect(panBy(view(1, 100), -500, limits).startS).toBe(0);
    expect(panBy(view(85, 100), 5000, limits).startS).toBe(90);
  });

  it("shows a recording shorter than the deepest zoom's span whole", () => {
    const short = { durationS: 0.5, fMaxHz: 10_000, maxPxPerS: 800 };
    const clamped = clampView(view(3, 900), short);
    expect(clamped).toMatchObject({ startS: 0, pxPerS: 2000 });
  });

  it("goes back to the whole recording, keeping the band", () => {
    const band = { ...view(33, 400), fMinHz: 1000, fMaxHz: 3000 };
    expect(wholeRecording(band, limits)).toMatchObject({ startS: 0, pxPerS: 10, fMinHz: 1000, fMaxHz: 3000 });
  });
});

describe("zooming the frequency band", () => {
  it("keeps the frequency under the cursor where it is", () => {
    const start = view(0, 10);
    const narrower = zoomBandAt(start, 100, 4, limits);
    expect(narrower.fMaxHz - narrower.fMinHz).toBeCloseTo(2500, 9);
    expect(yToHz(narrower, 100)).toBeCloseTo(yToHz(start, 100), 9);
  });

  it("never leaves 0..fMaxHz nor widens past it", () => {
    const band = { ...view(0, 10), fMinHz: 500, fMaxHz: 2500 };
    const wide = zoomBandAt(band, 0, 0.1, limits);
    expect(wide).toMatchObject({ fMinHz: 0, fMaxHz: 10_000 });
    const low = clampView({ ...band, fMinHz: -700, fMaxHz: 1300 }, limits);
    expect(low).toMatchObject({ fMinHz: 0, fMaxHz: 2000 });
  });
});
