import { describe, expect, it } from "vitest";
import { colourOf } from "../annotations/labelColours";
import { recordingContext } from "../annotations/recordingContext";
import type { View } from "../viewer/view";
import { B_DASH, drawBothSets, sidesOf, spanOf } from "./bothSets";
import { songAgreement } from "./fixture";

const view: View = { startS: 0, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };
const LABELS = ["Wren", "Robin"];

describe("both annotators' boxes", () => {
  const { pairs } = songAgreement();

  it("takes each side's boxes from the pairs, one-sided ones included", () => {
    const { a, b } = sidesOf(pairs);
    expect(a.map((box) => box.id)).toEqual(["a1", "a2", "a3"]);
    expect(b.map((box) => box.id)).toEqual(["b1", "b2", "b3"]);
  });

  it("draws A's solid and B's dash-dot, each label in its colour", () => {
    const { ctx, coloured } = recordingContext();
    drawBothSets(ctx, { view, pairs, labels: LABELS, current: null });
    expect(coloured().map((s) => [s.colour, s.dash, s.rects.length])).toEqual([
      [colourOf("Wren", LABELS), [], 3],
      [colourOf("Wren", LABELS), B_DASH, 1],
      [colourOf("Robin", LABELS), B_DASH, 2],
    ]);
  });

  it("writes A's labels inside the top of their boxes and B's inside the bottom, so a pair's two both read", () => {
    const { ctx, texts } = recordingContext();
    drawBothSets(ctx, { view, pairs: [pairs[1]], labels: LABELS, current: null });
    // a2 and b2 span 2–4 kHz: y 240 to 320 on a 400 px plot of 0–10 kHz; 12 px text, 3 px in.
    expect(texts).toEqual([
      { text: "Wren", y: 243 },
      { text: "Robin", y: 308 },
    ]);
  });

  it("outlines the table's current pair, both boxes, around their bounds", () => {
    const { ctx, coloured } = recordingContext();
    drawBothSets(ctx, { view, pairs, labels: LABELS, current: pairs[0] });
    const last = coloured().at(-1)!;
    expect(last.colour).toBe("#ff8c1a");
    // a1: 1–1.5 s, 2–4 kHz at 100 px/s, 400 px for 10 kHz: x 100, y 240 (4 kHz), 50 × 80, 2 px out.
    expect(last.rects[0]).toEqual([98, 238, 54, 84]);
    expect(last.rects).toHaveLength(2);
  });

  it("leaves out boxes outside the view's time span", () => {
    const { ctx, coloured } = recordingContext();
    drawBothSets(ctx, { view: { ...view, startS: 4 }, pairs, labels: LABELS, current: null });
    expect(coloured().reduce((n, s) => n + s.rects.length, 0)).toBe(2);
  });

  it("spans a pair from the earlier start to the later end", () => {
    expect(spanOf(pairs[0])).toEqual({ startS: 1, endS: 1.52 });
    expect(spanOf(pairs[3])).toEqual({ startS: 7, endS: 7.5 });
  });
});
