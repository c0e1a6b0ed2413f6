import { describe, expect, it } from "vitest";
import { readLabPlace, readPlace, readReviewPlace, writeLabPlace, writePlace, writeReviewPlace } from "./link";

describe("deep links", () => {
  it("round-trips a recording and its view", () => {
    const place = { recordingId: "r-1", startS: 12.3456, pxPerS: 412.345, fMinHz: 2000, fMaxHz: 8000 };
    const search = writePlace(place);
    expect(search).toBe("?recording=r-1&t=12.346&z=412.3&f=2000-8000");
    expect(readPlace(search)).toEqual({ recordingId: "r-1", startS: 12.346, pxPerS: 412.3, fMinHz: 2000, fMaxHz: 8000 });
  });

  it("is no place without a recording", () => {
    expect(readPlace("?t=3")).toBeNull();
    expect(readPlace("")).toBeNull();
  });

  it("drops what it cannot read and keeps the recording", () => {
    expect(readPlace("?recording=abc&t=-1&z=0&f=9000-100")).toEqual({ recordingId: "abc" });
    expect(readPlace("?recording=abc&t=soon&z=Infinity&f=x")).toEqual({ recordingId: "abc" });
  });

  it("keeps only the recording when the view is not known yet", () => {
    expect(writePlace({ recordingId: "a b" })).toBe("?recording=a+b");
    expect(readPlace("?recording=a+b")).toEqual({ recordingId: "a b" });
  });
});

describe("review links", () => {
  it("round-trips a project's queue and its filters", () => {
    const place = {
      projectId: "p1",
      recordingId: null,
      filters: { label: "Eurasian Wren", source: "birdnet", state: "unreviewed", minConfidence: 0.5, order: "sample", seed: 7 },
    };
    const search = writeReviewPlace(place);
    expect(search).toBe("?review=p1&label=Eurasian+Wren&source=birdnet&state=unreviewed&min=0.5&order=sample&seed=7");
    expect(readReviewPlace(search)).toEqual(place);
  });

  it("opens one recording's queue, in a project or outside any", () => {
    expect(readReviewPlace("?review=p1&recording=r1")).toEqual({ projectId: "p1", recordingId: "r1", filters: {} });
    expect(writeReviewPlace({ projectId: null, recordingId: "r1", filters: {} })).toBe("?review=&recording=r1");
    expect(readReviewPlace("?review=&recording=r1")).toEqual({ projectId: null, recordingId: "r1", filters: {} });
  });

  it("is no review without a project or a recording, and drops filters it cannot read", () => {
    expect(readReviewPlace("?recording=r1")).toBeNull();
    expect(readReviewPlace("?review=")).toBeNull();
    expect(readReviewPlace("?review=p1&min=2&seed=x")).toEqual({ projectId: "p1", recordingId: null, filters: {} });
  });
});

describe("lab links", () => {
  it("round-trips a project's members page and dashboard", () => {
    expect(writeLabPlace({ page: "members", projectId: "p 1" })).toBe("?members=p+1");
    expect(readLabPlace("?members=p+1")).toEqual({ page: "members", projectId: "p 1" });
    expect(writeLabPlace({ page: "dashboard", projectId: "p1" })).toBe("?dashboard=p1");
    expect(readLabPlace("?dashboard=p1")).toEqual({ page: "dashboard", projectId: "p1" });
  });

  it("round-trips My work with and without a state", () => {
    expect(readLabPlace(writeLabPlace({ page: "work" }))).toEqual({ page: "work" });
    expect(writeLabPlace({ page: "work", state: "in_progress" })).toBe("?work&state=in_progress");
    expect(readLabPlace("?work&state=in_progress")).toEqual({ page: "work", state: "in_progress" });
    const both = { page: "work", state: "done", projectId: "p 1" } as const;
    expect(writeLabPlace(both)).toBe("?work&state=done&project=p+1");
    expect(readLabPlace(writeLabPlace(both))).toEqual(both);
    expect(readLabPlace("?work&state=finished&project=")).toEqual({ page: "work" });
  });

  it("is no lab page without a project, and drops a state it does not know", () => {
    expect(readLabPlace("?members=")).toBeNull();
    expect(readLabPlace("?recording=r1")).toBeNull();
    expect(readLabPlace("?work&state=finished")).toEqual({ page: "work" });
  });
});
