import { describe, expect, it } from "vitest";
import { press } from "./fixture";
import { shortcutPressed } from "./useShortcuts";


const element = (tagName: string) => ({ tagName, getAttribute: () => null }) as unknown as EventTarget;

describe("shortcutPressed", () => {
  it("runs the viewer's keys from the table", () => {
    expect(shortcutPressed(press(" "), "viewer", false)?.id).toBe("play");
    expect(shortcutPressed(press("d"), "viewer", false)?.id).toBe("draw");
    expect(shortcutPressed(press("Tab", { shiftKey: true }), "viewer", false)?.id).toBe("previous-box");
    expect(shortcutPressed(press("2"), "viewer", false)).toEqual({ id: "label-key", digit: 2 });
    expect(shortcutPressed(press("M", { shiftKey: true }), "viewer", false)?.id).toBe("mark");
    expect(shortcutPressed(press("x"), "viewer", false)).toBeNull();
  });

  it("runs a held key once", () => {
    expect(shortcutPressed(press(" ", { repeat: true }), "viewer", false)).toBeNull();
  });

  it("leaves Space and Enter to a focused button, other keys not", () => {
    expect(shortcutPressed(press(" ", { target: element("BUTTON") }), "viewer", false)).toBeNull();
    expect(shortcutPressed(press("Enter", { target: element("BUTTON") }), "viewer", false)).toBeNull();
    expect(shortcutPressed(press("Enter", { target: element("CANVAS") }), "viewer", false)?.id).toBe("edit-label");
    expect(shortcutPressed(press("Delete", { target: element("BUTTON") }), "viewer", false)?.id).toBe("delete-box");
  });

  it("leaves keys typed into a field to the field", () => {
    const field = { tagName: "INPUT", getAttribute: () => "text" } as unknown as EventTarget;
    expect(shortcutPressed(press("3", { target: field }), "viewer", false)).toBeNull();
  });

  it("answers only ? while a dialog is open", () => {
    expect(shortcutPressed(press("?", { shiftKey: true }), "viewer", true)?.id).toBe("help");
    expect(shortcutPressed(press("Delete"), "viewer", true)).toBeNull();
    expect(shortcutPressed(press(" "), "viewer", true)).toBeNull();
  });
});
