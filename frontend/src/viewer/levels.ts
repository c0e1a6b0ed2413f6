import type { Tile, TileLevel } from "../api/types";
import { endS, type View } from "./view";

/**
 * The level to draw: the coarsest whose resolution still covers every device pixel
 * (px/s >= screen px/s x devicePixelRatio), else the finest, level 0. Undefined when the
 * rendering has no tiles.
 */
export function chooseLevel(
  levels: readonly TileLevel[],
  pxPerS: number,
  devicePixelRatio: number,
): TileLevel | undefined {
  const needed = pxPerS * devicePixelRatio;
  const sharpEnough = levels.filter((level) => level.px_per_s >= needed);
  const pool = sharpEnough.length ? sharpEnough : levels;
  const pick = sharpEnough.length ? Math.min : Math.max;
  const px = pick(...pool.map((level) => level.px_per_s));
  return pool.find((level) => level.px_per_s === px);
}

/** The coarsest level: one tile over the whole recording, the fallback under everything. */
export function coarsestLevel(levels: readonly TileLevel[]): TileLevel | undefined {
  return chooseLevel(levels, 0, 1);
}

/** The levels one step sharper and one step coarser than `level`, where there are such. */
export function adjacentLevels(
  levels: readonly TileLevel[],
  level: TileLevel,
): { finer: TileLevel | undefined; coarser: TileLevel | undefined } {
  const byPx = [...levels].sort((a, b) => a.px_per_s - b.px_per_s);
  const at = byPx.indexOf(level);
  return { finer: byPx[at + 1], coarser: at > 0 ? byPx[at - 1] : undefined };
}

/** The tiles of `level` that the view shows (any overlap), nearest the view's centre first. */
export function visibleTiles(view: View, tiles: readonly Tile[], level: number): Tile[] {
  const start = view.startS;
  const end = endS(view);
  const centre = (start + end) / 2;
  const distance = (tile: Tile) => Math.abs((tile.start_s + tile.end_s) / 2 - centre);
  return tiles
    .filter((tile) => tile.level === level && tile.end_s > start && tile.start_s < end)
    .sort((a, b) => distance(a) - distance(b));
}

/** The tiles of `level` just outside the view on either side: fetched next, for panning. */
export function neighbourTiles(view: View, tiles: readonly Tile[], level: number): Tile[] {
  const shown = visibleTiles(view, tiles, level).map((tile) => tile.index);
  if (!shown.length) return [];
  const before = Math.min(...shown) - 1;
  const after = Math.max(...shown) + 1;
  return tiles.filter((tile) => tile.level === level && (tile.index === before || tile.index === after));
}
