import type { Manifest, Tile } from "../api/types";
import { adjacentLevels, chooseLevel, coarsestLevel, neighbourTiles, visibleTiles } from "./levels";
import { endS, timeToX, type View } from "./view";

/** An image laid out in time: a tile, or the overview (which starts at 0 s). */
export interface Strip {
  start_s: number;
  px_per_s: number;
  width: number;
  height: number;
}

/** Which part of a strip lands where on the canvas, in device pixels. */
export interface Placement {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

/**
 * Where a strip's visible part goes on a canvas of the view's size x `dpr`. The source is
 * cut at whole strip pixels and the destination's left and right edges are rounded to
 * device pixels, so neighbouring tiles meet on the same pixel: no seam, no overlap. The
 * band fMinHz..fMaxHz is cut from rows covering 0..fMaxOfStripHz, row 0 at the top.
 */
export function place(strip: Strip, view: View, dpr: number, fMaxOfStripHz: number): Placement | undefined {
  const first = Math.max(0, Math.floor((view.startS - strip.start_s) * strip.px_per_s));
  const last = Math.min(strip.width, Math.ceil((endS(view) - strip.start_s) * strip.px_per_s));
  if (last <= first) return undefined;
  const dx = Math.round(timeToX(view, strip.start_s + first / strip.px_per_s) * dpr);
  const dxEnd = Math.round(timeToX(view, strip.start_s + last / strip.px_per_s) * dpr);
  const rowsPerHz = strip.height / fMaxOfStripHz;
  return {
    sx: first,
    sw: last - first,
    sy: (fMaxOfStripHz - view.fMaxHz) * rowsPerHz,
    sh: (view.fMaxHz - view.fMinHz) * rowsPerHz,
    dx,
    dw: dxEnd - dx,
    dy: 0,
    dh: Math.round(view.heightPx * dpr),
  };
}

export interface Plan {
  /** The level the view needs; undefined when the rendering has no tiles (overview only). */
  level: number | undefined;
  /** Tiles to draw, back to front: coarser levels first as stand-ins, the needed level on top. */
  draw: Tile[];
  /** Tiles to load, most wanted first. */
  load: Tile[];
  /**
   * Tiles to load once the view is drawn, so the likely next move finds them decoded:
   * the neighbours (a pan), then the sharper level's (a zoom in), then the coarser's (a
   * zoom out). Not in `load`.
   */
  prefetch: Tile[];
  /** Every tile of the needed level is there. */
  complete: boolean;
}

/**
 * What to draw for a view with the tiles at hand (`has`): the needed level's tiles; while
 * some are missing, every coarser level's tiles at hand beneath them, the coarsest (one
 * tile, always loaded first) at the bottom, so the view is never blank.
 */
export function planDrawing(
  manifest: Manifest,
  view: View,
  dpr: number,
  has: (tile: Tile) => boolean,
): Plan {
  const needed = chooseLevel(manifest.tile_levels, view.pxPerS, dpr);
  const coarsest = coarsestLevel(manifest.tile_levels);
  if (!needed || !coarsest) return { level: undefined, draw: [], load: [], prefetch: [], complete: true };
  const shown = visibleTiles(view, manifest.tiles, needed.level);
  const complete = shown.every(has);
  const standIns = complete
    ? []
    : manifest.tile_levels
        .filter((level) => level.level > needed.level)
        .sort((a, b) => b.level - a.level)
        .flatMap((level) => visibleTiles(view, manifest.tiles, level.level).filter(has));
  const fallback = visibleTiles(view, manifest.tiles, coarsest.level);
  const load = unique([...fallback, ...shown]);
  const { finer, coarser } = adjacentLevels(manifest.tile_levels, needed);
  const prefetch = unique([
    ...neighbourTiles(view, manifest.tiles, needed.level),
    // A zoom in at any point of the plot shows part of what is shown now.
    ...(finer ? visibleTiles(view, manifest.tiles, finer.level) : []),
    ...(coarser
      ? visibleTiles(zoomedOutAnywhere(view, needed.px_per_s / coarser.px_per_s), manifest.tiles, coarser.level)
      : []),
  ]).filter((tile) => !load.includes(tile));
  return { level: needed.level, draw: [...standIns, ...shown.filter(has)], load, prefetch, complete };
}

/**
 * How far a zoom out by up to `ratio` at any point of the plot can reach: `ratio - 1`
 * spans more on either side. `ratio` is the step from the needed level to the coarser
 * one (4 since engine 1.3, 2 before), the zoom out that surely needs the coarser level.
 */
function zoomedOutAnywhere(view: View, ratio: number): View {
  const spanS = endS(view) - view.startS;
  return { ...view, startS: view.startS - (ratio - 1) * spanS, pxPerS: view.pxPerS / (2 * ratio - 1) };
}

function unique(tiles: Tile[]): Tile[] {
  return tiles.filter((tile, i) => tiles.indexOf(tile) === i);
}
