import { describe, expect, it } from "vitest";
import { committedLabel, suggestLabels } from "./typeahead";

const LABELS = [
  { label: "Common Chaffinch", boxes: 3 },
  { label: "Eurasian Wren", boxes: 10 },
  { label: "Chiffchaff", boxes: 5 },
  { label: "Eurasian Blackcap", boxes: 12 },
];

describe("the relabel type-ahead", () => {
  it("suggests labels starting with the text first, most boxes first, then those containing it", () => {
    expect(suggestLabels(LABELS, "eur")).toEqual(["Eurasian Blackcap", "Eurasian Wren"]);
    expect(suggestLabels(LABELS, "ch")).toEqual(["Chiffchaff", "Common Chaffinch"]);
    expect(suggestLabels(LABELS, "")).toEqual(["Eurasian Blackcap", "Eurasian Wren", "Chiffchaff", "Common Chaffinch"]);
    expect(suggestLabels(LABELS, "owl")).toEqual([]);
  });

  it("commits the highlighted suggestion, or the typed text as a new label", () => {
    expect(committedLabel(["Eurasian Blackcap", "Eurasian Wren"], 1, "eur")).toBe("Eurasian Wren");
    expect(committedLabel(["Eurasian Blackcap"], 5, "eur")).toBe("Eurasian Blackcap");
    expect(committedLabel([], 0, "  Tawny Owl ")).toBe("Tawny Owl");
    expect(committedLabel([], 0, "  ")).toBeNull();
  });
});
