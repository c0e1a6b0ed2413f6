import { describe, expect, it } from "vitest";
import { aRecording as recording } from "./fixture";
import { changed, nextPollDelay } from "./poll";

describe("nextPollDelay", () => {
  it("stops when every recording is finished", () => {
    expect(nextPollDelay([recording("a", "COMPLETED"), recording("b", "FAILED")], 0)).toBeNull();
    expect(nextPollDelay([], 0)).toBeNull();
  });

  it("doubles the wait with each quiet poll up to the cap while any is unfinished", () => {
    const list = [recording("a", "COMPLETED"), recording("b", "PROCESSING")];
    expect([0, 1, 2, 3, 4, 10].map((quiet) => nextPollDelay(list, quiet))).toEqual([
      1000, 2000, 4000, 8000, 15000, 15000,
    ]);
    expect(nextPollDelay([recording("c", "PENDING")], 0)).toBe(1000);
  });

  it("goes on while a detector run is queued or running on a rendered recording", () => {
    const detection = { at: "2026-12-07T12:00:00.000000Z", error: null, presets: {} };
    const running = { ...recording("a", "COMPLETED"), detection: { ...detection, state: "running" as const } };
    expect(nextPollDelay([running], 0)).toBe(1000);
    const done = { ...running, detection: { ...detection, state: "done" as const } };
    expect(nextPollDelay([done], 0)).toBeNull();
    expect(changed([running], [done])).toBe(true);
  });
});

describe("changed", () => {
  it("sees a status change, a new recording and a removed one", () => {
    const before = [recording("a", "PENDING")];
    expect(changed(before, [recording("a", "PENDING")])).toBe(false);
    expect(changed(before, [recording("a", "PROCESSING")])).toBe(true);
    expect(changed(before, [recording("b", "PENDING"), recording("a", "PENDING")])).toBe(true);
    expect(changed(before, [])).toBe(true);
  });
});
