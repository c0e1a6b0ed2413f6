import { describe, expect, it } from "vitest";
import type { View } from "../viewer/view";
import { newBox } from "./box";
import { drawScene } from "./draw";
import { colourOf } from "./labelColours";

const view: View = { startS: 0, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };

/** A 2D context that notes each stroke: its colour, its dash and how many rectangles its path held. */
function recordingContext() {
  const strokes: { colour: string; dash: number[]; rects: number }[] = [];
  let rects = 0;
  let dash: number[] = [];
  const ctx = {
    strokeStyle: "",
    fillStyle: "",
    lineWidth: 1,
    globalAlpha: 1,
    font: "",
    textBaseline: "",
    clearRect() {},
    beginPath() {
      rects = 0;
    },
    rect() {
      rects++;
    },
    moveTo() {},
    lineTo() {},
    closePath() {},
    fill() {},
    stroke() {
      strokes.push({ colour: String(ctx.strokeStyle), dash, rects });
    },
    setLineDash(segments: number[]) {
      dash = segments;
    },
    strokeText() {},
    fillText() {},
    measureText: (text: string) => ({ width: text.length * 6 }),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, strokes };
}

const boxOf = (id: string, label: string, start: number, source: string | null = null) => ({
  ...newBox({ start_s: start, end_s: start + 0.5, low_hz: 2000, high_hz: 4000 }, id),
  label,
  source,
});

describe("drawScene", () => {
  it("strokes each label's boxes as one path in the label's colour", () => {
    const boxes = [boxOf("a", "Wren", 1), boxOf("b", "Robin", 2), boxOf("c", "Wren", 3)];
    const { ctx, strokes } = recordingContext();
    drawScene(ctx, { view, boxes, selected: null, drawing: null, labels: ["Wren", "Robin"] });
    const boxStrokes = strokes.filter((s) => s.rects > 0 && !s.colour.startsWith("rgba(0, 0, 0"));
    expect(boxStrokes).toEqual([
      { colour: colourOf("Wren", ["Wren", "Robin"]), dash: [], rects: 2 },
      { colour: colourOf("Robin", ["Wren", "Robin"]), dash: [], rects: 1 },
    ]);
  });

  it("draws proposals dashed in their label's colour, under people's boxes", () => {
    const boxes = [boxOf("p", "Wren", 1, "detector:Wren"), boxOf("a", "Wren", 2)];
    const { ctx, strokes } = recordingContext();
    drawScene(ctx, { view, boxes, selected: null, drawing: null });
    const boxStrokes = strokes.filter((s) => s.rects > 0 && !s.colour.startsWith("rgba(0, 0, 0"));
    expect(boxStrokes.map((s) => [s.colour, s.dash.length > 0])).toEqual([
      [colourOf("Wren"), true],
      [colourOf("Wren"), false],
    ]);
  });
});
