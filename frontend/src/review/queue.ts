/**
 * The review routes as the page calls them: a page of the queue (a project's, or one
 * recording's) for the filters, and a batch of decisions.
 */
import type { ApiClient } from "../api/client";
import type { ReviewFilters } from "../page/link";
import type { DecisionsAnswer, Decision, QueuePage } from "../api/types";

/** What the review page needs of the API (tests pass a fake). */
export interface ReviewApi {
  queue(scope: Scope, filters: ReviewFilters, page: { limit: number; cursor: string | null }): Promise<QueuePage>;
  decide(decisions: Decision[]): Promise<DecisionsAnswer>;
}

/** A project's queue (optionally one of its recordings), or a recording's outside any project. */
export type Scope = { projectId: string; recordingId: string | null } | { projectId: null; recordingId: string };

/** The query string of a queue page: the filters as the route names them. */
export function queueQuery(filters: ReviewFilters, page: { limit: number; cursor: string | null }, recording?: string): string {
  const params = new URLSearchParams();
  if (filters.label) params.set("label", filters.label);
  if (filters.source) params.set("source", filters.source);
  if (filters.state) params.set("state", filters.state);
  if (filters.minConfidence !== undefined) params.set("min_confidence", String(filters.minConfidence));
  if (filters.order) params.set("order", filters.order);
  if (filters.seed !== undefined) params.set("seed", String(filters.seed));
  if (recording) params.set("recording", recording);
  params.set("limit", String(page.limit));
  if (page.cursor) params.set("cursor", page.cursor);
  return `?${params.toString()}`;
}

export function reviewApi(api: ApiClient): ReviewApi {
  return {
    queue(scope, filters, page) {
      const path =
        scope.projectId === null
          ? `/recordings/${encodeURIComponent(scope.recordingId)}/review${queueQuery(filters, page)}`
          : `/projects/${encodeURIComponent(scope.projectId)}/review${queueQuery(filters, page, scope.recordingId ?? undefined)}`;
      return api.request("GET", path);
    },
    decide: (decisions) => api.request("POST", "/reviews", { decisions }),
  };
}
