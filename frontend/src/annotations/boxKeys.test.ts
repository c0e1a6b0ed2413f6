import { describe, expect, it } from "vitest";
import type { View } from "../viewer/view";
import { newBox, newPoint } from "./box";
import { boxPlay, boxWords, labelOfKey, steppedBox, viewShowing } from "./boxKeys";

// 10 s to 20 s in view.
const view: View = { startS: 10, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };
const box = (id: string, startS: number, endS: number) =>
  newBox({ start_s: startS, end_s: endS, low_hz: 1000, high_hz: 2000 }, id);
const boxes = [box("a", 2, 3), box("b", 12, 13), box("c", 15, 16), box("d", 30, 31)];

describe("steppedBox", () => {
  it("steps through the boxes in time order", () => {
    expect(steppedBox(boxes, "b", 1, view)?.id).toBe("c");
    expect(steppedBox(boxes, "c", -1, view)?.id).toBe("b");
    expect(steppedBox(boxes, "c", 1, view)?.id).toBe("d");
  });

  it("has none past either end, so Tab moves on", () => {
    expect(steppedBox(boxes, "d", 1, view)).toBeNull();
    expect(steppedBox(boxes, "a", -1, view)).toBeNull();
    expect(steppedBox([], null, 1, view)).toBeNull();
  });

  it("starts from the view when none is selected", () => {
    expect(steppedBox(boxes, null, 1, view)?.id).toBe("b");
    expect(steppedBox(boxes, null, -1, view)?.id).toBe("c");
    // Nothing in or after the view: the first box; nothing before its end: the last.
    expect(steppedBox(boxes, null, 1, { ...view, startS: 40 })?.id).toBe("a");
    expect(steppedBox(boxes.slice(3), null, -1, { ...view, startS: 0 })?.id).toBe("d");
  });

  it("starts from the view when the selected box is gone (deleted, or a hidden proposal)", () => {
    expect(steppedBox(boxes, "gone", 1, view)?.id).toBe("b");
  });
});

describe("viewShowing", () => {
  it("leaves the view alone when the box is in sight", () => {
    expect(viewShowing(view, boxes[1])).toBe(view);
  });

  it("centres a box out of sight, at the same zoom when it fits", () => {
    const moved = viewShowing(view, boxes[3]);
    expect(moved.pxPerS).toBe(view.pxPerS);
    expect(moved.startS).toBeCloseTo(30.5 - 5);
  });

  it("zooms out for a box longer than the view", () => {
    const moved = viewShowing(view, box("long", 0, 100));
    expect(moved.startS).toBeLessThanOrEqual(0);
    expect(moved.startS + moved.widthPx / moved.pxPerS).toBeGreaterThanOrEqual(100);
  });

  it("shows a point out of sight", () => {
    const moved = viewShowing(view, newPoint(42, "p"));
    expect(moved.startS).toBeCloseTo(37);
  });
});

describe("labelOfKey", () => {
  it("reads key 1 from the first entry, none where the project gives none", () => {
    const keys = ["Wren", null, "Robin"];
    expect(labelOfKey(keys, 1)).toBe("Wren");
    expect(labelOfKey(keys, 2)).toBeNull();
    expect(labelOfKey(keys, 3)).toBe("Robin");
    expect(labelOfKey(keys, 9)).toBeNull();
  });
});

describe("boxWords", () => {
  it("says which box of how many, its label and its span", () => {
    const labelled = [boxes[0], { ...boxes[1], label: "Wren" }];
    expect(boxWords(labelled, "b")).toBe("Box 2 of 2: Wren, 12.00 to 13.00 s");
    expect(boxWords(labelled, "a")).toBe("Box 1 of 2: unlabelled, 2.00 to 3.00 s");
    expect(boxWords([newPoint(4.5, "p")], "p")).toBe("Box 1 of 1: unlabelled, at 4.50 s");
    expect(boxWords(labelled, null)).toBe("");
  });
});

describe("boxPlay", () => {
  const still = { paused: true, span: null };
  it("plays a box's time span, once or looped", () => {
    expect(boxPlay(boxes[1], false, still)).toEqual({ kind: "span", span: { startS: 12, endS: 13, loop: false } });
    expect(boxPlay(boxes[1], true, still)).toEqual({ kind: "span", span: { startS: 12, endS: 13, loop: true } });
  });

  it("stops the span that plays when pressed again", () => {
    const looping = { paused: false, span: { startS: 12, endS: 13, loop: true } };
    expect(boxPlay(boxes[1], true, looping)).toEqual({ kind: "stop" });
    // p on the looping box plays it once instead; another box plays that one.
    expect(boxPlay(boxes[1], false, looping).kind).toBe("span");
    expect(boxPlay(boxes[2], true, looping)).toEqual({ kind: "span", span: { startS: 15, endS: 16, loop: true } });
    // A span left paused plays again.
    expect(boxPlay(boxes[1], true, { ...looping, paused: true }).kind).toBe("span");
  });

  it("plays on from a point, which has no span", () => {
    expect(boxPlay(newPoint(4, "p"), true, still)).toEqual({ kind: "from", seconds: 4 });
  });
});
