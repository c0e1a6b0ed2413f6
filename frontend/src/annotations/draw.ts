import type { Annotation } from "../api/types";
import type { View } from "../viewer/view";
import { type Bounds, isPoint } from "./box";
import { boxRect, FLAG_PX, markerRect, type Rect } from "./geometry";
import { colourOf } from "./labelColours";
import { isProposal } from "./proposals";

// Bright lines over a dark outline read on every colour of viridis, dark purple to yellow.
const OUTLINE = "rgba(0, 0, 0, 0.65)";
const LINE = "rgba(255, 255, 255, 0.95)";
const FILL_ALPHA = 0.07;
// Proposals: dashed, so they read apart from people's boxes of the same label.
const PROPOSAL_DASH = [6, 4];
const SELECTED = "#ff8c1a";
const SELECTED_FILL = "rgba(255, 140, 26, 0.18)";
const FONT = "12px system-ui, sans-serif";
const HANDLE_PX = 7;
// A label's line: 12 px text and a margin of 3.
const LABEL_LINE_PX = 15;
// Narrower boxes get no label: it would cover its neighbours.
const LABEL_MIN_WIDTH_PX = 16;

export interface Scene {
  view: View;
  /** The boxes in view, the selected one included. */
  boxes: readonly Annotation[];
  selected: Annotation | null;
  /** A box being drawn, not yet added. */
  drawing: Bounds | null;
  /** The project's labels, in order: their colours (labelColours.ts). */
  labels?: readonly string[];
}

/** How a group of boxes is drawn: its label's colour, proposals dashed. */
interface Style {
  line: string;
  dash: number[];
  /** Where a box's label goes: inside its top left corner, or its bottom left one. */
  labelAt: LabelPlace;
}

export type LabelPlace = "top" | "bottom";

/**
 * All boxes on one canvas, one path per label colour (one fill, two strokes, however many
 * boxes have it): the proposals first, dashed, their points' markers as another path, their
 * labels as text; then people's unselected boxes the same way, over them (a re-run proposes
 * again where a person accepted a box: the person's box and label stay readable); then the
 * selected box with its handles (a selected point: its marker in the selection's colour),
 * still dashed while it is a proposal.
 */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { view, selected } = scene;
  ctx.clearRect(0, 0, view.widthPx, view.heightPx);
  const others = scene.boxes.filter((box) => box.id !== selected?.id);
  for (const [dash, boxes] of [
    [PROPOSAL_DASH, others.filter(isProposal)],
    [[], others.filter((box) => !isProposal(box))],
  ] as const) {
    drawBoxes(ctx, view, boxes, dash, { labels: scene.labels });
  }

  if (selected && isPoint(selected)) {
    const r = markerRect(view, selected);
    drawMarkers(ctx, [r], SELECTED, 2.5);
    pointLabel(ctx, selected.label, r, view.widthPx);
  } else if (selected) {
    const r = boxRect(view, selected);
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.fillStyle = SELECTED_FILL;
    ctx.fill();
    ctx.setLineDash(isProposal(selected) ? PROPOSAL_DASH : []);
    outline(ctx, SELECTED, 2);
    ctx.setLineDash([]);
    label(ctx, selected.label, r);
    handles(ctx, r);
  }

  if (scene.drawing) {
    const r = boxRect(view, scene.drawing);
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.setLineDash([5, 4]);
    outline(ctx, LINE, 1.5);
    ctx.setLineDash([]);
  }
}

/**
 * Boxes in their labels' colours, with lines of this dash (none: solid): one path a colour.
 * The scene draws proposals and people's boxes so; the consensus view, two annotators' sets
 * (the second one's labels at the bottom, so a pair's two labels both read).
 */
export function drawBoxes(
  ctx: CanvasRenderingContext2D,
  view: View,
  boxes: readonly Annotation[],
  dash: readonly number[],
  { labels, labelAt = "top" }: { labels?: readonly string[]; labelAt?: LabelPlace } = {},
): void {
  for (const [line, group] of byColour(boxes, labels)) drawGroup(ctx, view, group, { line, dash: [...dash], labelAt });
}

