import type { Annotation } from "../api/types";

export type Bounds = Pick<Annotation, "start_s" | "end_s" | "low_hz" | "high_hz">;

/** Who created a box and who changed it last, when: the server signs every box it stores. */
const SIGNATURE = ["created_by", "updated_by", "updated_at"] as const;

/**
 * A box just drawn: unlabelled, on the first channel, with an id of our own (the server takes
 * any [A-Za-z0-9_-]{1,64}); a person's (no source) and so never a proposal. Unsigned until
 * the server stores it.
 */
export function newBox(bounds: Bounds, id: string = crypto.randomUUID()): Annotation {
  return {
    id,
    ...bounds,
    label: "",
    confidence: null,
    notes: null,
    measurements: {},
    attributes: {},
    channel: 1,
    source: null,
    review: null,
    created_by: null,
    updated_by: null,
    updated_at: null,
  };
}

/** A point (a click, an Audacity point label) ends where it starts: a marker, not a box. */
export function isPoint(box: Bounds): boolean {
  return box.end_s === box.start_s;
}

/** A point just marked at `seconds`: across the whole band, as Audacity's point labels are. */
export function newPoint(seconds: number, id?: string): Annotation {
  return newBox({ start_s: seconds, end_s: seconds, low_hz: null, high_hz: null }, id);
}

/**
 * Same content, field by field (boxes come from JSON: plain values, nested one level); the
 * signature is the server's, stamped on what we send, so it is not compared.
 */
export function sameBox(a: Annotation, b: Annotation): boolean {
  return a === b || JSON.stringify(unsigned(a)) === JSON.stringify(unsigned(b));
}

function unsigned(box: Annotation): Partial<Annotation> {
  const content: Partial<Annotation> = { ...box };
  for (const name of SIGNATURE) delete content[name];
  return content;
}

/** Boxes in time order, as the list shows them and as "next box" steps through them. */
export function byStart(boxes: Iterable<Annotation>): Annotation[] {
  return [...boxes].sort((a, b) => a.start_s - b.start_s || a.end_s - b.end_s || a.id.localeCompare(b.id));
}
