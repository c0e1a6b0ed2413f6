import { describe, expect, it } from "vitest";
import { clockTicks, ticks, tickStep } from "./ticks";

describe("axis marks", () => {
  it.each([
    [0.7, 1],
    [1, 1],
    [1.3, 2],
    [3, 5],
    [7, 10],
    [0.0031, 0.005],
    [180, 200],
  ])("a gap of at least %s is a step of %s", (gap, step) => {
    expect(tickStep(gap)).toBeCloseTo(step, 12);
  });

  it("marks a 102 s recording on 1000 px every 10 s", () => {
    const marks = ticks(0, 102, 1000, 80);
    expect(marks.map((m) => m.text)).toEqual(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]);
  });

  it("marks a zoomed view in plain seconds with the decimals the step needs", () => {
    // 5 s over 1000 px (200 px/s): a mark every 0.5 s, from 12.0.
    expect(ticks(11.8, 16.8, 1000, 80).map((m) => m.text)).toEqual(
      ["12.0", "12.5", "13.0", "13.5", "14.0", "14.5", "15.0", "15.5", "16.0", "16.5"],
    );
    // 800 px/s: every 0.1 s; 4 h whole on 1000 px: every 2000 s.
    expect(ticks(3600.05, 3601.3, 1000, 80)[0].text).toBe("3600.1");
    expect(ticks(0, 14_400, 1000, 80).map((m) => m.at)).toEqual([0, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_000]);
  });

  it("labels hertz in kilohertz", () => {
    expect(ticks(0, 10_000, 400, 40, 1000).map((m) => m.text)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(ticks(2000, 3000, 400, 40, 1000).map((m) => m.text)).toEqual(
      ["2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "3.0"],
    );
  });

  it("has no marks on an empty axis", () => {
    expect(ticks(5, 5, 1000, 80)).toEqual([]);
  });
});

describe("clock time, for recordings of an hour or more", () => {
  it("marks 4 hours on 1000 px every half hour", () => {
    expect(clockTicks(0, 14_400, 1000, 80).map((m) => m.text)).toEqual(
      ["0:00:00", "0:30:00", "1:00:00", "1:30:00", "2:00:00", "2:30:00", "3:00:00", "3:30:00", "4:00:00"],
    );
  });

  it("counts in minutes and seconds, then in tenths, as the view narrows", () => {
    // 14 s over 1000 px: 1.12 s apart at the least, so every 2 s.
    expect(clockTicks(5394.7, 5408.7, 1000, 80).map((m) => m.text)).toEqual(
      ["1:29:56", "1:29:58", "1:30:00", "1:30:02", "1:30:04", "1:30:06", "1:30:08"],
    );
    // 15 min over 1000 px: 72 s apart at the least, so every 2 min.
    expect(clockTicks(3600, 4500, 1000, 80)[1].text).toBe("1:02:00");
    // 3.5 s over 1000 px: 0.28 s at the least, so every 0.5 s.
    expect(clockTicks(5398.7, 5402.2, 1000, 80).map((m) => m.text).slice(0, 3)).toEqual(
      ["1:29:59.0", "1:29:59.5", "1:30:00.0"],
    );
  });

  it("has no marks on an empty axis", () => {
    expect(clockTicks(5, 5, 1000, 80)).toEqual([]);
  });
});
