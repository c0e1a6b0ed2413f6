/**
 * The view follows the cursor while playing, a page at a time (the zoom stays): once the
 * cursor passes FOLLOW_EDGE of the width, or is outside the view, the next page starts
 * just before it.
 */
import { endS, timeToX, type View } from "../viewer/view";

/** Share of the width the cursor may reach before the page turns. */
export const FOLLOW_EDGE = 0.85;
/** Share of the new page shown before the cursor, so the sound just heard stays in sight. */
export const LEAD = 0.05;

/** The view's new start (s), or null while the cursor needs no page turn. */
export function followedStart(view: View, seconds: number, durationS: number): number | null {
  const x = timeToX(view, seconds);
  if (x >= 0 && x <= FOLLOW_EDGE * view.widthPx) return null;
  const span = endS(view) - view.startS;
  const start = Math.min(Math.max(0, seconds - LEAD * span), Math.max(0, durationS - span));
  // At the recording's end the last page is already shown: nothing to turn.
  return Math.abs(start - view.startS) < 1e-9 ? null : start;
}
