import { describe, expect, it } from "vitest";
import { consensusRequest, defaultChoices, keepAllMatchedAs, keepsOf, keptCount } from "./choices";
import { songAgreement } from "./fixture";

const { pairs } = songAgreement();

describe("consensus choices", () => {
  it("offers either box, both or none for a matched pair, and keep or drop for a box drawn once", () => {
    expect(pairs.map(keepsOf)).toEqual([
      ["a", "b", "both", "none"],
      ["a", "b", "both", "none"],
      ["a", "none"],
      ["b", "none"],
    ]);
  });

  it("keeps every call either annotator found once by default: matched pairs as A drew them", () => {
    const choices = defaultChoices(pairs);
    expect(choices.map((c) => c.keep)).toEqual(["a", "a", "a", "b"]);
    expect(keptCount(choices)).toBe(4);
  });

  it("keeps all matched pairs as B drew them in one step, leaving one-sided boxes as chosen", () => {
    const chosen = defaultChoices(pairs).map((c, i) => (i === 2 ? { ...c, keep: "none" as const } : c));
    expect(keepAllMatchedAs(pairs, chosen, "b").map((c) => c.keep)).toEqual(["b", "b", "none", "b"]);
  });

  it("counts both boxes of a pair kept twice and none of a dropped one", () => {
    expect(keptCount([{ keep: "both", relabel: "" }, { keep: "none", relabel: "" }, { keep: "b", relabel: "" }])).toBe(3);
  });

  it("sends every pair's ids with its choice and a trimmed relabel, null when none was typed or nothing is kept", () => {
    const choices = [
      { keep: "a" as const, relabel: "" },
      { keep: "both" as const, relabel: "  Troglodytes troglodytes " },
      { keep: "none" as const, relabel: "Wren" },
      { keep: "b" as const, relabel: "   " },
    ];
    expect(consensusRequest(3, pairs, choices)).toEqual({
      version: 3,
      choices: [
        { a: "a1", b: "b1", keep: "a", label: null },
        { a: "a2", b: "b2", keep: "both", label: "Troglodytes troglodytes" },
        { a: "a3", b: null, keep: "none", label: null },
        { a: null, b: "b3", keep: "b", label: null },
      ],
    });
  });
});
