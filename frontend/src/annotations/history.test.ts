import { describe, expect, it } from "vitest";
import type { Annotation } from "../api/types";
import { newBox } from "./box";
import { applyEdits, type Edit, History } from "./history";

const a = newBox({ start_s: 1, end_s: 2, low_hz: 1000, high_hz: 2000 }, "a");
const b = newBox({ start_s: 3, end_s: 4, low_hz: null, high_hz: null }, "b");
const aLabelled = { ...a, label: "Turdus merula" };

function editing() {
  const boxes = new Map<string, Annotation>();
  const history = new History();
  return {
    boxes,
    history,
    edit(edits: Edit[]) {
      applyEdits(boxes, edits);
      history.record(edits);
    },
    undo() {
      const edits = history.undo();
      if (edits) applyEdits(boxes, edits);
      return edits;
    },
    redo() {
      const edits = history.redo();
      if (edits) applyEdits(boxes, edits);
      return edits;
    },
  };
}

describe("History", () => {
  it("undoes an add, a change and a delete in reverse order", () => {
    const e = editing();
    e.edit([{ id: "a", before: null, after: a }]);
    e.edit([{ id: "a", before: a, after: aLabelled }]);
    e.edit([{ id: "a", before: aLabelled, after: null }]);
    expect(e.boxes.size).toBe(0);
    e.undo();
    expect(e.boxes.get("a")).toBe(aLabelled);
    e.undo();
    expect(e.boxes.get("a")).toBe(a);
    e.undo();
    expect(e.boxes.size).toBe(0);
    expect(e.undo()).toBeNull();
  });

  it("redoes what was undone, and a new edit clears the redo", () => {
    const e = editing();
    e.edit([{ id: "a", before: null, after: a }]);
    e.edit([{ id: "a", before: a, after: aLabelled }]);
    e.undo();
    expect(e.history.canRedo).toBe(true);
    e.redo();
    expect(e.boxes.get("a")).toBe(aLabelled);
    e.undo();
    e.edit([{ id: "b", before: null, after: b }]);
    expect(e.history.canRedo).toBe(false);
    expect(e.redo()).toBeNull();
    expect([...e.boxes.keys()].sort()).toEqual(["a", "b"]);
    expect(e.boxes.get("a")).toBe(a);
  });

  it("undoes a batch as one step", () => {
    const e = editing();
    e.edit([
      { id: "a", before: null, after: a },
      { id: "b", before: null, after: b },
    ]);
    e.edit([
      { id: "a", before: a, after: aLabelled },
      { id: "b", before: b, after: null },
    ]);
    e.undo();
    expect(e.boxes.get("a")).toBe(a);
    expect(e.boxes.get("b")).toBe(b);
    e.undo();
    expect(e.boxes.size).toBe(0);
    e.redo();
    e.redo();
    expect([...e.boxes.values()]).toEqual([aLabelled]);
  });

  it("undoes a batch that edits one box twice back to its first state", () => {
    const e = editing();
    const moved = { ...a, start_s: 5, end_s: 6 };
    e.edit([{ id: "a", before: null, after: a }]);
    e.edit([
      { id: "a", before: a, after: aLabelled },
      { id: "a", before: aLabelled, after: moved },
    ]);
    e.undo();
    expect(e.boxes.get("a")).toBe(a);
  });

  it("records nothing for an empty batch", () => {
    const e = editing();
    e.edit([]);
    expect(e.history.canUndo).toBe(false);
  });
});
