import { describe, expect, it } from "vitest";
import { ApiClient } from "../api/client";
import { queueQuery, reviewApi } from "./queue";

describe("the review routes", () => {
  it("name the filters as the queue route takes them", () => {
    expect(queueQuery({ label: "Wren", minConfidence: 0.25, order: "sample", seed: 3 }, { limit: 24, cursor: "abc" }, "r1")).toBe(
      "?label=Wren&min_confidence=0.25&order=sample&seed=3&recording=r1&limit=24&cursor=abc",
    );
    expect(queueQuery({}, { limit: 12, cursor: null })).toBe("?limit=12");
  });

  it("read a project's queue, a recording's, and post decisions to /reviews", async () => {
    const asked: { url: string; method: string; body: unknown }[] = [];
    const api = new ApiClient({
      baseUrl: "http://api",
      token: () => "t",
      fetch: async (url, init) => {
        asked.push({ url: String(url), method: init?.method ?? "GET", body: init?.body ? JSON.parse(String(init.body)) : undefined });
        return new Response("{}", { status: 200 });
      },
    });
    const review = reviewApi(api);
    await review.queue({ projectId: "p 1", recordingId: null }, { state: "unreviewed" }, { limit: 24, cursor: null });
    await review.queue({ projectId: null, recordingId: "r1" }, {}, { limit: 12, cursor: "c" });
    await review.decide([{ recording_id: "r1", annotation_id: "a", state: null }]);
    expect(asked).toEqual([
      { url: "http://api/projects/p%201/review?state=unreviewed&limit=24", method: "GET", body: undefined },
      { url: "http://api/recordings/r1/review?limit=12&cursor=c", method: "GET", body: undefined },
      { url: "http://api/reviews", method: "POST", body: { decisions: [{ recording_id: "r1", annotation_id: "a", state: null }] } },
    ]);
  });
});
