import { describe, expect, it } from "vitest";
import { type KeyPress, spaceTogglesPlayback } from "./keys";

function element(tagName: string, attributes: Record<string, string> = {}, editable = false) {
  return {
    tagName,
    isContentEditable: editable,
    getAttribute: (name: string) => attributes[name] ?? null,
  } as unknown as EventTarget;
}

function space(target: EventTarget | null, change: Partial<KeyPress> = {}): KeyPress {
  return {
    key: " ",
    repeat: false,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    defaultPrevented: false,
    target,
    ...change,
  };
}

describe("spaceTogglesPlayback", () => {
  it.each([
    ["the page", element("BODY"), true],
    ["the spectrogram", element("DIV", { role: "img" }), true],
    ["no target", null, true],
    ["a text field", element("INPUT"), false],
    ["a text area", element("TEXTAREA"), false],
    ["a select", element("SELECT"), false],
    ["a button (it presses it)", element("BUTTON"), false],
    ["a menu item", element("LI", { role: "menuitem" }), false],
    ["an editable text", element("DIV", {}, true), false],
  ])("on %s: %s", (_, target, toggles) => {
    expect(spaceTogglesPlayback(space(target))).toBe(toggles);
  });

  it.each<[string, Partial<KeyPress>]>([
    ["another key", { key: "k" }],
    ["a held key", { repeat: true }],
    ["with Ctrl", { ctrlKey: true }],
    ["with Shift", { shiftKey: true }],
    ["taken by someone else", { defaultPrevented: true }],
  ])("not %s", (_, change) => {
    expect(spaceTogglesPlayback(space(element("BODY"), change))).toBe(false);
  });
});
