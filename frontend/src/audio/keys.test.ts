import { describe, expect, it } from "vitest";
import { focusedControlTakes } from "./keys";

function element(tagName: string, attributes: Record<string, string> = {}, editable = false) {
  return {
    tagName,
    isContentEditable: editable,
    getAttribute: (name: string) => attributes[name] ?? null,
  } as unknown as EventTarget;
}

describe("focusedControlTakes", () => {
  it.each([
    ["the page", element("BODY"), false],
    ["the spectrogram", element("DIV", { role: "img" }), false],
    ["the boxes", element("CANVAS", { role: "application" }), false],
    ["no target", null, false],
    ["a text field", element("INPUT"), true],
    ["a text area", element("TEXTAREA"), true],
    ["a select", element("SELECT"), true],
    ["a button (it presses it)", element("BUTTON"), true],
    ["a link", element("A"), true],
    ["a menu item", element("LI", { role: "menuitem" }), true],
    ["an editable text", element("DIV", {}, true), true],
  ])("Space and Enter on %s: %s", (_, target, taken) => {
    expect(focusedControlTakes({ key: " ", target })).toBe(taken);
    expect(focusedControlTakes({ key: "Enter", target })).toBe(taken);
  });

  it("leaves other keys to the shortcuts, even on a button", () => {
    expect(focusedControlTakes({ key: "m", target: element("BUTTON") })).toBe(false);
    expect(focusedControlTakes({ key: "Delete", target: element("BUTTON") })).toBe(false);
  });
});
