import { describe, expect, it } from "vitest";
import { doneText, hoursText, isState, labelShares, totals } from "./workProgress";

describe("progress as the pages say it", () => {
  it("reads audio hours as minutes under an hour and hours above", () => {
    expect(hoursText(0)).toBe("0 min");
    expect(hoursText(0.001)).toBe("1 min");
    expect(hoursText(0.5)).toBe("30 min");
    expect(hoursText(2.25)).toBe("2.3 h");
  });

  it("knows the three states only", () => {
    expect(["to_do", "in_progress", "done", "finished", null].map(isState)).toEqual([true, true, true, false, false]);
  });

  it("says how much of a member's work is done", () => {
    expect(doneText({ assigned: 0, done: 0 })).toBe("nothing assigned");
    expect(doneText({ assigned: 5, done: 3 })).toBe("3 of 5 done");
  });

  it("adds the members up and scales label bars to the largest", () => {
    const member = { role: "annotator" as const, name: null, to_do: 0, in_progress: 0 };
    const sums = totals({
      recordings: 9,
      labels: [],
      members: [
        { ...member, username: "a", assigned: 2, done: 1, boxes_drawn: 10, decisions: 4, audio_hours_done: 0.5 },
        { ...member, username: "b", assigned: 3, done: 3, boxes_drawn: 5, decisions: 0, audio_hours_done: 1 },
      ],
    });
    expect(sums).toEqual({ recordings: 9, assigned: 5, done: 4, boxesDrawn: 15, decisions: 4, audioHoursDone: 1.5 });
    expect(labelShares([{ label: "Wren", boxes: 8 }, { label: "Robin", boxes: 2 }]).map((l) => l.share)).toEqual([1, 0.25]);
    expect(labelShares([{ label: "Wren", boxes: 0 }])[0].share).toBe(0);
  });
});
