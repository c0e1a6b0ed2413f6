import type { View } from "../viewer/view";

/** Of a box's span, this much of the plot's width at most, so its edges stay in sight. */
const SPAN_OF_WIDTH = 0.8;

/**
 * The view moved so that `startS..endS` sits in its middle, at the same zoom when the
 * span fits and zoomed out just enough when it does not (the viewer clamps the result to
 * the recording). Jumping to a box from the list must never leave it half off screen.
 */
export function centredOn(view: View, startS: number, endS: number): View {
  const pxPerS = Math.min(view.pxPerS, (SPAN_OF_WIDTH * view.widthPx) / (endS - startS));
  const shownS = view.widthPx / pxPerS;
  return { ...view, pxPerS, startS: Math.max(0, (startS + endS) / 2 - shownS / 2) };
}
