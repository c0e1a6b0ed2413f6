import { describe, expect, it } from "vitest";
import type { View } from "../viewer/view";
import { isPoint, newBox, newPoint } from "./box";
import {
  boundsText,
  boxAt,
  boxRect,
  drawnBounds,
  markerRect,
  movedBox,
  partAt,
  resizedBox,
  visibleBoxes,
} from "./geometry";

// 100 px/s from 10 s; 0..10 kHz on 400 px: 25 Hz a pixel.
const view: View = { startS: 10, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };
const limits = { durationS: 60, fMaxHz: 10_000 };
const call = newBox({ start_s: 12, end_s: 13, low_hz: 2000, high_hz: 4000 }, "call");
const wide = newBox({ start_s: 11, end_s: 15, low_hz: null, high_hz: null }, "wide");

describe("box geometry", () => {
  it("places a box by its seconds and hertz", () => {
    expect(boxRect(view, call)).toEqual({ x: 200, y: 240, w: 100, h: 80 });
  });

  it("spans the whole height when the band is not given", () => {
    expect(boxRect(view, wide)).toEqual({ x: 100, y: 0, w: 400, h: 400 });
  });

  it("keeps only boxes that overlap the view's time span", () => {
    const before = newBox({ start_s: 1, end_s: 9.9, low_hz: null, high_hz: null }, "before");
    const after = newBox({ start_s: 20.1, end_s: 21, low_hz: null, high_hz: null }, "after");
    const across = newBox({ start_s: 5, end_s: 30, low_hz: null, high_hz: null }, "across");
    expect(visibleBoxes(view, [before, call, after, across]).map((b) => b.id)).toEqual(["call", "across"]);
  });

  it("finds the smallest box under the pointer, so a box inside another can be picked", () => {
    expect(boxAt(view, [wide, call], { x: 250, y: 280 })?.id).toBe("call");
    expect(boxAt(view, [wide, call], { x: 150, y: 280 })?.id).toBe("wide");
    expect(boxAt(view, [wide, call], { x: 600, y: 280 })).toBeNull();
  });

  it("tells the edges and corners of a box from its inside", () => {
    expect(partAt(view, call, { x: 250, y: 280 })).toBe("move");
    expect(partAt(view, call, { x: 203, y: 280 })).toBe("w");
    expect(partAt(view, call, { x: 298, y: 322 })).toBe("se");
    expect(partAt(view, call, { x: 250, y: 236 })).toBe("n");
    expect(partAt(view, call, { x: 250, y: 200 })).toBeNull();
  });
});

describe("drawing, moving and resizing", () => {
  it("draws from any corner to the opposite one", () => {
    expect(drawnBounds(view, limits, { x: 300, y: 240 }, { x: 200, y: 320 })).toEqual({
      start_s: 12,
      end_s: 13,
      low_hz: 2000,
      high_hz: 4000,
    });
  });

  it("clamps a drawn box to the recording and the top frequency", () => {
    const early = { ...view, startS: 0, fMaxHz: 12_000 };
    const box = drawnBounds(early, { durationS: 5, fMaxHz: 10_000 }, { x: -50, y: -10 }, { x: 700, y: 200 });
    expect(box).toEqual({ start_s: 0, end_s: 5, low_hz: 6000, high_hz: 10_000 });
  });

  it("moves a box by the pointer's travel, stopping at the recording's end and the top frequency", () => {
    expect(movedBox(view, limits, call, { x: 250, y: 280 }, { x: 300, y: 240 })).toMatchObject({
      start_s: 12.5,
      end_s: 13.5,
      low_hz: 3000,
      high_hz: 5000,
    });
    expect(movedBox(view, limits, call, { x: 0, y: 400 }, { x: 99_000, y: -4000 })).toMatchObject({
      start_s: 59,
      end_s: 60,
      low_hz: 8000,
      high_hz: 10_000,
    });
  });

  it("moves a whole-band box in time only", () => {
    expect(movedBox(view, limits, wide, { x: 0, y: 0 }, { x: 100, y: 100 })).toMatchObject({
      start_s: 12,
      end_s: 16,
      low_hz: null,
      high_hz: null,
    });
  });

  it("resizes by the held corner and never turns a box inside out", () => {
    expect(resizedBox(view, limits, call, "ne", { x: 400, y: 200 })).toMatchObject({
      start_s: 12,
      end_s: 14,
      low_hz: 2000,
      high_hz: 5000,
    });
    const squashed = resizedBox(view, limits, call, "w", { x: 900, y: 0 });
    expect(squashed.start_s).toBeCloseTo(12.99, 9);
    expect(squashed.end_s).toBe(13);
  });

  it("gives a whole-band box a band when its top edge is dragged", () => {
    expect(resizedBox(view, limits, wide, "n", { x: 0, y: 200 })).toMatchObject({ low_hz: null, high_hz: 5000 });
  });
});

