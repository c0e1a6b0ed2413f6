/** What a key press needs of a KeyboardEvent, and which keys the focused control keeps. */

/** The parts of a KeyboardEvent the decision needs. */
export interface KeyPress {
  key: string;
  repeat: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | null;
}

// Space and Enter type, press a button, tick a box, follow a link or open a list here.
const OWN_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT", "BUTTON", "SUMMARY", "A"]);
const OWN_ROLES = new Set([
  "button",
  "checkbox",
  "combobox",
  "link",
  "listbox",
  "menuitem",
  "menuitemcheckbox",
  "menuitemradio",
  "option",
  "radio",
  "searchbox",
  "slider",
  "spinbutton",
  "switch",
  "tab",
  "textbox",
]);

interface Focusable {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

/** Space and Enter on a button, a box to tick, a link or a field are the control's own
 * (they press, tick, follow, type), not a shortcut's. */
export function focusedControlTakes(press: Pick<KeyPress, "key" | "target">): boolean {
  if (press.key !== " " && press.key !== "Enter") return false;
  const element = press.target as Focusable | null;
  if (!element?.tagName) return false;
  return (
    OWN_TAGS.has(element.tagName.toUpperCase()) ||
    element.isContentEditable === true ||
    OWN_ROLES.has(element.getAttribute?.("role") ?? "")
  );
}
