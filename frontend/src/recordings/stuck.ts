import type { Recording } from "../api/types";
import type { PipelineTimings } from "../config";

/**
 * How long an unfinished status may stand still, in seconds, on a stage with these timings
 * (its own settings, from /config.json). Processing: a job runs at most its budget; a dead
 * attempt's lease lapses after it; the sweeper's next visit takes the job over. Pending may be
 * an upload still on its way (a big file on a field connection): its URL is good for a while
 * and the sweeper gives it a little more, at its next visit, before saying it never arrived.
 * A status that has not moved for all of that is not waiting for anything that is still
 * coming; the API takes such a job over on Regenerate.
 */
function patienceS(status: "PENDING" | "PROCESSING", timings: PipelineTimings): number {
  const { jobBudgetS, leaseS, sweepEveryS, uploadUrlS, lateUploadS } = timings;
  return status === "PENDING" ? uploadUrlS + lateUploadS + sweepEveryS : jobBudgetS + leaseS + sweepEveryS;
}

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
 * "Seems stuck: processing for 7 min" when an unfinished status has not moved for longer than
 * this stage's pipeline may take, else null; `nowMs` is the server's time (this clock plus
 * `clockSkewMs`).
 */
export function stuckSentence(recording: Recording, nowMs: number, timings: PipelineTimings): string | null {
  if (recording.status !== "PENDING" && recording.status !== "PROCESSING") return null;
  if (recording.updated_at === null) return null;
  const waitedS = (nowMs - Date.parse(recording.updated_at)) / 1000;
  if (!(waitedS > patienceS(recording.status, timings))) return null;
  return `Seems stuck: ${recording.status.toLowerCase()} for ${Math.floor(waitedS / 60)} min`;
}
