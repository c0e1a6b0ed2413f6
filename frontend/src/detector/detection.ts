import { backoffDelay, sleep } from "../api/backoff";
import { ApiError } from "../api/client";
import type { Detection, PresetOutcome } from "../api/types";

/** Whether the detection is still to finish: queued or running. */
export function underWay(detection: Detection | null | undefined): boolean {
  return detection?.state === "queued" || detection?.state === "running";
}

const STATE_WORDS: Record<Detection["state"], string> = {
  queued: "Detector queued",
  running: "Detector running…",
  done: "Detector done",
  failed: "Detector failed",
};

/** The headline: the state, and for a failure the server's sentence. */
export function detectionHeadline(detection: Detection): string {
  const words = STATE_WORDS[detection.state];
  return detection.state === "failed" && detection.error ? `${words}: ${detection.error}` : words;
}

/** The list's line for a recording: the state, and once done how many proposals in all. */
export function detectionShort(detection: Detection): string {
  if (detection.state !== "done") return detectionHeadline(detection);
  const proposals = Object.values(detection.presets).reduce((n, outcome) => n + outcome.proposals, 0);
  return `Detector: ${proposals} ${proposals === 1 ? "proposal" : "proposals"}`;
}

/**
 * One preset's diagnostics as Raven gives them: "12 proposals from 40 candidates; refused:
 * 20 too short, 8 too long" (a refusal that did not happen is left out). Proposals left out
 * because the recording's set would have held too many boxes are said last.
 */
export function outcomeWords(outcome: PresetOutcome): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const found = `${plural(outcome.proposals, "proposal", "proposals")} from ${plural(outcome.candidates, "candidate", "candidates")}`;
  const refused = [
    [outcome.refused.too_short, "too short"],
    [outcome.refused.too_long, "too long"],
    [outcome.refused.low_occupancy, "too sparse (low occupancy)"],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, why]) => `${n} ${why}`);
  const words = refused.length ? `${found}; refused: ${refused.join(", ")}` : found;
  return outcome.dropped > 0
    ? `${words}; ${outcome.dropped} left out (a recording holds at most 10 000 boxes)`
    : words;
}

export interface FollowOptions {
  /** The recording's detection now (GET /recordings/{id}). */
  read: () => Promise<Detection | null>;
  onDetection: (detection: Detection | null) => void;
  /** Whether to go on (the page still shows the recording). */
  following: () => boolean;
  wait?: (ms: number) => Promise<void>;
  firstMs?: number;
  maxMs?: number;
}

/**
 * Reads the detection with growing pauses until it is done or failed (or the page stops
 * following); resolves with the last state read. A read that could not reach the API is tried
 * again; a refusal (the recording deleted) ends it, thrown.
 */
export async function followDetection(options: FollowOptions): Promise<Detection | null> {
  const wait = options.wait ?? sleep;
  for (let attempt = 0; ; attempt++) {
    await wait(backoffDelay(attempt, options.firstMs ?? 1000, options.maxMs ?? 10_000));
    if (!options.following()) return null;
    let detection: Detection | null;
    try {
      detection = await options.read();
    } catch (error) {
      // Out of reach for a moment (the client already retried): the next pause tries again.
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) continue;
      throw error;
    }
    if (!options.following()) return null;
    options.onDetection(detection);
    if (!underWay(detection)) return detection;
  }
}
