import { type KeyboardEvent, type PointerEvent, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Annotation } from "../api/types";
import { expose } from "../testhook";
import { type View, xToTime } from "../viewer/view";
import "./annotations.css";
import { type Bounds, isPoint, newBox, newPoint } from "./box";
import { BOXES_ATTRIBUTE } from "./boxKeys";
import { drawScene } from "./draw";
import {
  boundsText,
  boxAt,
  boxRect,
  drawnBounds,
  FLAG_PX,
  type Limits,
  movedBox,
  type Part,
  partAt,
  type Point,
  resizedBox,
  visibleBoxes,
} from "./geometry";
import { isProposal } from "./proposals";
import type { Annotations } from "./useAnnotations";

export interface BoxLayerProps {
  /** The viewer's view: this layer lies exactly over its plot. */
  view: View;
  annotations: Annotations;
  /** The recording's length, s, and the spectrogram's top frequency, Hz: boxes stay within. */
  durationS: number;
  fMaxHz: number;
  /** A click on empty space. */
  onSeek?: (seconds: number) => void;
  /** A double-click on a box or a point. */
  onPlayBox?: (box: Annotation) => void;
  /** Whether proposals (proposals.ts) are drawn, and so can be picked. */
  showProposals?: boolean;
  /** Draw mode: every drag draws a new box (none moves or resizes one), its label left to the keys. */
  drawMode?: boolean;
  /** The labels in palette order (labelColours.paletteOrder): each box drawn in its label's colour. */
  labels?: readonly string[];
}

/** What the pointer is doing since it went down on the plot. */
type Gesture = { from: Point; dragged: boolean; result: Bounds | null } & (
  | { kind: "draw" }
  | { kind: "move" | "resize"; box: Annotation; part: Part }
);

// Travel below this is a click, not a drag (CSS px).
const DRAG_PX = 3;
// A drawn box smaller than this either way was a slip, not a box.
const MIN_BOX_PX = 3;
const LABELS_LISTED = 500;

const CURSORS: Record<Part, string> = {
  move: "move",
  n: "ns-resize",
  s: "ns-resize",
  e: "ew-resize",
  w: "ew-resize",
  ne: "nesw-resize",
  sw: "nesw-resize",
  nw: "nwse-resize",
  se: "nwse-resize",
};

/**
 * The boxes over the spectrogram: one canvas at devicePixelRatio, a plain drag draws, the
 * selected box moves and resizes, a click on empty space seeks, a double-click there marks
 * a point (its label typed next, as after drawing a box). Shift+pointer belongs to the
 * viewer's pan: those events are left alone and bubble to it.
 */
