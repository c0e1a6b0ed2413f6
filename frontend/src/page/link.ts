import { isState } from "../lab/workProgress";
import type { AssignmentState } from "../api/types";

/**
 * Deep links: the page's URL holds the recording and the view, so a reload, a bookmark
 * or a link sent to a colleague opens the same call at the same zoom.
 * `?recording=<id>&t=<start s>&z=<px per s>&f=<low Hz>-<high Hz>`; anything missing or
 * unreadable falls back to the whole recording.
 */
export interface Place {
  recordingId: string;
  startS?: number;
  pxPerS?: number;
  fMinHz?: number;
  fMaxHz?: number;
}

export function readPlace(search: string): Place | null {
  const params = new URLSearchParams(search);
  const recordingId = params.get("recording");
  if (!recordingId) return null;
  const place: Place = { recordingId };
  const startS = number(params.get("t"));
  if (startS !== undefined && startS >= 0) place.startS = startS;
  const pxPerS = number(params.get("z"));
  if (pxPerS !== undefined && pxPerS > 0) place.pxPerS = pxPerS;
  const band = /^([0-9.]+)-([0-9.]+)$/.exec(params.get("f") ?? "");
  const [fMinHz, fMaxHz] = [number(band?.[1] ?? null), number(band?.[2] ?? null)];
  if (fMinHz !== undefined && fMaxHz !== undefined && fMaxHz > fMinHz) {
    place.fMinHz = fMinHz;
    place.fMaxHz = fMaxHz;
  }
  return place;
}

/** The query string for a place: times to the millisecond, zoom to 4 significant digits. */
export function writePlace(place: Place): string {
  const params = new URLSearchParams({ recording: place.recordingId });
  if (place.startS !== undefined) params.set("t", String(Math.round(place.startS * 1000) / 1000));
  if (place.pxPerS !== undefined) params.set("z", String(Number(place.pxPerS.toPrecision(4))));
  if (place.fMinHz !== undefined && place.fMaxHz !== undefined) {
    params.set("f", `${Math.round(place.fMinHz)}-${Math.round(place.fMaxHz)}`);
  }
  return `?${params.toString()}`;
}

function number(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The review queue's place: `?review=<project id>` (the project's boxes), with `&recording=<id>`
 * one recording's (`?review=&recording=<id>` for a recording outside any project), and the
 * filters, so a reload or a link keeps them: `label`, `source`, `state`, `min`, `order`, `seed`.
 */
export interface ReviewPlace {
  projectId: string | null;
  recordingId: string | null;
  filters: ReviewFilters;
}

/** What the queue is filtered to; a missing one is the server's default. */
export interface ReviewFilters {
  label?: string;
  source?: string;
  state?: string;
  minConfidence?: number;
  order?: string;
  seed?: number;
}

export function readReviewPlace(search: string): ReviewPlace | null {
  const params = new URLSearchParams(search);
  if (!params.has("review")) return null;
  const projectId = params.get("review") || null;
  const recordingId = params.get("recording") || null;
  if (projectId === null && recordingId === null) return null;
  const filters: ReviewFilters = {};
  for (const key of ["label", "source", "state", "order"] as const) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const minConfidence = number(params.get("min"));
  if (minConfidence !== undefined && minConfidence >= 0 && minConfidence <= 1) filters.minConfidence = minConfidence;
  const seed = number(params.get("seed"));
  if (seed !== undefined && Number.isInteger(seed)) filters.seed = seed;
  return { projectId, recordingId, filters };
}

export function writeReviewPlace(place: ReviewPlace): string {
  const params = new URLSearchParams({ review: place.projectId ?? "" });
  if (place.recordingId) params.set("recording", place.recordingId);
  const { label, source, state, minConfidence, order, seed } = place.filters;
  if (label) params.set("label", label);
  if (source) params.set("source", source);
  if (state) params.set("state", state);
  if (minConfidence !== undefined) params.set("min", String(minConfidence));
  if (order) params.set("order", order);
  if (seed !== undefined) params.set("seed", String(seed));
  return `?${params.toString()}`;
}

/**
 * The lab's pages: `?members=<project id>` (its members), `?dashboard=<project id>` (its
 * progress), `?work` (the caller's assignments; `&state=to_do|in_progress|done` and
 * `&project=<project id>` filter them).
 */
export type LabPlace =
  | { page: "members"; projectId: string }
  | { page: "dashboard"; projectId: string }
  | { page: "work"; state?: AssignmentState; projectId?: string };

export function readLabPlace(search: string): LabPlace | null {
  const params = new URLSearchParams(search);
  for (const page of ["members", "dashboard"] as const) {
    const projectId = params.get(page);
    if (projectId) return { page, projectId };
  }
  if (!params.has("work")) return null;
  const state = params.get("state");
  const projectId = params.get("project");
  return { page: "work", ...(isState(state) && { state }), ...(projectId && { projectId }) };
}

export function writeLabPlace(place: LabPlace): string {
  if (place.page !== "work") return `?${new URLSearchParams({ [place.page]: place.projectId }).toString()}`;
  const filters = new URLSearchParams();
  if (place.state) filters.set("state", place.state);
  if (place.projectId) filters.set("project", place.projectId);
  const more = filters.toString();
  return more ? `?work&${more}` : "?work";
}
