import type { AgreementPair, Consensus, ConsensusChoice, Keep } from "../api/types";

/** What the consensus table holds for one pair: which box(es) to keep, and a new label typed for them. */
export interface Choice {
  keep: Keep;
  /** Empty: keep the kept boxes' own labels. */
  relabel: string;
}

/** Both annotators drew it (the boxes matched), rather than one of them alone. */
export const isMatched = (pair: AgreementPair): boolean => pair.a !== null && pair.b !== null;

/** The choices a pair offers: a one-sided box is kept or not; a matched pair either box, both or none. */
export function keepsOf(pair: AgreementPair): Keep[] {
  if (isMatched(pair)) return ["a", "b", "both", "none"];
  return pair.a ? ["a", "none"] : ["b", "none"];
}

/**
 * Every box either annotator found is kept once: a matched pair as A drew it, a one-sided
 * box as its author drew it. The table is where a person changes that.
 */
export function defaultChoices(pairs: readonly AgreementPair[]): Choice[] {
  return pairs.map((pair) => ({ keep: pair.a ? "a" : "b", relabel: "" }));
}

/** Every matched pair kept as `side` drew it; one-sided boxes' choices stay. */
export function keepAllMatchedAs(pairs: readonly AgreementPair[], choices: readonly Choice[], side: "a" | "b"): Choice[] {
  return choices.map((choice, i) => (isMatched(pairs[i]) ? { ...choice, keep: side } : choice));
}

/** How many boxes the final set gains from these choices. */
export function keptCount(choices: readonly Choice[]): number {
  return choices.reduce((n, choice) => n + (choice.keep === "both" ? 2 : choice.keep === "none" ? 0 : 1), 0);
}

/** The POST body: every pair with its boxes' ids, so the server knows each was decided. */
export function consensusRequest(version: number, pairs: readonly AgreementPair[], choices: readonly Choice[]): Consensus {
  return {
    version,
    choices: pairs.map((pair, i) => {
      const { keep, relabel } = choices[i];
      const label = keep === "none" ? "" : relabel.trim();
      // The table offers a side only where the pair has its box (the schema's one rule per keep).
      return { a: pair.a?.id ?? null, b: pair.b?.id ?? null, keep, label: label || null } as ConsensusChoice;
    }),
  };
}
