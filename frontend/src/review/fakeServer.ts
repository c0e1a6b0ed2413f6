import { ApiError } from "../api/client";
import type { ReviewFilters } from "../page/link";
import type { ReviewApi, Scope } from "./queue";
import type { Decision, DecisionResult, DecisionsAnswer, QueuePage, ReviewItem } from "../api/types";

/**
 * For tests: the review routes over boxes in memory, with the server's rules for decisions (docs/review.md)
 * (null state undoes, a new label keeps the first label_before; a missing box fails alone).
 * `failNext` makes the next requests throw; `batches` records what POST /reviews received.
 */
export class FakeReviewServer implements ReviewApi {
  boxes: ReviewItem[];
  batches: Decision[][] = [];
  failNext: Error[] = [];

  constructor(boxes: ReviewItem[]) {
    this.boxes = boxes;
  }

  async queue(_scope: Scope, filters: ReviewFilters, page: { limit: number; cursor: string | null }): Promise<QueuePage> {
    const matching = this.boxes.filter((b) => !filters.label || b.label === filters.label);
    const start = page.cursor === null ? 0 : Number(page.cursor);
    const items = matching.slice(start, start + page.limit);
    const reviewed = matching.filter((b) => b.review !== null);
    return {
      items,
      next_cursor: start + page.limit < matching.length ? String(start + page.limit) : null,
      counts: {
        boxes: matching.length,
        reviewed: reviewed.length,
        accepted: reviewed.filter((b) => b.review?.state === "accepted").length,
        rejected: reviewed.filter((b) => b.review?.state === "rejected").length,
      },
      labels: [...new Set(this.boxes.map((b) => b.label))].map((label) => ({
        label,
        boxes: this.boxes.filter((b) => b.label === label).length,
      })),
      sources: [],
    };
  }

  async decide(decisions: Decision[]): Promise<DecisionsAnswer> {
    this.batches.push(decisions);
    const failure = this.failNext.shift();
    if (failure) throw failure;
    const results = decisions.map((d): DecisionResult => {
      const box = this.boxes.find((b) => b.recording_id === d.recording_id && b.annotation_id === d.annotation_id);
      if (!box) return { recording_id: d.recording_id, annotation_id: d.annotation_id, ok: false, error: "the box was deleted" };
      const labelBefore = d.label !== undefined && d.label !== box.label ? (box.review?.label_before ?? box.label) : (box.review?.label_before ?? null);
      if (d.label !== undefined) box.label = d.label;
      box.review = d.state === null ? null : { state: d.state, by: "me", at: "2026-12-07T15:00:00.000000Z", label_before: labelBefore };
      return { recording_id: d.recording_id, annotation_id: d.annotation_id, ok: true, review: box.review, label: box.label };
    });
    return { results, versions: {} };
  }
}

/** A box of recording `r1` unless told, labelled "Wren", confidence 0.8, unreviewed. */
export function item(id: string, change: Partial<ReviewItem> = {}): ReviewItem {
  return {
    recording_id: "r1",
    filename: "dawn.wav",
    annotation_id: id,
    start_s: 3,
    end_s: 6,
    low_hz: 2000,
    high_hz: 6000,
    label: "Wren",
    confidence: 0.8,
    source: "birdnet",
    review: null,
    duration_s: 60,
    ...change,
  };
}

/** The network is down: what a failed fetch throws through the API client. */
export const offline = () => new ApiError(0, "POST /reviews could not reach the API: TypeError: Failed to fetch");
