import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { Detection } from "../api/types";
import { detectionHeadline, detectionShort, followDetection, outcomeWords, underWay } from "./detection";

const at = "2026-12-07T12:00:00.000000Z"; // as the server writes it (chalicelib/clock.py iso)
const queued: Detection = { state: "queued", at, error: null, presets: {} };
const running: Detection = { ...queued, state: "running" };
const done: Detection = {
  state: "done",
  at,
  error: null,
  presets: { Whistles: { proposals: 12, candidates: 40, dropped: 0, refused: { too_short: 20, too_long: 8, low_occupancy: 0 } } },
};

describe("detection state", () => {
  it("says what the detector did and why candidates were refused", () => {
    expect(outcomeWords(done.presets.Whistles)).toBe("12 proposals from 40 candidates; refused: 20 too short, 8 too long");
    expect(outcomeWords({ proposals: 1, candidates: 1, dropped: 0, refused: { too_short: 0, too_long: 0, low_occupancy: 0 } })).toBe(
      "1 proposal from 1 candidate",
    );
    expect(outcomeWords({ proposals: 0, candidates: 3, dropped: 0, refused: { too_short: 0, too_long: 0, low_occupancy: 3 } })).toBe(
      "0 proposals from 3 candidates; refused: 3 too sparse (low occupancy)",
    );
    expect(outcomeWords({ proposals: 2, candidates: 5, dropped: 3, refused: { too_short: 0, too_long: 0, low_occupancy: 0 } })).toBe(
      "2 proposals from 5 candidates; 3 left out (a recording holds at most 10 000 boxes)",
    );
  });

  it("heads with the state, a failure with the server's sentence", () => {
    expect(detectionHeadline(running)).toBe("Detector running…");
    expect(detectionHeadline({ ...queued, state: "failed", error: "the audio could not be read" })).toBe(
      "Detector failed: the audio could not be read",
    );
    expect(underWay(queued) && underWay(running) && !underWay(done) && !underWay(null)).toBe(true);
    expect(detectionShort(done)).toBe("Detector: 12 proposals");
    expect(detectionShort(queued)).toBe("Detector queued");
  });

  it("is followed with growing pauses until done, through a failed read", async () => {
    const answers: (Detection | Error)[] = [queued, new ApiError(0, "could not reach the API"), running, done];
    const waits: number[] = [];
    const seen: (Detection | null)[] = [];
    const last = await followDetection({
      read: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      onDetection: (d) => seen.push(d),
      following: () => true,
      wait: async (ms) => void waits.push(ms),
    });
    expect(last).toEqual(done);
    expect(seen).toEqual([queued, running, done]);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
  });

  it("ends at a refusal", async () => {
    const follow = followDetection({
      read: () => Promise.reject(new ApiError(404, "no recording 'r1'")),
      onDetection: () => undefined,
      following: () => true,
      wait: async () => undefined,
    });
    await expect(follow).rejects.toThrow("no recording 'r1'");
  });

  it("stops when the page stops following", async () => {
    let reads = 0;
    const last = await followDetection({
      read: async () => {
        reads++;
        return running;
      },
      onDetection: () => undefined,
      following: () => reads < 2,
      wait: async () => undefined,
    });
    expect(last).toBeNull();
    expect(reads).toBe(2);
  });
});