export function BoxLayer({ view, annotations, durationS, fMaxHz, onSeek, onPlayBox, showProposals = true, drawMode = false, labels }: BoxLayerProps) {
  const { selectedId, editingId } = annotations;
  const shown = useMemo(
    () => (showProposals ? annotations.boxes : annotations.boxes.filter((box) => !isProposal(box))),
    [annotations.boxes, showProposals],
  );
  const canvas = useRef<HTMLCanvasElement>(null);
  const gesture = useRef<Gesture | null>(null);
  // The box under the pointer as it will be once the drag ends: drawn, moved or resized.
  const [draft, setDraft] = useState<{ kind: Gesture["kind"]; box: Bounds; at: Point } | null>(null);
  const [cursor, setCursor] = useState("crosshair");
  const limits: Limits = useMemo(() => ({ durationS, fMaxHz }), [durationS, fMaxHz]);
  // The view last drawn, when and with how many boxes: the viewer benchmark counts a view
  // fully drawn once its tiles and its boxes are.
  const lastDrawn = useRef<{ view: View; at: number; boxes: number } | null>(null);
  useEffect(() => expose("boxLayer", { drawn: () => lastDrawn.current }), []);

  const visible = useMemo(() => visibleBoxes(view, shown), [view, shown]);
  const selected = useMemo(() => shown.find((box) => box.id === selectedId) ?? null, [shown, selectedId]);
  const editing = useMemo(() => shown.find((box) => box.id === editingId) ?? null, [shown, editingId]);

  useLayoutEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (!element || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(view.widthPx * ratio);
    const height = Math.round(view.heightPx * ratio);
    if (element.width !== width || element.height !== height) {
      element.width = width;
      element.height = height;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const changing = draft && draft.kind !== "draw" && selected ? { ...selected, ...draft.box } : selected;
    drawScene(ctx, {
      view,
      boxes: visible,
      selected: changing,
      drawing: draft?.kind === "draw" ? draft.box : null,
      labels,
    });
    lastDrawn.current = { view, at: performance.now(), boxes: visible.length };
  }, [view, visible, selected, draft, labels]);

  // The recording's time under plot x, kept inside the recording.
  const timeAt = (x: number) => Math.min(durationS, Math.max(0, xToTime(view, x)));

  function at(event: PointerEvent | React.MouseEvent): Point {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function pointerDown(event: PointerEvent<HTMLCanvasElement>) {
    if (event.button !== 0 || event.shiftKey) return;
    const from = at(event);
    const part = selected && !drawMode ? partAt(view, selected, from) : null;
    gesture.current =
      selected && part
        ? { kind: part === "move" ? "move" : "resize", from, dragged: false, result: null, box: selected, part }
        : { kind: "draw", from, dragged: false, result: null };
    event.currentTarget.setPointerCapture(event.pointerId);
    // No text selection while dragging; the keys (Enter, Delete) then go to the boxes, not
    // to a button pressed before.
    event.preventDefault();
    event.currentTarget.focus({ preventScroll: true });
  }

  function pointerMove(event: PointerEvent<HTMLCanvasElement>) {
    const p = at(event);
    const g = gesture.current;
    if (!g) {
      const part = selected && !drawMode && partAt(view, selected, p);
      setCursor(part ? CURSORS[part] : !drawMode && boxAt(view, visible, p) ? "pointer" : "crosshair");
      return;
    }
    if (!g.dragged && Math.hypot(p.x - g.from.x, p.y - g.from.y) < DRAG_PX) return;
    g.dragged = true;
    const box =
      g.kind === "draw"
        ? drawnBounds(view, limits, g.from, p)
        : g.kind === "move"
          ? movedBox(view, limits, g.box, g.from, p)
          : resizedBox(view, limits, g.box, g.part, p);
    g.result = box;
    setDraft({ kind: g.kind, box, at: p });
  }

  function pointerUp(event: PointerEvent<HTMLCanvasElement>) {
    const g = gesture.current;
    gesture.current = null;
    setDraft(null);
    if (!g) return;
    if (!g.result) {
      const hit = boxAt(view, visible, g.from);
      annotations.select(hit?.id ?? null);
      if (!hit) onSeek?.(timeAt(g.from.x));
    } else if (g.kind === "draw") {
      const rect = boxRect(view, g.result);
      if (rect.w >= MIN_BOX_PX && rect.h >= MIN_BOX_PX) annotations.add(newBox(g.result), { typeLabel: !drawMode });
    } else {
      annotations.change({ ...g.box, ...g.result });
    }
    event.currentTarget.releasePointerCapture(event.pointerId);
  }

  function pointerCancel() {
    gesture.current = null;
    setDraft(null);
  }

  function doubleClick(event: React.MouseEvent<HTMLCanvasElement>) {
    if (event.shiftKey) return;
    const p = at(event);
    const hit = boxAt(view, visible, p);
    if (hit) {
      annotations.editLabel(hit.id);
      onPlayBox?.(hit);
    } else annotations.add(newPoint(timeAt(p.x)));
  }

  return (
    <div className="box-layer" style={{ width: view.widthPx, height: view.heightPx }}>
      <canvas
        ref={canvas}
        // Tab reaches the boxes; there Tab and Shift+Tab step through them (keys/useViewerKeys.ts).
        tabIndex={0}
        role="application"
        aria-label="Boxes: Tab and Shift+Tab select one after another, ? lists the keys"
        {...{ [BOXES_ATTRIBUTE]: true }}
        style={{ width: view.widthPx, height: view.heightPx, cursor }}
        onPointerDown={pointerDown}
        onPointerMove={pointerMove}
        onPointerUp={pointerUp}
        onPointerCancel={pointerCancel}
        onDoubleClick={doubleClick}
      />
      {draft && (
        <output className="box-readout" style={{ left: draft.at.x + 12, top: draft.at.y + 12 }}>
          {boundsText(draft.box)}
        </output>
      )}
      {editing && (
        <LabelEditor key={editing.id} view={view} box={editing} boxes={shown} annotations={annotations} />
      )}
    </div>
  );
}

const EDITOR_WIDTH_PX = 180;
const EDITOR_HEIGHT_PX = 28;

/** The label field at the box: Enter keeps the text, Escape leaves the label as it was. */
function LabelEditor({
  view,
  box,
  boxes,
  annotations,
}: {
  view: View;
  box: Annotation;
  boxes: readonly Annotation[];
  annotations: Annotations;
}) {
  const listId = useId();
  // Labels already used on this recording, offered as the user types.
  const used = useMemo(
    () => [...new Set(boxes.map((b) => b.label).filter(Boolean))].sort().slice(0, LABELS_LISTED),
    [boxes],
  );
  const rect = boxRect(view, box);
  const below = rect.y + rect.h + 4;
  // A point's field goes beside its flag (a whole-height marker leaves no room below).
  const top = isPoint(box)
    ? Math.min(Math.max(0, rect.y + FLAG_PX + 4), view.heightPx - EDITOR_HEIGHT_PX)
    : below + EDITOR_HEIGHT_PX <= view.heightPx
      ? below
      : Math.max(0, rect.y - EDITOR_HEIGHT_PX - 4);
  const left = Math.min(Math.max(0, rect.x + (isPoint(box) ? FLAG_PX : 0)), view.widthPx - EDITOR_WIDTH_PX);

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      annotations.change({ ...box, label: event.currentTarget.value.trim() });
      annotations.editLabel(null);
    } else if (event.key === "Escape") {
      annotations.editLabel(null);
    } else return;
    event.preventDefault();
  }

  return (
    <>
      <input
        className="box-label-editor"
        aria-label="Label"
        // The server's limit (chalicelib/annotations.py MAX_LABEL).
        maxLength={200}
        list={listId}
        defaultValue={box.label}
        autoFocus
        onKeyDown={keyDown}
        style={{ left, top, width: EDITOR_WIDTH_PX, height: EDITOR_HEIGHT_PX }}
      />
      <datalist id={listId}>
        {used.map((label) => (
          <option key={label} value={label} />
        ))}
      </datalist>
    </>
  );
}
