/**
 * How many clips a page shows and how they are laid out: 12 to 24, as many as fit the space
 * at a size a call can still be judged at, so the grid uses the window without scrolling.
 */

export interface GridFit {
  columns: number;
  rows: number;
  /** Clips a page: columns × rows, the queue's page size. */
  pageSize: number;
}

export const FEWEST_CLIPS = 12;
export const MOST_CLIPS = 24;
/** A clip smaller than this (CSS px, caption included) hides the call's shape. */
export const SMALLEST_CLIP = { widthPx: 200, heightPx: 150 };

/**
 * The most clips (12–24) that fit `widthPx` × `heightPx` at least {@link SMALLEST_CLIP} each;
 * of equal counts, the layout with the larger clips. Too small a space still gets 12 clips, in
 * as many columns as fit (the page then scrolls).
 */
export function fitGrid(widthPx: number, heightPx: number): GridFit {
  const fitsColumns = Math.max(1, Math.floor(widthPx / SMALLEST_CLIP.widthPx));
  let best: GridFit | null = null;
  let bestArea = 0;
  for (let columns = 1; columns <= Math.min(fitsColumns, MOST_CLIPS); columns++) {
    const fitsRows = Math.floor(heightPx / SMALLEST_CLIP.heightPx);
    const rows = Math.min(fitsRows, Math.floor(MOST_CLIPS / columns));
    const pageSize = columns * rows;
    if (pageSize < FEWEST_CLIPS) continue;
    const area = (widthPx / columns) * (heightPx / rows);
    if (!best || pageSize > best.pageSize || (pageSize === best.pageSize && area > bestArea)) {
      best = { columns, rows, pageSize };
      bestArea = area;
    }
  }
  if (best) return best;
  const columns = Math.min(fitsColumns, FEWEST_CLIPS);
  return { columns, rows: Math.ceil(FEWEST_CLIPS / columns), pageSize: FEWEST_CLIPS };
}

export type Move = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";

/**
 * The clip an arrow key moves to from clip `index` of `count` laid out in `columns`: left and
 * right run on across rows, up and down stay in the column; the page's edges stop it.
 */
export function moveFocus(index: number, move: Move, columns: number, count: number): number {
  const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns }[move];
  const next = index + step;
  return next >= 0 && next < count ? next : index;
}
