import { describe, expect, it } from "vitest";
import { MIN_REFRESH_MS, refreshDelayMs, scheduleRefresh, type Timers } from "./refresh";

const NOW = Date.parse("2026-12-04T10:00:00Z");

describe("refreshDelayMs", () => {
  it.each([
    ["2026-12-04T11:00:00Z", 48 * 60_000], // an hour left: at 80 %
    ["2026-12-04T10:01:40.000000Z", 80_000], // the API's microseconds
    ["2026-12-04T10:00:20Z", 16_000],
    ["2026-12-04T10:00:10Z", MIN_REFRESH_MS], // 8 s would be too soon
    ["2026-12-04T09:00:00Z", MIN_REFRESH_MS], // already expired
    ["not a date", MIN_REFRESH_MS],
  ])("renews URLs that expire at %s after %i ms", (expiresAt, delay) => {
    expect(refreshDelayMs(expiresAt, NOW)).toBe(delay);
  });
});

/** Timers that run only when told to. */
class FakeTimers implements Timers {
  nowMs = NOW;
  waiting = new Map<number, { run: () => void; at: number }>();
  private next = 1;
  now = () => this.nowMs;
  setTimeout = (run: () => void, ms: number) => {
    this.waiting.set(this.next, { run, at: this.nowMs + ms });
    return this.next++;
  };
  clearTimeout = (id: number) => {
    this.waiting.delete(id);
  };
  /** Move to the next timer and run it. */
  async advance(): Promise<void> {
    const [id, timer] = [...this.waiting].sort((a, b) => a[1].at - b[1].at)[0];
    this.waiting.delete(id);
    this.nowMs = timer.at;
    timer.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe("scheduleRefresh", () => {
  it("refreshes once, at 80 % of the time left", async () => {
    const timers = new FakeTimers();
    const calls: number[] = [];
    scheduleRefresh("2026-12-04T11:00:00Z", async () => calls.push(timers.nowMs), () => {}, timers);
    await timers.advance();
    expect(calls).toEqual([NOW + 48 * 60_000]);
    expect(timers.waiting.size).toBe(0);
  });

  it("tries again after a failure, saying why", async () => {
    const timers = new FakeTimers();
    const failures: unknown[] = [];
    let attempts = 0;
    const refresh = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("network down");
    };
    scheduleRefresh("2026-12-04T11:00:00Z", refresh, (f) => failures.push(f), timers);
    await timers.advance();
    expect(failures).toEqual([new Error("network down")]);
    await timers.advance();
    // 12 min were left after the first attempt: the second comes 80 % of that later.
    expect(timers.nowMs).toBe(NOW + 48 * 60_000 + 0.8 * 12 * 60_000);
    expect(attempts).toBe(2);
    expect(timers.waiting.size).toBe(0);
  });

  it("stops when told to", async () => {
    const timers = new FakeTimers();
    const stop = scheduleRefresh("2026-12-04T11:00:00Z", async () => {}, () => {}, timers);
    stop();
    expect(timers.waiting.size).toBe(0);
  });
});
