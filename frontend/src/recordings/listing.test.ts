import { describe, expect, it } from "vitest";
import { EVERYTHING, nextPage, pageQuery, previousPage } from "./listing";

describe("pageQuery", () => {
  it("asks for the first page of everything with no parameters", () => {
    expect(pageQuery(EVERYTHING, [])).toEqual({
      q: undefined, status: undefined, project: undefined, cursor: undefined, limit: undefined,
    });
  });

  it("sends the trimmed search, the status, the project and the shown page's cursor", () => {
    const choice = { search: "  dawn chorus ", status: "FAILED" as const, projectId: "p1" };
    expect(pageQuery(choice, ["c1", "c2"], 5)).toEqual({
      q: "dawn chorus", status: "FAILED", project: "p1", cursor: "c2", limit: 5,
    });
    expect(pageQuery({ ...EVERYTHING, search: "   " }, []).q).toBeUndefined();
  });
});

describe("paging", () => {
  it("goes forward by the answer's next cursor and back to where it was", () => {
    const second = nextPage([], "c1");
    const third = nextPage(second, "c2");
    expect(third).toEqual(["c1", "c2"]);
    expect(pageQuery(EVERYTHING, third).cursor).toBe("c2");
    expect(previousPage(third)).toEqual(["c1"]);
    expect(pageQuery(EVERYTHING, previousPage(second)).cursor).toBeUndefined();
  });
});
