import { describe, expect, it } from "vitest";
import type { Annotation } from "../api/types";
import { newBox } from "./box";
import { acceptedOnEdit, isProposal, proposalCount, sourceWords } from "./proposals";

const drawn = newBox({ start_s: 1, end_s: 2, low_hz: 1000, high_hz: 3000 }, "p");
const proposal: Annotation = { ...drawn, label: "Whistles", source: "detector:Whistles", review: null };
const reviewer = { username: "ana", now: () => new Date("2026-12-07T12:00:00Z") };

describe("proposals", () => {
  it("are boxes with a source that nobody reviewed", () => {
    expect(isProposal(proposal)).toBe(true);
    expect(isProposal(drawn)).toBe(false);
    expect(isProposal({ ...proposal, source: "birdnet" })).toBe(true);
    const reviewed = { ...proposal, review: { state: "rejected" as const, by: "ana", at: "2026-12-07T11:00:00Z", label_before: "Whistles" } };
    expect(isProposal(reviewed)).toBe(false);
    // A box of a set stored before boxes had a source and a review carries neither: a person's.
    const { source: _s, review: _r, ...older } = drawn;
    expect(isProposal(older)).toBe(false);
    expect(proposalCount([proposal, drawn, { ...proposal, id: "q" }])).toBe(2);
  });

  it.each([
    ["moved", { start_s: 1.5, end_s: 2.5 }],
    ["resized", { high_hz: 4000 }],
    ["relabelled", { label: "Robin" }],
  ])("become accepted when %s, by whom, when, and with the label they had", (_how, change) => {
    const edited = acceptedOnEdit(proposal, { ...proposal, ...change }, reviewer);
    expect(edited).toEqual({
      ...proposal,
      ...change,
      review: { state: "accepted", by: "ana", at: "2026-12-07T12:00:00.000Z", label_before: "Whistles" },
    });
    expect(isProposal(edited)).toBe(false);
  });

  it("stay proposals when an edit touches neither bounds nor label", () => {
    const noted = { ...proposal, notes: "faint" };
    expect(acceptedOnEdit(proposal, noted, reviewer)).toBe(noted);
  });

  it("leave a person's box and a reviewed box as edited", () => {
    const moved = { ...drawn, start_s: 0.5 };
    expect(acceptedOnEdit(drawn, moved, reviewer)).toBe(moved);
    const accepted = acceptedOnEdit(proposal, { ...proposal, label: "Robin" }, reviewer);
    const again = { ...accepted, label: "Wren" };
    expect(acceptedOnEdit(accepted, again, reviewer)).toBe(again);
  });

  it("name their detector preset in words", () => {
    expect(sourceWords("detector:Whistles 2-4 kHz")).toBe("detector: Whistles 2-4 kHz");
    expect(sourceWords("birdnet")).toBe("birdnet");
  });
});
