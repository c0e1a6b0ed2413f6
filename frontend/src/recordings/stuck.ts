import type { Recording } from "../api/types";

// The pipeline's own budgets (chalicelib/config.py, chalicelib/sweeper.py): a job runs at
// most 300 s; a dead attempt's lease lapses 20 s later; the sweeper comes back every 60 s
// for a job nobody works on. A status that has not moved for all of that is not waiting for
// anything that is still coming. The API takes such a job over on Regenerate.
const JOB_TIMEOUT_S = 300;
const LEASE_S = 20;
const SWEEP_EVERY_S = 60;
export const STUCK_AFTER_S = JOB_TIMEOUT_S + LEASE_S + SWEEP_EVERY_S;
// Pending may be an upload still on its way (a big file on a field connection): its upload
// URL is good for 15 min and the sweeper gives it 5 more before saying it never arrived.
const UPLOAD_WINDOW_S = 15 * 60;
const LATE_UPLOAD_S = 300;
export const PENDING_STUCK_AFTER_S = UPLOAD_WINDOW_S + LATE_UPLOAD_S + SWEEP_EVERY_S;

/**
 * How far the server's clock is ahead of this one, in ms, from a page it read at `serverTime`
 * and this browser received at `receivedAtMs`. A field laptop's clock can be hours off; the
 * answer's own travel time (well under a second) is not worth correcting for.
 */
export function clockSkewMs(serverTime: string, receivedAtMs: number): number {
  const server = Date.parse(serverTime);
  return Number.isFinite(server) ? server - receivedAtMs : 0;
}

/**
 * "Seems stuck: processing for 7 min" when an unfinished status has not moved for too long,
 * else null; `nowMs` is the server's time (this clock plus `clockSkewMs`).
 */
export function stuckSentence(recording: Recording, nowMs: number): string | null {
  if (recording.status !== "PENDING" && recording.status !== "PROCESSING") return null;
  if (recording.updated_at === null) return null;
  const waitedS = (nowMs - Date.parse(recording.updated_at)) / 1000;
  const patience = recording.status === "PENDING" ? PENDING_STUCK_AFTER_S : STUCK_AFTER_S;
  if (!(waitedS > patience)) return null;
  return `Seems stuck: ${recording.status.toLowerCase()} for ${Math.floor(waitedS / 60)} min`;
}
