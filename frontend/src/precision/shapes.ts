/**
 * The precision routes' shapes as DESIGN-18 gives them, written here while the routes are built
 * on other branches (chalicelib/precision.py, the queue's routes): at the merge these become
 * re-exports of the generated types (src/api/types.ts), and nothing else changes.
 */

/** Precision at one threshold, over the label's boxes whose confidence is at least `threshold`. */
export interface ThresholdRow {
  threshold: number;
  boxes: number;
  reviewed: number;
  accepted: number;
  rejected: number;
  /** Null while no box at or above the threshold is reviewed. */
  precision: number | null;
  /** The 95 % Wilson interval around `precision`. */
  low: number | null;
  high: number | null;
}

/** One label: its counts, the lowest threshold reaching the target (null: none does), a row per threshold. */
export interface LabelPrecision {
  label: string;
  boxes: number;
  reviewed: number;
  accepted: number;
  rejected: number;
  threshold: number | null;
  rows: ThresholdRow[];
}

/** GET /projects/{id}/precision: the target the thresholds were chosen for, the method in a sentence, each label. */
export interface PrecisionTable {
  target: number;
  method: string;
  labels: LabelPrecision[];
}

/** The route's query; `target` absent: the server's default (/config.json `review`). */
export interface PrecisionQuery {
  target?: number;
  /** "people", "detector" or an exact source, as the review queue takes it. */
  source?: string;
  recording?: string;
  label?: string;
}

/** POST /projects/{id}/reviews/accept: every unreviewed box of `label` at or above `min_confidence`. */
export interface AcceptRequest {
  label: string;
  min_confidence: number;
  source?: string;
}

/** What one bulk accept did; `action` (its shared review time) is what undoes it. */
export interface Accepted {
  action: string;
  accepted: number;
  recordings: number;
}

/** POST /projects/{id}/reviews/accept/undo's answer. */
export interface Undone {
  undone: number;
}

/** The project export's formats (Audacity's labels hold one recording only). */
export type ProjectExportFormat = "raven" | "csv" | "json";

/** `accepted`: only boxes a reviewer accepted; absent: every box. */
export type ReviewFilter = "accepted";