describe("points", () => {
  // At 12.5 s (x 250) across the band; at 14 s (x 400) over 2-4 kHz; at 16 s (x 600) at 5 kHz (y 200).
  const click = newPoint(12.5, "click");
  const pulse = newBox({ start_s: 14, end_s: 14, low_hz: 2000, high_hz: 4000 }, "pulse");
  const tick = newBox({ start_s: 16, end_s: 16, low_hz: 5000, high_hz: 5000 }, "tick");

  it("is a box that ends where it starts", () => {
    expect([click, pulse, tick].every(isPoint)).toBe(true);
    expect(isPoint(call)).toBe(false);
    expect(click).toMatchObject({ start_s: 12.5, end_s: 12.5, low_hz: null, high_hz: null, label: "" });
  });

  it("stands as a line over its band, the whole height without one, a short one at a single frequency", () => {
    expect(markerRect(view, click)).toEqual({ x: 250, y: 0, w: 0, h: 400 });
    expect(markerRect(view, pulse)).toEqual({ x: 400, y: 240, w: 0, h: 80 });
    expect(markerRect(view, tick)).toEqual({ x: 600, y: 193, w: 0, h: 14 });
  });

  it("is picked within a few pixels of its line, before the box around it", () => {
    expect(boxAt(view, [wide, call, click], { x: 254, y: 300 })?.id).toBe("click");
    expect(boxAt(view, [wide, call, click], { x: 246, y: 10 })?.id).toBe("click");
    expect(boxAt(view, [wide, call, click], { x: 260, y: 300 })?.id).toBe("call");
    expect(boxAt(view, [pulse], { x: 401, y: 300 })?.id).toBe("pulse");
    expect(boxAt(view, [pulse], { x: 401, y: 100 })).toBeNull();
    expect(boxAt(view, [tick], { x: 598, y: 205 })?.id).toBe("tick");
  });

  it("picks the nearest of two points close together", () => {
    const next = newPoint(12.56, "next");
    expect(boxAt(view, [click, next], { x: 255, y: 300 })?.id).toBe("next");
    expect(boxAt(view, [next, click], { x: 251, y: 300 })?.id).toBe("click");
  });

  it("is only moved, never resized into a box", () => {
    expect(partAt(view, click, { x: 251, y: 0 })).toBe("move");
    expect(partAt(view, click, { x: 270, y: 200 })).toBeNull();
    expect(movedBox(view, limits, click, { x: 250, y: 200 }, { x: 300, y: 100 })).toMatchObject({
      start_s: 13,
      end_s: 13,
      low_hz: null,
      high_hz: null,
    });
    expect(movedBox(view, limits, tick, { x: 600, y: 200 }, { x: 500, y: 240 })).toMatchObject({
      start_s: 15,
      end_s: 15,
      low_hz: 4000,
      high_hz: 4000,
    });
  });

  it("reads as one time", () => {
    expect(boundsText(click)).toBe("12.500 s, all frequencies");
    expect(boundsText(pulse)).toBe("14.000 s, 2.00–4.00 kHz");
    expect(boundsText(tick)).toBe("16.000 s, 5.00 kHz");
    expect(boundsText(call)).toBe("12.000–13.000 s, 2.00–4.00 kHz");
  });
});
