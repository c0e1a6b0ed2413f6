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

/**
 * /config.json's `review` (chalicelib/review_names.py via chalicelib/ui_config.py), checked;
 * null from a server without the review queue, whose page then offers no review.
 */
export function parseReviewNames(raw: unknown): ReviewNames | null {
  if (raw === undefined) return null;
  const given = (raw ?? {}) as Record<string, unknown>;
  const defaults = (given.defaults ?? {}) as Record<string, unknown>;
  const strings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string");
  const numbers = ["limit", "maxLimit", "perStratum", "bins", "seed", "targetPrecision"].every((key) => typeof defaults[key] === "number");
  const thresholds = Array.isArray(given.thresholds) && given.thresholds.every((t) => typeof t === "number");
  if (!strings(given.orders) || !strings(given.states) || !strings(given.sourceKinds) || !numbers || typeof given.maxDecisions !== "number" || !thresholds) {
    throw new Error(
      `/config.json's review needs orders, states, sourceKinds (lists of names), defaults (limit, maxLimit, perStratum, bins, seed, targetPrecision), maxDecisions and thresholds: ${JSON.stringify(raw).slice(0, 160)}`,
    );
  }
  return given as unknown as ReviewNames;
}
