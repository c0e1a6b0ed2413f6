import { describe, expect, it } from "vitest";
import { SHORTCUTS, shortcutFor, shortcutsOf, written } from "./shortcuts";
import { press } from "./fixture";


describe("written", () => {
  it("spells a press as the table does", () => {
    expect(written(press(" "))).toBe("Space");
    expect(written(press("A", { shiftKey: true }))).toBe("a");
    expect(written(press("?", { shiftKey: true }))).toBe("?");
    expect(written(press("Tab", { shiftKey: true }))).toBe("Shift+Tab");
    expect(written(press("z", { metaKey: true }))).toBe("Ctrl+Z");
    expect(written(press("Z", { ctrlKey: true, shiftKey: true }))).toBe("Ctrl+Shift+Z");
    expect(written(press("Shift", { shiftKey: true }))).toBeNull();
  });
});

describe("shortcutFor", () => {
  it("finds the review's decisions by their keys", () => {
    expect(shortcutFor(press("a"), "review")?.id).toBe("accept");
    expect(shortcutFor(press("r"), "review")?.id).toBe("reject");
    expect(shortcutFor(press("l"), "review")?.id).toBe("relabel");
    expect(shortcutFor(press("ArrowDown"), "review")?.id).toBe("move");
    expect(shortcutFor(press("z", { ctrlKey: true }), "review")?.id).toBe("undo");
  });

  it("tells which digit of the label keys was pressed", () => {
    expect(shortcutFor(press("7"), "viewer")).toEqual({ id: "label-key", digit: 7 });
    expect(shortcutFor(press("0"), "viewer")).toBeNull();
  });

  it("leaves keys typed into a text field to the field", () => {
    const field = { tagName: "INPUT", getAttribute: () => "text" } as unknown as EventTarget;
    expect(shortcutFor(press("a", { target: field }), "review")).toBeNull();
    const box = { tagName: "INPUT", getAttribute: () => "checkbox" } as unknown as EventTarget;
    expect(shortcutFor(press("a", { target: box }), "review")?.id).toBe("accept");
  });

  it("ignores a press something else already handled", () => {
    expect(shortcutFor(press("a", { defaultPrevented: true }), "review")).toBeNull();
  });
});

describe("the table", () => {
  it("never binds one press to two actions of a scope", () => {
    for (const scope of ["viewer", "review"] as const) {
      const keys = shortcutsOf(scope).flatMap((shortcut) => shortcut.keys);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it("binds the keys the issue promises", () => {
    const keys = (id: string) => SHORTCUTS.filter((s) => s.scope === "review" && s.id === id).flatMap((s) => s.keys);
    expect(keys("accept")).toContain("a");
    expect(keys("reject")).toContain("r");
    expect(keys("relabel")).toContain("l");
    expect(keys("undo")).toContain("Ctrl+Z");
    expect(keys("play")).toContain("Space");
  });
});
