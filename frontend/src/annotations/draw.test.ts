import { describe, expect, it } from "vitest";
import type { View } from "../viewer/view";
import { newBox } from "./box";
import { drawScene } from "./draw";
import { colourOf } from "./labelColours";
import { recordingContext } from "./recordingContext";

const view: View = { startS: 0, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };

const boxOf = (id: string, label: string, start: number, source: string | null = null) => ({
  ...newBox({ start_s: start, end_s: start + 0.5, low_hz: 2000, high_hz: 4000 }, id),
  label,
  source,
});

describe("drawScene", () => {
  it("strokes each label's boxes as one path in the label's colour", () => {
    const boxes = [boxOf("a", "Wren", 1), boxOf("b", "Robin", 2), boxOf("c", "Wren", 3)];
    const { ctx, coloured } = recordingContext();
    drawScene(ctx, { view, boxes, selected: null, drawing: null, labels: ["Wren", "Robin"] });
    expect(coloured().map(({ colour, dash, rects }) => ({ colour, dash, rects: rects.length }))).toEqual([
      { colour: colourOf("Wren", ["Wren", "Robin"]), dash: [], rects: 2 },
      { colour: colourOf("Robin", ["Wren", "Robin"]), dash: [], rects: 1 },
    ]);
  });

  it("draws proposals dashed in their label's colour, under people's boxes", () => {
    const boxes = [boxOf("p", "Wren", 1, "detector:Wren"), boxOf("a", "Wren", 2)];
    const { ctx, coloured } = recordingContext();
    drawScene(ctx, { view, boxes, selected: null, drawing: null });
    expect(coloured().map((s) => [s.colour, s.dash.length > 0])).toEqual([
      [colourOf("Wren"), true],
      [colourOf("Wren"), false],
    ]);
  });
});
