import type { Annotation } from "../api/types";

/**
 * One box's change: `before` null is an add, `after` null a delete, both set a change.
 * A step of the history is a list of these, undone and redone together (a batch).
 */
export interface Edit {
  id: string;
  before: Annotation | null;
  after: Annotation | null;
}

// A day of editing fits; the oldest steps go first after that.
const MAX_STEPS = 1000;

/** Undo and redo over the set of boxes, each step a batch of edits. */
export class History {
  private done: Edit[][] = [];
  private undone: Edit[][] = [];

  /** A new step: what was undone can no longer be redone. */
  record(edits: Edit[]): void {
    if (edits.length === 0) return;
    this.done.push(edits);
    if (this.done.length > MAX_STEPS) this.done.shift();
    this.undone = [];
  }

  /** The edits that take the boxes back one step, or null when there is nothing to undo. */
  undo(): Edit[] | null {
    const step = this.done.pop();
    if (!step) return null;
    this.undone.push(step);
    return inverse(step);
  }

  /** The edits that do again what was last undone, or null. */
  redo(): Edit[] | null {
    const step = this.undone.pop();
    if (!step) return null;
    this.done.push(step);
    return step;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }
}

function inverse(edits: Edit[]): Edit[] {
  return edits.map(({ id, before, after }) => ({ id, before: after, after: before })).reverse();
}

/** Applies edits to the boxes by id. */
export function applyEdits(boxes: Map<string, Annotation>, edits: readonly Edit[]): void {
  for (const { id, after } of edits) {
    if (after) boxes.set(id, after);
    else boxes.delete(id);
  }
}
