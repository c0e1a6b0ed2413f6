/**
 * Every keyboard shortcut of the app, in one table: the handlers are bound from it and the
 * `?` help is drawn from it, so the help cannot drift from what the keys do.
 *
 * A key is written as people read it: "a", "Space", "ArrowLeft", "Shift+Tab", "Ctrl+Z"
 * (Ctrl is Cmd on a Mac). Digits "1"…"9" are one row: `digit` tells which was pressed.
 */
import type { KeyPress } from "../audio/keys";

/** Where a shortcut works: the recording's viewer, or the review of clips. */
export type Scope = "viewer" | "review";

export interface Shortcut {
  readonly id: string;
  readonly scope: Scope;
  /** Any of these presses; "1-9" stands for the nine digit keys. */
  readonly keys: readonly string[];
  /** What it does, in the user's words: the help's text. */
  readonly does: string;
}

export const SHORTCUTS = [
  { id: "help", scope: "viewer", keys: ["?"], does: "Show or hide these shortcuts" },
  { id: "play", scope: "viewer", keys: ["Space"], does: "Play or pause" },
  { id: "draw", scope: "viewer", keys: ["d"], does: "Draw mode on or off: drag to draw a box, again and again" },
  { id: "next-box", scope: "viewer", keys: ["Tab"], does: "On the boxes: select the next box in time (after the last, Tab moves on)" },
  { id: "previous-box", scope: "viewer", keys: ["Shift+Tab"], does: "On the boxes: select the previous box in time" },
  { id: "play-box", scope: "viewer", keys: ["p"], does: "Play the selected box (again: stop)" },
  { id: "loop-box", scope: "viewer", keys: ["o"], does: "Loop the selected box until stopped (again, or Space: stop)" },
  { id: "label-key", scope: "viewer", keys: ["1-9"], does: "Give the selected box the project's label for that key" },
  { id: "edit-label", scope: "viewer", keys: ["Enter"], does: "Type the selected box's label (Enter keeps it, Escape leaves it)" },
  { id: "mark", scope: "viewer", keys: ["m"], does: "Mark a point where the audio is" },
  { id: "delete-box", scope: "viewer", keys: ["Delete", "Backspace"], does: "Delete the selected box" },
  { id: "deselect", scope: "viewer", keys: ["Escape"], does: "Leave the box, or stop drawing" },
  { id: "undo", scope: "viewer", keys: ["Ctrl+Z"], does: "Undo" },
  { id: "redo", scope: "viewer", keys: ["Ctrl+Shift+Z", "Ctrl+Y"], does: "Redo" },
  { id: "help", scope: "review", keys: ["?"], does: "Show or hide these shortcuts" },
  { id: "accept", scope: "review", keys: ["a"], does: "Accept the clip's box" },
  { id: "reject", scope: "review", keys: ["r"], does: "Reject the clip's box" },
  { id: "relabel", scope: "review", keys: ["l"], does: "Relabel: type a project label, Enter commits" },
  { id: "skip", scope: "review", keys: ["s"], does: "Skip to the next clip, deciding nothing" },
  { id: "undo", scope: "review", keys: ["Ctrl+Z"], does: "Undo the last decision" },
  { id: "play", scope: "review", keys: ["Space"], does: "Play the clip's time span" },
  { id: "move", scope: "review", keys: ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"], does: "Move to another clip" },
  { id: "open", scope: "review", keys: ["Enter"], does: "Open the box in the full viewer" },
  { id: "one-clip", scope: "review", keys: ["z"], does: "One clip, large, for a close call (again: back to the grid)" },
  { id: "next-page", scope: "review", keys: ["PageDown"], does: "Next page of clips" },
  { id: "previous-page", scope: "review", keys: ["PageUp"], does: "Previous page of clips" },
] as const satisfies readonly Shortcut[];

export type ShortcutId<S extends Scope> = Extract<(typeof SHORTCUTS)[number], { scope: S }>["id"];

/** The shortcuts of one scope, in the table's order: what `?` shows there. */
export function shortcutsOf(scope: Scope): readonly Shortcut[] {
  return SHORTCUTS.filter((shortcut) => shortcut.scope === scope);
}

/** The press as the table writes it, e.g. "Ctrl+Shift+Z"; null for a lone modifier. */
export function written(press: Pick<KeyPress, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): string | null {
  if (["Control", "Meta", "Shift", "Alt"].includes(press.key)) return null;
  const ctrl = press.ctrlKey || press.metaKey;
  // A typed letter is written small ("a"), a chord's capital ("Ctrl+Z"), as menus print them.
  const letter = ctrl ? press.key.toUpperCase() : press.key.toLowerCase();
  const key = press.key === " " ? "Space" : press.key.length === 1 ? letter : press.key;
  // Shift is part of a typed character ("?", "A"): only named keys and Ctrl chords spell it.
  const shifted = press.shiftKey && (press.key.length > 1 || ctrl);
  return [ctrl ? "Ctrl" : "", shifted ? "Shift" : "", press.altKey ? "Alt" : "", key]
    .filter(Boolean)
    .join("+");
}

// Keys typed into these go to the field, not to the shortcuts.
const TEXT_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const TEXT_ROLES = new Set(["textbox", "searchbox", "combobox", "spinbutton"]);

function typingInto(target: EventTarget | null): boolean {
  const element = target as { tagName?: string; isContentEditable?: boolean; getAttribute?(n: string): string | null } | null;
  if (!element?.tagName) return false;
  if (element.tagName.toUpperCase() === "INPUT") {
    const type = element.getAttribute?.("type") ?? "text";
    if (["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type)) return false;
  }
  return (
    TEXT_TAGS.has(element.tagName.toUpperCase()) ||
    element.isContentEditable === true ||
    TEXT_ROLES.has(element.getAttribute?.("role") ?? "")
  );
}

export interface Match<S extends Scope> {
  id: ShortcutId<S>;
  /** 1…9 for the "1-9" row. */
  digit?: number;
}

/** The scope's shortcut this press means, or null (typing in a field, held key, no such key). */
export function shortcutFor<S extends Scope>(press: KeyPress, scope: S): Match<S> | null {
  if (press.defaultPrevented || typingInto(press.target)) return null;
  const name = written(press);
  if (name === null) return null;
  for (const shortcut of shortcutsOf(scope)) {
    for (const key of shortcut.keys) {
      if (key === name) return { id: shortcut.id as ShortcutId<S> };
      if (key === "1-9" && /^[1-9]$/.test(name)) return { id: shortcut.id as ShortcutId<S>, digit: Number(name) };
    }
  }
  return null;
}
