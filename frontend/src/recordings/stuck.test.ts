import { describe, expect, it } from "vitest";
import type { PipelineTimings } from "../config";
import { aRecording } from "./fixture";
import { clockSkewMs, stuckSentence } from "./stuck";

const since = "2026-12-03T18:00:00.000000Z";
const later = (s: number) => Date.parse("2026-12-03T18:00:00Z") + s * 1000;

// Two stages' /config.json: the local stack sweeps every minute, the cloud's schedule every 5.
const local: PipelineTimings = { jobBudgetS: 300, leaseS: 20, sweepEveryS: 60, uploadUrlS: 900, lateUploadS: 300 };
const cloud: PipelineTimings = { ...local, sweepEveryS: 300 };

describe("stuckSentence", () => {
  it("waits out the job budget, a lease and a sweep before saying so", () => {
    const processing = aRecording("a", "PROCESSING", { updated_at: since });
    // 300 s of budget + 20 s of lease + a 60 s sweep = 380 s.
    expect(stuckSentence(processing, later(379), local)).toBeNull();
    expect(stuckSentence(processing, later(381), local)).toBe("Seems stuck: processing for 6 min");
    expect(stuckSentence(processing, later(7 * 60 + 59), local)).toBe("Seems stuck: processing for 7 min");
  });

  it("waits for the stage's own sweep: the cloud's comes every 5 min", () => {
    const processing = aRecording("a", "PROCESSING", { updated_at: since });
    // 300 + 20 + 300 = 620 s: at 7 min the cloud's sweeper may not have come back yet.
    expect(stuckSentence(processing, later(7 * 60), cloud)).toBeNull();
    expect(stuckSentence(processing, later(619), cloud)).toBeNull();
    expect(stuckSentence(processing, later(621), cloud)).toBe("Seems stuck: processing for 10 min");
  });

  it("follows a longer job budget", () => {
    const processing = aRecording("a", "PROCESSING", { updated_at: since });
    const slower = { ...cloud, jobBudgetS: 900 };
    expect(stuckSentence(processing, later(1219), slower)).toBeNull();
    expect(stuckSentence(processing, later(1221), slower)).toBe("Seems stuck: processing for 20 min");
  });

  it("gives a pending upload its whole upload window first: a big file may still be arriving", () => {
    const pending = aRecording("b", "PENDING", { updated_at: since });
    // A 900 s URL + 300 s late + a sweep: 1,260 s locally, 1,500 s in the cloud.
    expect(stuckSentence(pending, later(10 * 60), local)).toBeNull();
    expect(stuckSentence(pending, later(1259), local)).toBeNull();
    expect(stuckSentence(pending, later(1261), local)).toBe("Seems stuck: pending for 21 min");
    expect(stuckSentence(pending, later(1499), cloud)).toBeNull();
    expect(stuckSentence(pending, later(1501), cloud)).toBe("Seems stuck: pending for 25 min");
    expect(stuckSentence(pending, later(3600), cloud)).toBe("Seems stuck: pending for 60 min");
  });

  it("never calls a finished recording stuck, nor one without a time", () => {
    for (const status of ["COMPLETED", "FAILED"] as const) {
      expect(stuckSentence(aRecording("c", status, { updated_at: since }), later(3600), local)).toBeNull();
    }
    expect(stuckSentence(aRecording("d", "PENDING", { updated_at: null }), later(3600), local)).toBeNull();
  });
});

describe("clockSkewMs", () => {
  it("measures a browser clock that is hours off against the server's", () => {
    // The laptop thinks it is 3 h earlier than the server does.
    const received = Date.parse("2026-12-03T15:00:00Z");
    expect(clockSkewMs("2026-12-03T18:00:00.000000Z", received)).toBe(3 * 3600 * 1000);
    const processing = aRecording("a", "PROCESSING", { updated_at: "2026-12-03T17:50:00.000000Z" });
    const skew = clockSkewMs("2026-12-03T18:00:00.000000Z", received);
    expect(stuckSentence(processing, received, local)).toBeNull();
    expect(stuckSentence(processing, received + skew, local)).toBe("Seems stuck: processing for 10 min");
  });

  it("takes no skew from a time it cannot read", () => {
    expect(clockSkewMs("soon", 1_000)).toBe(0);
  });
});
