import { describe, expect, it } from "vitest";
import { assignedSentence, assignProblem, everyRowState, pick, toggleRow } from "./assigning";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

describe("an assignment before it is sent", () => {
  it("can be sent with 1 to 100 recordings and one or two members", () => {
    expect(assignProblem({ recording_ids: ids(1), assignees: ["ann"], blind: false })).toBeNull();
    expect(assignProblem({ recording_ids: ids(100), assignees: ["ann", "olga"], blind: true })).toBeNull();
  });

  it("says what is missing or too much", () => {
    expect(assignProblem({ recording_ids: [], assignees: ["ann"], blind: false })).toMatch(/Choose the recordings/);
    expect(assignProblem({ recording_ids: ids(101), assignees: ["ann"], blind: false })).toBe("101 recordings chosen: assign at most 100 at once.");
    expect(assignProblem({ recording_ids: ids(1), assignees: [], blind: false })).toBe("Choose who annotates them.");
    expect(assignProblem({ recording_ids: ids(1), assignees: ["a", "b", "c"], blind: false })).toBe("Choose at most 2 members.");
  });

  it("needs exactly two members for blind double annotation", () => {
    expect(assignProblem({ recording_ids: ids(1), assignees: ["ann"], blind: true })).toBe("Blind double annotation needs exactly two members.");
  });

  it("keeps the last two members picked", () => {
    expect(pick(pick(pick([], "a", true), "b", true), "c", true)).toEqual(["b", "c"]);
    expect(pick(["a", "b"], "a", false)).toEqual(["b"]);
    expect(pick(["a"], "a", true)).toEqual(["a"]);
  });

  it("says what the server did", () => {
    expect(assignedSentence(1, ["ann"], false)).toBe("Assigned 1 recording to ann.");
    expect(assignedSentence(3, ["ann", "olga"], true)).toMatch(/^Assigned 3 recordings to ann and olga, blind/);
  });
});

describe("rows chosen in the listing", () => {
  it("toggles one row without changing the set it came from", () => {
    const none = new Set<string>();
    const one = toggleRow(none, "r1", true);
    expect([...one]).toEqual(["r1"]);
    expect(none.size).toBe(0);
    expect([...toggleRow(one, "r1", false)]).toEqual([]);
  });

  it("shows the every-row box checked, unchecked or in between", () => {
    expect(everyRowState(new Set(), ["a", "b"])).toBe(false);
    expect(everyRowState(new Set(["a"]), ["a", "b"])).toBe("indeterminate");
    expect(everyRowState(new Set(["a", "b", "gone"]), ["a", "b"])).toBe(true);
  });
});
