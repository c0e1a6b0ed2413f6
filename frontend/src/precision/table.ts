import { thresholdText } from "./chart";
import type { LabelPrecision, ThresholdRow } from "../api/types";

/** What one click may accept: the label's unreviewed boxes at or above its chosen threshold. */
export interface AcceptOffer {
  label: string;
  threshold: number;
  unreviewed: number;
}

// The API's thresholds are decimals (0.7 may come back as 0.7000000000000001).
const sameThreshold = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The row of the lowest threshold that reaches the target (the one the table marks). */
export function isChosen(row: ThresholdRow, label: LabelPrecision): boolean {
  return label.threshold !== null && sameThreshold(row.threshold, label.threshold);
}

/** The accept the panel offers for a label; null when no threshold reaches the target or nothing there is unreviewed. */
export function acceptOffer(label: LabelPrecision): AcceptOffer | null {
  const row = label.rows.find((r) => isChosen(r, label));
  if (!row || row.boxes - row.reviewed <= 0) return null;
  return { label: label.label, threshold: row.threshold, unreviewed: row.boxes - row.reviewed };
}

/** The accept button's words. */
export const offerText = (offer: AcceptOffer) => `Accept ${offer.unreviewed} unreviewed at ≥ ${thresholdText(offer.threshold)}`;

/** A precision or an interval's end as the table writes it; a dash where no box is reviewed. */
export const ratioText = (value: number | null) => (value === null ? "–" : value.toFixed(2));

export const intervalText = (row: ThresholdRow) =>
  row.low === null || row.high === null ? "–" : `${ratioText(row.low)}–${ratioText(row.high)}`;

/** The target precision as typed: a share above 0 and at most 1, or why not. */
export function parseTarget(text: string): { target: number } | { problem: string } {
  const target = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(target) || target <= 0 || target > 1) {
    return { problem: `The target precision is a share above 0 and at most 1 (0.9 for 90 %), not "${text}".` };
  }
  return { target };
}
