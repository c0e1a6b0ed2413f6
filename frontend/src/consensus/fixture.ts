import { newBox } from "../annotations/box";
import type { Annotation } from "../api/types";
import type { Agreement, AgreementFigures, AgreementPair } from "../api/types";

/** A person's box on `start`..`start`+0.5 s, 2–4 kHz, for tests. */
export function boxAt(id: string, label: string, start: number): Annotation {
  return { ...newBox({ start_s: start, end_s: start + 0.5, low_hz: 2000, high_hz: 4000 }, id), label };
}

const NO_DIFFERENCE = { mean: null, median: null, mean_abs: null };

/** Figures as the server would give them for `pairs` (the counts only; tests of sentences use their own). */
export function figuresOf(pairs: readonly AgreementPair[]): AgreementFigures {
  const boxesA = pairs.filter((p) => p.a).length;
  const boxesB = pairs.filter((p) => p.b).length;
  const matched = pairs.filter((p) => p.a && p.b).length;
  const sameLabel = pairs.filter((p) => p.same_label).length;
  return {
    boxes: { a: boxesA, b: boxesB },
    matched,
    match_rate: { a: boxesA ? matched / boxesA : null, b: boxesB ? matched / boxesB : null },
    label_agreement: matched ? sameLabel / matched : null,
    kappa: null,
    kappa_undefined: "not computed by the fake",
    onset_diff_s: NO_DIFFERENCE,
    offset_diff_s: NO_DIFFERENCE,
  };
}

/** ann and bob on one song: two calls both found (one labelled differently), one each alone. */
export function songAgreement(version = 3): Agreement {
  const pairs: AgreementPair[] = [
    { a: boxAt("a1", "Wren", 1), b: boxAt("b1", "Wren", 1.02), iou: 0.9, onset_diff_s: 0.02, offset_diff_s: 0.02, same_label: true },
    { a: boxAt("a2", "Wren", 3), b: boxAt("b2", "Robin", 3), iou: 0.8, onset_diff_s: 0, offset_diff_s: 0, same_label: false },
    { a: boxAt("a3", "Wren", 5), b: null, iou: null, onset_diff_s: null, offset_diff_s: null, same_label: null },
    { a: null, b: boxAt("b3", "Robin", 7), iou: null, onset_diff_s: null, offset_diff_s: null, same_label: null },
  ];
  return { annotators: ["ann", "bob"], figures: figuresOf(pairs), pairs, version };
}
