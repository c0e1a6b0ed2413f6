/**
 * For tests: a 2D context that notes each stroke (its colour, its dash and the rectangles its
 * path held) and each text filled (with its y).
 */
export function recordingContext() {
  const strokes: { colour: string; dash: number[]; rects: number[][] }[] = [];
  const texts: { text: string; y: number }[] = [];
  let rects: number[][] = [];
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
      rects = [];
    },
    rect(...r: number[]) {
      rects.push(r);
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
    fillText(text: string, _x: number, y: number) {
      texts.push({ text, y });
    },
    measureText: (text: string) => ({ width: text.length * 6 }),
  };
  /** Strokes of boxes, not the dark outline drawn under each. */
  const coloured = () => strokes.filter((s) => s.rects.length > 0 && !s.colour.startsWith("rgba(0, 0, 0"));
  return { ctx: ctx as unknown as CanvasRenderingContext2D, coloured, texts };
}
