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
/** The clip's best shape, width over height (caption included): a call reads along time. */
const BEST_ASPECT = 1.6;

/**
 * The most clips (12–24) that fit `widthPx` × `heightPx` at least {@link SMALLEST_CLIP} each;
 * of equal counts, the layout whose clips are nearest the best shape. Too small a space still gets 12 clips, in
 * as many columns as fit (the page then scrolls).
 */
export function fitGrid(widthPx: number, heightPx: number): GridFit {
  const fitsColumns = Math.max(1, Math.floor(widthPx / SMALLEST_CLIP.widthPx));
  let best: GridFit | null = null;
  let bestMisfit = Infinity;
  for (let columns = 1; columns <= Math.min(fitsColumns, MOST_CLIPS); columns++) {
    const fitsRows = Math.floor(heightPx / SMALLEST_CLIP.heightPx);
    const rows = Math.min(fitsRows, Math.floor(MOST_CLIPS / columns));
    const pageSize = columns * rows;
    if (pageSize < FEWEST_CLIPS) continue;
    const misfit = Math.abs(Math.log(widthPx / columns / (heightPx / rows) / BEST_ASPECT));
    if (!best || pageSize > best.pageSize || (pageSize === best.pageSize && misfit < bestMisfit)) {
      best = { columns, rows, pageSize };
      bestMisfit = misfit;
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

/**
 * Where focus goes after a decision or a skip on clip `index` of a page of `count`: the next
 * clip, or the next page's first when this page is done (and there is one); else it stays.
 */
export function nextClip(index: number, count: number, hasNextPage: boolean): { page: 0 | 1; index: number } {
  if (index + 1 < count) return { page: 0, index: index + 1 };
  return hasNextPage ? { page: 1, index: 0 } : { page: 0, index };
}
