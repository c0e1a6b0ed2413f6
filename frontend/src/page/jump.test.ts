import { describe, expect, it } from "vitest";
import { timeToX, type View } from "../viewer/view";
import { centredOn } from "./jump";

const view: View = { startS: 100, pxPerS: 200, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };

describe("jumping to a box", () => {
  it("keeps the zoom and centres a box that fits", () => {
    const moved = centredOn(view, 30, 31);
    expect(moved.pxPerS).toBe(200);
    expect(timeToX(moved, 30.5)).toBeCloseTo(500, 9);
  });

  it("zooms out until a long box fills 80% of the width", () => {
    const moved = centredOn(view, 10, 30);
    expect(moved.pxPerS).toBe(40);
    expect(timeToX(moved, 10)).toBeCloseTo(100, 9);
    expect(timeToX(moved, 30)).toBeCloseTo(900, 9);
  });

  it("never starts before the recording", () => {
    expect(centredOn(view, 0, 0.5).startS).toBe(0);
  });
});
