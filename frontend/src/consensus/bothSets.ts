import { isPoint } from "../annotations/box";
import { drawBoxes } from "../annotations/draw";
import { boxRect, markerRect, visibleBoxes } from "../annotations/geometry";
import type { Annotation } from "../api/types";
import type { View } from "../viewer/view";
import type { AgreementPair } from "../api/types";

/** A's boxes solid, B's dash-dot: apart from each other and from proposals' plain dashes. */
export const A_DASH: readonly number[] = [];
export const B_DASH: readonly number[] = [9, 3, 2, 3];
// The pair the table points at: the selection's orange, as on the main set.
const CURRENT = "#ff8c1a";

/** Each side's boxes of the pairs, in pair order. */
export function sidesOf(pairs: readonly AgreementPair[]): { a: Annotation[]; b: Annotation[] } {
  return {
    a: pairs.flatMap((pair) => (pair.a ? [pair.a] : [])),
    b: pairs.flatMap((pair) => (pair.b ? [pair.b] : [])),
  };
}

/**
 * Both annotators' boxes over the spectrogram, each in its label's colour (labelColours.ts):
 * A's solid with their labels at the top, then B's dash-dot over them with theirs at the
 * bottom, then the table's current pair outlined in orange.
 */
export function drawBothSets(
  ctx: CanvasRenderingContext2D,
  { view, pairs, labels, current }: { view: View; pairs: readonly AgreementPair[]; labels?: readonly string[]; current: AgreementPair | null },
): void {
  ctx.clearRect(0, 0, view.widthPx, view.heightPx);
  const { a, b } = sidesOf(pairs);
  drawBoxes(ctx, view, visibleBoxes(view, a), A_DASH, { labels });
  drawBoxes(ctx, view, visibleBoxes(view, b), B_DASH, { labels, labelAt: "bottom" });
  if (!current) return;
  ctx.beginPath();
  for (const box of [current.a, current.b]) {
    if (!box) continue;
    const r = isPoint(box) ? markerRect(view, box) : boxRect(view, box);
    ctx.rect(r.x - 2, r.y - 2, r.w + 4, r.h + 4);
  }
  ctx.setLineDash([]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = CURRENT;
  ctx.stroke();
}

/** From the earlier start to the later end of a pair's boxes, s: what "Show" brings into view. */
export function spanOf(pair: AgreementPair): { startS: number; endS: number } {
  const boxes = [pair.a, pair.b].filter((box): box is Annotation => box !== null);
  return { startS: Math.min(...boxes.map((box) => box.start_s)), endS: Math.max(...boxes.map((box) => box.end_s)) };
}
