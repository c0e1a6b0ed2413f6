import { describe, expect, it } from "vitest";
import { readPlace, readReviewPlace, writePlace, writeReviewPlace } from "./link";

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
