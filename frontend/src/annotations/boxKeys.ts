/** What the viewer's box keys decide, without React: the next box, the view that shows it,
 * the label a digit gives, the words a screen reader hears. */
import type { Annotation } from "../api/types";
import type { PlaybackState, Span } from "../audio/playback";
import { centredOn } from "../page/jump";
import { endS, type View } from "../viewer/view";

/** The box canvas carries this attribute: Tab steps through boxes only while it has focus. */
export const BOXES_ATTRIBUTE = "data-box-keys";

/**
 * The box Tab (`step` 1) or Shift+Tab (-1) selects among `boxes` (in time order, as the
 * store keeps them); null past either end, so that Tab moves on out of the boxes. With none
 * selected, Tab takes the first box starting in or after the view, Shift+Tab the last one
 * starting before its end (either end of the list if there is none).
 */
export function steppedBox(boxes: readonly Annotation[], selectedId: string | null, step: 1 | -1, view: View): Annotation | null {
  if (boxes.length === 0) return null;
  const at = selectedId === null ? -1 : boxes.findIndex((box) => box.id === selectedId);
  if (at >= 0) return boxes[at + step] ?? null;
  if (step === 1) return boxes.find((box) => box.start_s >= view.startS) ?? boxes[0];
  const before = boxes.filter((box) => box.start_s <= endS(view));
  return before[before.length - 1] ?? boxes[boxes.length - 1];
}

/** The view unchanged when the box's span is in sight, else moved (and zoomed out if it must) to show it. */
export function viewShowing(view: View, box: Annotation): View {
  const inSight = box.start_s >= view.startS && box.end_s <= endS(view);
  return inSight ? view : centredOn(view, box.start_s, box.end_s);
}

/** What p (once) or o (`loop`) does with the selected box, given what plays now. */
export type BoxPlay = { kind: "span"; span: Span } | { kind: "from"; seconds: number } | { kind: "stop" };

/**
 * Play the box's time span once or looped; pressed again while that span plays, stop it. A
 * point has no span: playback starts at it and runs on.
 */
export function boxPlay(box: Annotation, loop: boolean, now: Pick<PlaybackState, "paused" | "span">): BoxPlay {
  if (box.end_s <= box.start_s) return { kind: "from", seconds: box.start_s };
  const span = { startS: box.start_s, endS: box.end_s, loop };
  const playing = !now.paused && now.span;
  if (playing && playing.startS === span.startS && playing.endS === span.endS && playing.loop === loop) return { kind: "stop" };
  return { kind: "span", span };
}

/** The label key `digit` (1…9) gives, from the project's list (index 0 is key 1); null for none. */
export function labelOfKey(labelKeys: readonly (string | null)[], digit: number): string | null {
  return labelKeys[digit - 1] ?? null;
}

/** The selected box as a screen reader says it: "Box 2 of 5: Wren, 1.20 to 1.80 s". */
export function boxWords(boxes: readonly Annotation[], selectedId: string | null): string {
  const at = boxes.findIndex((box) => box.id === selectedId);
  if (at < 0) return "";
  const box = boxes[at];
  const span = box.end_s === box.start_s ? `at ${box.start_s.toFixed(2)} s` : `${box.start_s.toFixed(2)} to ${box.end_s.toFixed(2)} s`;
  return `Box ${at + 1} of ${boxes.length}: ${box.label || "unlabelled"}, ${span}`;
}
