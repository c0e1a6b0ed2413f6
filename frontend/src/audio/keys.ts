/** Space plays and pauses anywhere on the page, except where Space already means something. */

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

// Space types a space, presses a button, ticks a box or opens a list here.
const OWN_SPACE_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT", "BUTTON", "SUMMARY", "A"]);
const OWN_SPACE_ROLES = new Set([
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

function spaceMeansSomethingOn(target: EventTarget | null): boolean {
  const element = target as Focusable | null;
  if (!element?.tagName) return false;
  return (
    OWN_SPACE_TAGS.has(element.tagName.toUpperCase()) ||
    element.isContentEditable === true ||
    OWN_SPACE_ROLES.has(element.getAttribute?.("role") ?? "")
  );
}

export function spaceTogglesPlayback(press: KeyPress): boolean {
  return (
    press.key === " " &&
    !press.repeat &&
    !(press.altKey || press.ctrlKey || press.metaKey || press.shiftKey) &&
    !press.defaultPrevented &&
    !spaceMeansSomethingOn(press.target)
  );
}
