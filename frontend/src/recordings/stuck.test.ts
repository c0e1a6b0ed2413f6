import { describe, expect, it } from "vitest";
import { aRecording } from "./fixture";
import { PENDING_STUCK_AFTER_S, STUCK_AFTER_S, clockSkewMs, stuckSentence } from "./stuck";

const since = "2026-12-03T18:00:00.000000Z";
const later = (s: number) => Date.parse("2026-12-03T18:00:00Z") + s * 1000;

describe("stuckSentence", () => {
  it("waits out the job budget, a lease and a sweep before saying so", () => {
    expect(STUCK_AFTER_S).toBe(380);
    const processing = aRecording("a", "PROCESSING", { updated_at: since });
    expect(stuckSentence(processing, later(379))).toBeNull();
    expect(stuckSentence(processing, later(381))).toBe("Seems stuck: processing for 6 min");
    expect(stuckSentence(processing, later(7 * 60 + 59))).toBe("Seems stuck: processing for 7 min");
  });

  it("gives a pending upload its whole upload window first: a big file may still be arriving", () => {
    expect(PENDING_STUCK_AFTER_S).toBe(1260);
    const pending = aRecording("b", "PENDING", { updated_at: since });
    expect(stuckSentence(pending, later(10 * 60))).toBeNull();
    expect(stuckSentence(pending, later(1259))).toBeNull();
    expect(stuckSentence(pending, later(1261))).toBe("Seems stuck: pending for 21 min");
    expect(stuckSentence(pending, later(3600))).toBe("Seems stuck: pending for 60 min");
  });

  it("never calls a finished recording stuck, nor one without a time", () => {
    for (const status of ["COMPLETED", "FAILED"] as const) {
      expect(stuckSentence(aRecording("c", status, { updated_at: since }), later(3600))).toBeNull();
    }
    expect(stuckSentence(aRecording("d", "PENDING", { updated_at: null }), later(3600))).toBeNull();
  });
});

describe("clockSkewMs", () => {
  it("measures a browser clock that is hours off against the server's", () => {
    // The laptop thinks it is 3 h earlier than the server does.
    const received = Date.parse("2026-12-03T15:00:00Z");
    expect(clockSkewMs("2026-12-03T18:00:00.000000Z", received)).toBe(3 * 3600 * 1000);
    const processing = aRecording("a", "PROCESSING", { updated_at: "2026-12-03T17:50:00.000000Z" });
    const skew = clockSkewMs("2026-12-03T18:00:00.000000Z", received);
    expect(stuckSentence(processing, received)).toBeNull();
    expect(stuckSentence(processing, received + skew)).toBe("Seems stuck: processing for 10 min");
  });

  it("takes no skew from a time it cannot read", () => {
    expect(clockSkewMs("soon", 1_000)).toBe(0);
  });
});
