import { backoffDelay } from "../api/backoff";
import type { Recording } from "../api/types";
import { underWay } from "../detector/detection";

export const POLL_FIRST_MS = 1000;
export const POLL_MAX_MS = 15000;

/** Whether any recording's spectrogram, or its detector run, is still to finish. */
export function unfinished(recordings: Recording[]): boolean {
  return recordings.some((r) => r.status === "PENDING" || r.status === "PROCESSING" || underWay(r.detection));
}

/**
 * How long to wait before the next list request, or null to stop polling.
 *
 * `quietPolls` counts the polls in a row that changed nothing: the wait doubles with
 * each, and starts again short as soon as something moves.
 */
export function nextPollDelay(recordings: Recording[], quietPolls: number): number | null {
  return unfinished(recordings) ? backoffDelay(quietPolls, POLL_FIRST_MS, POLL_MAX_MS) : null;
}

/** Whether two lists differ in what the page shows while it polls. */
export function changed(before: Recording[], after: Recording[]): boolean {
  const key = (rs: Recording[]) =>
    rs.map((r) => `${r.id}:${r.status}:${r.annotation_count}:${r.detection?.state ?? ""}`).join(",");
  return key(before) !== key(after);
}
