import { describe, expect, it } from "vitest";
import { labApi, workQueryString } from "./labApi";

/** The requests the lab's calls send, by method, path and body. */
function recorder() {
  const sent: unknown[][] = [];
  const api = labApi({ request: async (...args: unknown[]) => void sent.push(args) } as never);
  return { api, sent };
}

describe("the lab's routes", () => {
  it("sends members' changes to the routes docs/api.md names, usernames escaped", async () => {
    const { api, sent } = recorder();
    await api.members("p1");
    await api.addMember("p1", "ann", "viewer");
    await api.changeRole("p1", "a b@lab.org", "owner");
    await api.removeMember("p1", "ann");
    expect(sent).toEqual([
      ["GET", "/projects/p1/members"],
      ["POST", "/projects/p1/members", { username: "ann", role: "viewer" }],
      ["PATCH", "/projects/p1/members/a%20b%40lab.org", { role: "owner" }],
      ["DELETE", "/projects/p1/members/ann"],
    ]);
  });

  it("sends assignments, states, My work and the dashboard", async () => {
    const { api, sent } = recorder();
    await api.assign("p1", { recording_ids: ["r1"], assignees: ["ann", "olga"], blind: true });
    await api.assignments("r1");
    await api.setState("r1", "ann", "done");
    await api.myWork({ state: "to_do", limit: 25 });
    await api.dashboard("p1");
    expect(sent).toEqual([
      ["POST", "/projects/p1/assignments", { recording_ids: ["r1"], assignees: ["ann", "olga"], blind: true }],
      ["GET", "/recordings/r1/assignments"],
      ["PATCH", "/recordings/r1/assignments/ann", { state: "done" }],
      ["GET", "/my-work?state=to_do&limit=25"],
      ["GET", "/projects/p1/dashboard"],
    ]);
  });

  it("leaves out of My work's query what is not chosen", () => {
    expect(workQueryString({})).toBe("");
    expect(workQueryString({ state: undefined, project: "p1", cursor: "k" })).toBe("?project=p1&cursor=k");
  });
});
