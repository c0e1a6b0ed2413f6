import { describe, expect, it } from "vitest";
import {
  differenceSize,
  differencesText,
  figureSentences,
  kappaCell,
  kappaText,
  matchedCell,
  matchedText,
  medianCell,
  percentText,
  sameLabelText,
} from "./figures";
import type { AgreementFigures } from "../api/types";

const FIGURES: AgreementFigures = {
  boxes: { a: 14, b: 13 },
  matched: 12,
  match_rate: { a: 12 / 14, b: 12 / 13 },
  label_agreement: 10 / 12,
  kappa: 0.7142,
  kappa_undefined: null,
  onset_diff_s: { mean: 0.005, median: 0.018, mean_abs: 0.022 },
  offset_diff_s: { mean: -0.0314, median: -0.02, mean_abs: 0.04 },
};

describe("figures as sentences", () => {
  it("says how many of each annotator's boxes were matched, and the share", () => {
    expect(matchedText(FIGURES, "a", "ann")).toBe("Matched 12 of 14 boxes by ann (86 %)");
    expect(matchedText(FIGURES, "b", "bob")).toBe("Matched 12 of 13 boxes by bob (92 %)");
  });

  it("says an annotator drew nothing rather than a share of nothing", () => {
    const none = { ...FIGURES, boxes: { a: 14, b: 0 }, matched: 0, match_rate: { a: 0, b: null } };
    expect(matchedText(none, "b", "bob")).toBe("bob drew no boxes");
    expect(matchedText({ ...FIGURES, boxes: { a: 1, b: 13 }, matched: 1, match_rate: { a: 1, b: 1 / 13 } }, "a", "ann")).toBe("Matched 1 of 1 box by ann (100 %)");
  });

  it("gives kappa to two places over the matched pairs, or the server's reason it is undefined", () => {
    expect(kappaText(FIGURES)).toBe("Cohen's κ 0.71 over 12 matched pairs");
    expect(kappaText({ ...FIGURES, matched: 1 })).toBe("Cohen's κ 0.71 over 1 matched pair");
    expect(kappaText({ ...FIGURES, kappa: null, kappa_undefined: "both used one label only" })).toBe(
      "Cohen's κ undefined: both used one label only",
    );
  });

  it("says how far the edges differ and which way B leans", () => {
    expect(differencesText("Onsets", FIGURES.onset_diff_s)).toBe(
      "Onsets differ by 18 ms (median), 22 ms (mean absolute); B's 5 ms later on average",
    );
    expect(differencesText("Offsets", FIGURES.offset_diff_s)).toBe(
      "Offsets differ by 20 ms (median), 40 ms (mean absolute); B's 31 ms earlier on average",
    );
    expect(differencesText("Onsets", { mean: 0.0001, median: 0, mean_abs: 0.001 })).toBe(
      "Onsets differ by 0 ms (median), 1 ms (mean absolute)",
    );
    expect(differencesText("Onsets", { mean: null, median: null, mean_abs: null })).toBe("Onsets: no matched pair to compare");
  });

  it("writes differences of a second or more in seconds", () => {
    expect(differenceSize(-1.234)).toBe("1.23 s");
    expect(differenceSize(0.9994)).toBe("999 ms");
    expect(percentText(0.855)).toBe("86 %");
  });

  it("says on how many matched pairs the labels agree", () => {
    expect(sameLabelText(FIGURES)).toBe("Same label on 10 of 12 matched pairs (83 %)");
    expect(sameLabelText({ ...FIGURES, matched: 0, label_agreement: null })).toBeNull();
  });

  it("lists A's rate, B's rate, the same labels, kappa, onsets, offsets; no same labels without matched pairs", () => {
    const sentences = figureSentences(FIGURES, ["ann", "bob"]);
    expect(sentences).toHaveLength(6);
    expect(sentences[1]).toContain("by bob");
    expect(sentences[2]).toContain("Same label");
    expect(figureSentences({ ...FIGURES, matched: 0, label_agreement: null }, ["ann", "bob"])).toHaveLength(5);
  });

  it("fits the figures into table cells", () => {
    expect([matchedCell(FIGURES, "a"), matchedCell({ ...FIGURES, boxes: { a: 14, b: 0 }, match_rate: { a: 0, b: null } }, "b")]).toEqual(["12/14 (86 %)", "none drawn"]);
    expect([kappaCell(FIGURES), kappaCell({ ...FIGURES, kappa: null })]).toEqual(["0.71", "undefined"]);
    expect([medianCell(FIGURES.onset_diff_s), medianCell(FIGURES.offset_diff_s)]).toEqual(["+18 ms", "−20 ms"]);
    expect([medianCell({ mean: 0, median: 0.0002, mean_abs: 0 }), medianCell({ mean: null, median: null, mean_abs: null })]).toEqual([
      "0 ms",
      "—",
    ]);
  });
});
