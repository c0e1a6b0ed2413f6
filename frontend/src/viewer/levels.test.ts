import { describe, expect, it } from "vitest";
import { adjacentLevels, chooseLevel, coarsestLevel, neighbourTiles, visibleTiles } from "./levels";
import { plotView, pyramidManifest } from "./fixtures";
import type { View } from "./view";

// 102 s at 200 px/s: levels 0..2 at 200, 50, 12.5 px/s with 5, 2 and 1 tiles.
const manifest = pyramidManifest(102);
const levels = manifest.tile_levels;
const view = plotView;

describe("the level a zoom needs", () => {
  it("has the pyramid the engine writes", () => {
    expect(levels.map((l) => [l.px_per_s, l.tiles])).toEqual([
      [200, 5],
      [50, 2],
      [12.5, 1],
    ]);
  });

  it.each([
    [9.8, 1, 2],
    [12.5, 1, 2],
    [12.6, 1, 1],
    [40, 1, 1],
    [25, 2, 1],
    [40, 2, 0],
    [6.25, 2, 2],
    [6.3, 2, 1],
    [50, 1, 1],
    [50.1, 1, 0],
    [100, 2, 0],
    [200, 1, 0],
    [800, 1, 0],
    [800, 2, 0],
  ])("at %s px/s and devicePixelRatio %s draws level %s", (pxPerS, dpr, level) => {
    expect(chooseLevel(levels, pxPerS, dpr)?.level).toBe(level);
  });

  it.each([
    [0, 1, undefined],
    [1, 2, 0],
    [2, undefined, 1],
  ])("knows the levels beside level %s: coarser %s, sharper %s", (level, coarser, finer) => {
    // Listed out of order: the steps follow px/s, not the list.
    const shuffled = [levels[2], levels[0], levels[1]];
    const beside = adjacentLevels(shuffled, levels[level]);
    expect([beside.coarser?.level, beside.finer?.level]).toEqual([coarser, finer]);
  });

  it("knows the coarsest level, and that there may be none", () => {
    expect(coarsestLevel(levels)?.level).toBe(2);
    expect(chooseLevel([], 100, 1)).toBeUndefined();
  });
});

describe("the tiles a view shows", () => {
  const indices = (v: View, level: number) => visibleTiles(v, manifest.tiles, level).map((t) => t.index);

  it("shows the coarsest tile for the whole recording", () => {
    expect(indices(view(0, 1000 / 102), 2)).toEqual([0]);
  });

  it("shows only the tiles under the view, nearest the centre first", () => {
    // Level 0 tiles are 20.48 s wide: 5 s around 41 s straddles tiles 1 and 2 (edge 40.954 s).
    expect(indices(view(38.5, 200), 0)).toEqual([2, 1]);
    expect(indices(view(36, 200), 0)).toEqual([1, 2]);
    expect(indices(view(22, 200), 0)).toEqual([1]);
    // 40 s wide from 45 s at level 1 (tiles 0..81.9 and 81.9..102 s): both, the view's
    // centre (65 s) nearer tile 0's (41 s) than tile 1's (92 s).
    expect(indices(view(45, 25), 1)).toEqual([0, 1]);
    expect(indices(view(50, 25), 1)).toEqual([1, 0]);
  });

  it("leaves out a tile that only touches the view's edge", () => {
    const edge = manifest.tiles[1].end_s;
    expect(indices(view(edge, 200), 0)).toEqual([2]);
    expect(indices(view(edge - 5.001, 200), 0)).toEqual([1]);
    expect(indices(view(edge - 4.999, 200), 0)).toEqual([1, 2]);
  });

  it("reaches the last, narrower tile at the recording's end", () => {
    expect(indices(view(97, 200), 0)).toEqual([4]);
    expect(manifest.tiles.filter((t) => t.level === 0)[4].width).toBe(20_402 - 4 * 4096);
  });

  it("only has tiles for the level it is asked about", () => {
    expect(visibleTiles(view(10, 25), manifest.tiles, 7)).toEqual([]);
  });

  it("names the neighbours on each side for panning", () => {
    const around = (v: View, level: number) => neighbourTiles(v, manifest.tiles, level).map((t) => t.index);
    expect(around(view(22, 200), 0)).toEqual([0, 2]);
    expect(around(view(1, 200), 0)).toEqual([1]);
    expect(around(view(97, 200), 0)).toEqual([3]);
  });
});
