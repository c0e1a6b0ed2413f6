/** What a wheel turn does to the view: zoom time at the cursor, or pan. */
export type WheelAction = { zoom: number } | { panPx: number };

export interface WheelTurn {
  deltaX: number;
  deltaY: number;
  /** WheelEvent.deltaMode: 0 pixels, 1 lines, 2 pages. */
  deltaMode: number;
  shiftKey: boolean;
}

const LINE_PX = 16;
/** Scrolling this many pixels zooms by 2x (a mouse notch, 100 px, is about 1.26x). */
const PX_PER_DOUBLING = 300;

/**
 * Wheel up zooms in, down out; with Shift, or a sideways swipe, it pans. Browsers turn a
 * Shift+wheel into a sideways scroll on some systems, so the larger delta counts.
 */
export function wheelAction(turn: WheelTurn, pagePx: number): WheelAction {
  const sideways = Math.abs(turn.deltaX) > Math.abs(turn.deltaY);
  if (turn.shiftKey || sideways) {
    return { panPx: (sideways ? turn.deltaX : turn.deltaY) * pixelsPerDelta(turn, pagePx) };
  }
  return { zoom: wheelZoom(turn, pagePx) };
}

/** The zoom factor of a wheel turn, up = closer (also for the frequency band). */
export function wheelZoom(turn: WheelTurn, pagePx: number): number {
  return 2 ** ((-turn.deltaY * pixelsPerDelta(turn, pagePx)) / PX_PER_DOUBLING);
}

function pixelsPerDelta(turn: WheelTurn, pagePx: number): number {
  return turn.deltaMode === 1 ? LINE_PX : turn.deltaMode === 2 ? pagePx : 1;
}
