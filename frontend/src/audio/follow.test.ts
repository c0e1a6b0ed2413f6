import { describe, expect, it } from "vitest";
import type { View } from "../viewer/view";
import { followedStart } from "./follow";

// 10 s on 1000 px, from 10 s.
const VIEW: View = { startS: 10, pxPerS: 100, widthPx: 1000, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };

describe("followedStart", () => {
  it.each([
    [10, null], // at the left edge
    [18.4, null], // 840 px: still left of 85 %
    [18.6, 18.1], // 860 px: the page turns, the cursor 5 % into it
    [21, 20.5], // past the view (a seek while playing)
    [4, 3.5], // before the view
    [0.2, 0], // never before the recording
  ])("at %f s the view moves to %s", (seconds, start) => {
    const moved = followedStart(VIEW, seconds, 100);
    if (start === null) expect(moved).toBeNull();
    else expect(moved).toBeCloseTo(start, 9);
  });

  it("keeps the zoom: only the start changes, and never past the recording's last page", () => {
    expect(followedStart(VIEW, 19, 25)).toBe(15);
    expect(followedStart({ ...VIEW, startS: 15 }, 24, 25)).toBeNull();
  });
});
