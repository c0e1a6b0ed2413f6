import type { KeyPress } from "../audio/keys";

/** A key press for tests: `key` alone, unless `more` says otherwise. */
export function press(key: string, more: Partial<KeyPress> = {}): KeyPress {
  return {
    key,
    repeat: false,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    defaultPrevented: false,
    target: null,
    ...more,
  };
}