/** The boxes grouped by their label's colour. */
function byColour(boxes: readonly Annotation[], labels?: readonly string[]): Map<string, Annotation[]> {
  const groups = new Map<string, Annotation[]>();
  for (const box of boxes) {
    const colour = colourOf(box.label, labels);
    const group = groups.get(colour);
    if (group) group.push(box);
    else groups.set(colour, [box]);
  }
  return groups;
}

/** Boxes and points of one style: outlines first, labels over them. */
function drawGroup(ctx: CanvasRenderingContext2D, view: View, group: readonly Annotation[], style: Style): void {
  const boxes = group.filter((box) => !isPoint(box));
  const points = group.filter(isPoint);
  const rects = boxes.map((box) => boxRect(view, box));
  const markers = points.map((point) => markerRect(view, point));
  ctx.setLineDash(style.dash);
  ctx.beginPath();
  for (const r of rects) ctx.rect(r.x, r.y, r.w, r.h);
  ctx.fillStyle = style.line;
  ctx.globalAlpha = FILL_ALPHA;
  ctx.fill();
  ctx.globalAlpha = 1;
  outline(ctx, style.line, 1.5);
  drawMarkers(ctx, markers, style.line, 1.5);
  ctx.setLineDash([]);
  ctx.font = FONT;
  ctx.textBaseline = "top";
  const place = style.labelAt === "top" ? (r: Rect) => r : (r: Rect) => ({ ...r, y: Math.min(r.y + r.h, view.heightPx) - LABEL_LINE_PX });
  boxes.forEach((box, i) => label(ctx, box.label, place(rects[i]), style.line));
  points.forEach((point, i) => pointLabel(ctx, point.label, markers[i], view.widthPx, style.line));
}

/** Points' markers as one path: a vertical line over the band, a flag at its top pointing right. */
function drawMarkers(ctx: CanvasRenderingContext2D, markers: readonly Rect[], colour: string, width: number): void {
  ctx.beginPath();
  for (const r of markers) {
    ctx.moveTo(r.x, r.y);
    ctx.lineTo(r.x, r.y + r.h);
  }
  outline(ctx, colour, width);
  ctx.beginPath();
  for (const r of markers) {
    ctx.moveTo(r.x, r.y);
    ctx.lineTo(r.x + FLAG_PX, r.y + FLAG_PX / 2);
    ctx.lineTo(r.x, r.y + FLAG_PX);
    ctx.closePath();
  }
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = OUTLINE;
  ctx.stroke();
}

/** Strokes the current path twice: a dark outline under the line, so it shows on any colour. */
function outline(ctx: CanvasRenderingContext2D, colour: string, width: number): void {
  ctx.lineWidth = width + 2;
  ctx.strokeStyle = OUTLINE;
  ctx.stroke();
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.stroke();
}

function label(ctx: CanvasRenderingContext2D, text: string, r: Rect, colour = LINE): void {
  if (!text || r.w < LABEL_MIN_WIDTH_PX) return;
  const x = Math.max(r.x, 0) + 3;
  const y = Math.max(r.y, 0) + 3;
  ctx.lineWidth = 3;
  ctx.strokeStyle = OUTLINE;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}

/** A point's label beside its flag, or left of its line where the plot ends on the right. */
function pointLabel(ctx: CanvasRenderingContext2D, text: string, r: Rect, widthPx: number, colour = LINE): void {
  if (!text) return;
  const width = ctx.measureText(text).width;
  const right = r.x + FLAG_PX + 1;
  const x = right + 3 + width <= widthPx ? right : r.x - width - 9;
  label(ctx, text, { x, y: r.y - 1, w: Infinity, h: r.h }, colour);
}

function handles(ctx: CanvasRenderingContext2D, r: Rect): void {
  const half = HANDLE_PX / 2;
  ctx.beginPath();
  for (const x of [r.x, r.x + r.w / 2, r.x + r.w]) {
    for (const y of [r.y, r.y + r.h / 2, r.y + r.h]) {
      if (x !== r.x + r.w / 2 || y !== r.y + r.h / 2) ctx.rect(x - half, y - half, HANDLE_PX, HANDLE_PX);
    }
  }
  ctx.fillStyle = "#fff";
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = SELECTED;
  ctx.stroke();
}
