import { describe, expect, it } from "vitest";
import { colourOf, PALETTE, paletteOrder, UNLABELLED } from "./labelColours";

describe("colourOf", () => {
  it("gives a label in the list the palette's colour at its place", () => {
    const labels = ["Wren", "Robin", "Blackbird"];
    expect(labels.map((label) => colourOf(label, labels))).toEqual(PALETTE.slice(0, 3));
  });

  it("wraps round the palette past its length", () => {
    const labels = Array.from({ length: PALETTE.length + 1 }, (_, i) => `label ${i}`);
    expect(colourOf(labels[PALETTE.length], labels)).toBe(PALETTE[0]);
  });

  it("gives a label outside the list the same colour every time, from the palette", () => {
    expect(colourOf("Tawny Owl")).toBe(colourOf("Tawny Owl", ["Wren"]));
    expect(PALETTE).toContain(colourOf("Tawny Owl"));
  });

  it("spreads labels over the palette", () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => colourOf(`species ${i}`)));
    expect(used.size).toBe(PALETTE.length);
  });

  it("draws a box without a label white", () => {
    expect(colourOf("")).toBe(UNLABELLED);
    expect(PALETTE).not.toContain(UNLABELLED);
  });
});

describe("paletteOrder", () => {
  it("puts the project's label keys first, then the recording's other labels in order", () => {
    const boxes = [{ label: "Robin" }, { label: "" }, { label: "Wren" }, { label: "Blackbird" }, { label: "Robin" }];
    expect(paletteOrder(["Wren", null, "Jay"], boxes)).toEqual(["Wren", "Jay", "Blackbird", "Robin"]);
  });

  it("gives every label of a recording its own colour while they fit the palette", () => {
    const labels = ["rising whistle", "their whistle", "mine", "snap"];
    const order = paletteOrder([], labels.map((label) => ({ label })));
    expect(new Set(labels.map((label) => colourOf(label, order))).size).toBe(labels.length);
  });
});
