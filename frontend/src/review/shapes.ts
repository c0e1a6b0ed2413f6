/**
 * The review routes' shapes (DESIGN-18 "Queue", "Decisions"), written here while the server's
 * routes are built on another branch: at the merge these become re-exports of the shapes
 * generated from /openapi.json (src/api/types.ts), and this is the one file that changes.
 */

export type ReviewState = "accepted" | "rejected";

/** One box in the queue: where it is, what it says, and its review so far. */
export interface ReviewItem {
  recording_id: string;
  filename: string;
  annotation_id: string;
  start_s: number;
  end_s: number;
  low_hz: number | null;
  high_hz: number | null;
  label: string;
  confidence: number | null;
  source: string | null;
  review: { state: ReviewState; by: string | null; at: string | null; label_before: string | null } | null;
  duration_s: number;
  /** order=sample only: the stratum the box was drawn from. */
  stratum?: { label: string; bin: string | number };
}

/** GET /projects/{id}/review and GET /recordings/{id}/review: one page of the queue. */
export interface QueuePage {
  items: ReviewItem[];
  next_cursor: string | null;
  /** Over the filter but its review state, so "n of M reviewed" keeps its meaning. */
  counts: { boxes: number; reviewed: number; accepted: number; rejected: number };
  /** Over the whole scope: the filters' choices and the relabel type-ahead's labels. */
  labels: { label: string; boxes: number }[];
  sources: { source: string | null; boxes: number }[];
}

/** One decision as POST /reviews takes it; state null undoes to unreviewed. */
export interface Decision {
  recording_id: string;
  annotation_id: string;
  state: ReviewState | null;
  label?: string;
}

export type DecisionResult =
  | { recording_id: string; annotation_id: string; ok: true; review: ReviewItem["review"]; label: string }
  | { recording_id: string; annotation_id: string; ok: false; error: string };

/** POST /reviews' answer: each decision's outcome, in the order sent. */
export interface DecisionsAnswer {
  results: DecisionResult[];
  versions: Record<string, number>;
}

/**
 * The review's names as /config.json's `review` serves them (chalicelib/review_names.py),
 * so the page never copies the server's lists.
 */
export interface ReviewNames {
  orders: string[];
  states: string[];
  sourceKinds: string[];
  defaults: { limit: number; maxLimit: number; perStratum: number; bins: number; seed: number; targetPrecision: number };
  maxDecisions: number;
  /** The confidence thresholds precision is estimated at. */
  thresholds: number[];
}
