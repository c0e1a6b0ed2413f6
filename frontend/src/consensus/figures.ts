import type { AgreementFigures, Differences } from "../api/types";

/** "86 %": a rate 0–1 to the nearest percent. */
export function percentText(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** A time difference, sign dropped: "18 ms" under a second, "1.25 s" from one up. */
export function differenceSize(seconds: number): string {
  const size = Math.abs(seconds);
  return size < 1 ? `${Math.round(size * 1000)} ms` : `${size.toFixed(2)} s`;
}

/** "Matched 12 of 14 boxes by ann (86 %)": how many of one annotator's boxes the other drew too. */
export function matchedText(figures: AgreementFigures, side: "a" | "b", name: string): string {
  const drawn = figures.boxes[side];
  const rate = figures.match_rate[side];
  if (drawn === 0 || rate === null) return `${name} drew no boxes`;
  return `Matched ${figures.matched} of ${boxes(drawn)} by ${name} (${percentText(rate)})`;
}

/** "Cohen's κ 0.71 over 12 matched pairs", or why κ is undefined. */
export function kappaText(figures: AgreementFigures): string {
  if (figures.kappa === null) return `Cohen's κ undefined: ${figures.kappa_undefined ?? "no reason given"}`;
  const pairs = figures.matched === 1 ? "1 matched pair" : `${figures.matched} matched pairs`;
  return `Cohen's κ ${figures.kappa.toFixed(2)} over ${pairs}`;
}

/**
 * "Onsets differ by 18 ms (median), 22 ms (mean absolute); B's 5 ms later on average": the
 * median and mean are of B − A, so the last part says which way B leans.
 */
export function differencesText(edges: "Onsets" | "Offsets", differences: Differences): string {
  const { mean, median, mean_abs } = differences;
  if (median === null || mean === null || mean_abs === null) return `${edges}: no matched pair to compare`;
  const lean = Math.round(mean * 1000) === 0 ? "" : `; B's ${differenceSize(mean)} ${mean > 0 ? "later" : "earlier"} on average`;
  return `${edges} differ by ${differenceSize(median)} (median), ${differenceSize(mean_abs)} (mean absolute)${lean}`;
}

/** "Same label on 10 of 12 matched pairs (83 %)", or nothing without matched pairs. */
export function sameLabelText(figures: AgreementFigures): string | null {
  if (figures.label_agreement === null || figures.matched === 0) return null;
  const same = Math.round(figures.label_agreement * figures.matched);
  const pairs = figures.matched === 1 ? "1 matched pair" : `${figures.matched} matched pairs`;
  return `Same label on ${same} of ${pairs} (${percentText(figures.label_agreement)})`;
}

/** The figures as sentences, in the order the region lists them. */
export function figureSentences(figures: AgreementFigures, [a, b]: readonly [string, string]): string[] {
  const sameLabel = sameLabelText(figures);
  return [
    matchedText(figures, "a", a),
    matchedText(figures, "b", b),
    ...(sameLabel ? [sameLabel] : []),
    kappaText(figures),
    differencesText("Onsets", figures.onset_diff_s),
    differencesText("Offsets", figures.offset_diff_s),
  ];
}

const boxes = (n: number) => (n === 1 ? "1 box" : `${n} boxes`);

/** A table cell: "12/14 (86 %)", or "none drawn". */
export function matchedCell(figures: AgreementFigures, side: "a" | "b"): string {
  const drawn = figures.boxes[side];
  const rate = figures.match_rate[side];
  return drawn === 0 || rate === null ? "none drawn" : `${figures.matched}/${drawn} (${percentText(rate)})`;
}

/** A table cell: κ to two places, or "undefined" (the reason goes in the row's title). */
export function kappaCell(figures: AgreementFigures): string {
  return figures.kappa === null ? "undefined" : figures.kappa.toFixed(2);
}

/** A table cell: the median of B − A, signed ("+18 ms", "−20 ms"), or "—" without matched pairs. */
export function medianCell(differences: Differences): string {
  const { median } = differences;
  if (median === null) return "—";
  const size = differenceSize(median);
  return size === "0 ms" ? size : `${median > 0 ? "+" : "−"}${size}`;
}
