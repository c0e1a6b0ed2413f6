import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import type { MeasurementsAnswer } from "../api/types";
import { MeasurementPoll } from "./measuring";

/** A poll over scripted answers; waits are recorded and the clock moves by them, no timers. */
function scripted(answers: (MeasurementsAnswer | Error)[], giveUpMs = 60_000) {
  const waits: number[] = [];
  const seen: MeasurementsAnswer[] = [];
  let now = 0;
  let gaveUp = false;
  const poll = new MeasurementPoll({
    getMeasurements: async () => {
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      if (next instanceof Error) throw next;
      return next;
    },
    recordingId: "r1",
    onAnswer: (answer) => seen.push(answer),
    onGiveUp: () => {
      gaveUp = true;
    },
    wait: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    clock: () => now,
    firstMs: 1000,
    maxMs: 8000,
    giveUpMs,
  });
  return { poll, waits, seen, gaveUp: () => gaveUp };
}

const pending = (...ids: string[]): MeasurementsAnswer => ({ measurements: {}, pending: ids });
const done: MeasurementsAnswer = { measurements: { a: { "Peak Freq (Hz)": 3000 } }, pending: [] };

describe("MeasurementPoll", () => {
  it("asks again with growing pauses while boxes are pending, and stops when none are", async () => {
    const { poll, waits, seen } = scripted([pending("a"), pending("a"), pending("a"), pending("a"), pending("a"), done]);
    await poll.start();
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(seen.at(-1)).toEqual(done);
    expect(seen).toHaveLength(6);
  });

  it("asks once when nothing is pending", async () => {
    const { poll, waits, seen } = scripted([done]);
    await poll.start();
    expect(waits).toEqual([]);
    expect(seen).toEqual([done]);
  });

  it("keeps asking through an API out of reach, and stops at a refusal", async () => {
    const unreachable = scripted([new ApiError(0, "could not reach the API"), done]);
    await unreachable.poll.start();
    expect(unreachable.seen).toEqual([done]);
    const refused = scripted([new ApiError(404, "no route"), done]);
    await refused.poll.start();
    expect(refused.seen).toEqual([]);
    expect(refused.waits).toEqual([]);
  });

  it("gives up when the worker takes longer than it may", async () => {
    const slow = scripted([pending("a")], 10_000);
    await slow.poll.start();
    expect(slow.gaveUp()).toBe(true);
    expect(slow.waits).toEqual([1000, 2000, 4000, 8000]);
  });

  it("drops the answer of a round stopped while it was asking (the recording was left)", async () => {
    const { poll, seen, waits } = scripted([pending("a"), done]);
    const first = poll.start();
    poll.stop();
    await first;
    expect(seen).toEqual([]);
    expect(waits).toEqual([]);
  });
});
