import type { Annotation, Review } from "../api/types";

/**
 * A box a machine proposed (a detector, an imported BirdNET table) that nobody has reviewed
 * yet: drawn dashed, counted apart, hidden on request. A box a person drew has no source.
 */
export function isProposal(box: Annotation | OlderBox): boolean {
  return "source" in box && box.source !== null && box.review === null;
}

/**
 * A box of a set stored before boxes had a source and a review: the API serves a set as it
 * was stored, so such a box lacks both fields. A person drew it.
 */
export type OlderBox = Omit<Annotation, "source" | "review">;

/** Who is editing, and the clock the review's time is read from. */
export interface Reviewer {
  username: string | null;
  now: () => Date;
}

/**
 * The box as a person's edit leaves it: moving, resizing or relabelling a proposal accepts
 * it (the person vouches for the box as it now is), remembering the label it had. Any other
 * edit, or an edit of a box that is no proposal, changes nothing more.
 */
export function acceptedOnEdit(before: Annotation, after: Annotation, reviewer: Reviewer): Annotation {
  if (!isProposal(before) || (!reshaped(before, after) && before.label === after.label)) return after;
  const review: Review = {
    state: "accepted",
    by: reviewer.username,
    at: reviewer.now().toISOString(),
    label_before: before.label,
  };
  return { ...after, review };
}

function reshaped(a: Annotation, b: Annotation): boolean {
  return a.start_s !== b.start_s || a.end_s !== b.end_s || a.low_hz !== b.low_hz || a.high_hz !== b.high_hz;
}

/** How many of the boxes are proposals (the box list says "12 proposals"). */
export function proposalCount(boxes: readonly Annotation[]): number {
  return boxes.reduce((n, box) => n + (isProposal(box) ? 1 : 0), 0);
}

/** What the list says of where a proposal came from: "detector: Whistles", "birdnet". */
export function sourceWords(source: string): string {
  return source.replace(/^detector:/, "detector: ");
}
