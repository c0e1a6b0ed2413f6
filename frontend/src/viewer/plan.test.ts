import { describe, expect, it } from "vitest";
import type { Tile } from "../api/types";
import { place, planDrawing } from "./plan";
import { plotView, pyramidManifest } from "./fixtures";
import { limitsOf } from "./limits";
import { tileName } from "./tiles";
import { panBy, zoomAt, type View } from "./view";

const manifest = pyramidManifest(102); // levels 0..3 at 200, 100, 50, 25 px/s
const view = plotView;
const names = (tiles: Tile[]) => tiles.map(tileName);
const having = (...loaded: string[]) => (tile: Tile) => loaded.includes(tileName(tile));

describe("placing a tile on the canvas", () => {
  const tile = { start_s: 10, px_per_s: 100, width: 4096, height: 400 };

  it("maps the visible part of a tile to device pixels", () => {
    // View 12..17 s at 200 px/s: tile pixels 200..700 onto 0..1000 CSS px, 0..2000 at dpr 2.
    expect(place(tile, view(12, 200), 2, 10_000)).toEqual({ sx: 200, sw: 500, sy: 0, sh: 400, dx: 0, dw: 2000, dy: 0, dh: 800 });
  });

  it("cuts at whole tile pixels and rounds the edges to device pixels", () => {
    const p = place(tile, view(12.004, 400), 1, 10_000);
    expect(p).toMatchObject({ sx: 200, sw: 251, dx: -2, dw: 1004 });
  });

  it("lets neighbouring tiles meet on the same device pixel", () => {
    const left = { start_s: 0.3, px_per_s: 25, width: 4096, height: 400 };
    const right = { ...left, start_s: 0.3 + 4096 / 25 };
    const v = { ...view(160, 333.3), widthPx: 1000 };
    const a = place(left, v, 1.5, 10_000);
    const b = place(right, v, 1.5, 10_000);
    expect(a && b && a.dx + a.dw).toBe(b?.dx);
  });

  it("crops the rows of a frequency band, high frequencies at the top", () => {
    const band = { ...view(12, 200), fMinHz: 2000, fMaxHz: 6000 };
    expect(place(tile, band, 1, 10_000)).toMatchObject({ sy: 160, sh: 160, dy: 0, dh: 400 });
  });

  it("places nothing for a tile outside the view", () => {
    expect(place(tile, view(60, 200), 1, 10_000)).toBeUndefined();
  });
});

describe("what to draw while tiles load", () => {
  const zoomed = view(21, 200); // level 0, tile 1 only; level 1 tile 0; level 3 tile 0

  it("loads the coarsest tile first, then the visible ones", () => {
    const plan = planDrawing(manifest, zoomed, 1, having());
    expect(plan.level).toBe(0);
    expect(names(plan.load)).toEqual(["3/0", "0/1"]);
    expect(plan).toMatchObject({ draw: [], complete: false });
  });

  it("draws coarser levels at hand beneath, coarsest first, until the needed tiles are there", () => {
    const plan = planDrawing(manifest, zoomed, 1, having("3/0", "1/0", "0/4"));
    expect(names(plan.draw)).toEqual(["3/0", "1/0"]);
    expect(plan.complete).toBe(false);
  });

  it("draws only the needed level once it is all there", () => {
    const plan = planDrawing(manifest, zoomed, 1, having("3/0", "1/0", "0/1"));
    expect(names(plan.draw)).toEqual(["0/1"]);
    expect(plan.complete).toBe(true);
  });

  it("needs only the coarsest tile for the whole recording", () => {
    const whole = view(0, 1000 / 102);
    const plan = planDrawing(manifest, whole, 2, having("3/0"));
    expect(names(plan.load)).toEqual(["3/0"]);
    expect(plan).toMatchObject({ level: 3, complete: true });
  });

  it("has nothing to plan for a rendering without tiles", () => {
    const overviewOnly = { ...manifest, tile_levels: [], tiles: [] };
    expect(planDrawing(overviewOnly, zoomed, 1, having())).toEqual({ level: undefined, draw: [], load: [], prefetch: [], complete: true });
  });
});

describe("prefetching for the next move", () => {
  it("names the neighbours, then the sharper level's tiles, then the coarser level's", () => {
    // 50..60 s at 100 px/s: level 1's tile 1; level 0's tile 2; level 2's tile 0.
    const plan = planDrawing(manifest, view(50, 100), 1, having());
    expect(plan.level).toBe(1);
    expect(names(plan.load)).toEqual(["3/0", "1/1"]);
    expect(names(plan.prefetch)).toEqual(["1/0", "1/2", "0/2", "2/0"]);
  });

  it("has no sharper level to name at the sharpest, and nothing it loads anyway", () => {
    const plan = planDrawing(manifest, view(21, 200), 1, having());
    expect(names(plan.prefetch)).toEqual(["0/0", "0/2", "1/0"]);
  });

  const limits = limitsOf(manifest);
  const neededAfter = (next: View) => {
    const plan = planDrawing(manifest, next, 1, having());
    return plan.load.filter((tile) => tile.level === plan.level).map(tileName);
  };
  const starts = [0, 17.3, 40, 61.2, 70, 75, 84];
  const cursors = [0, 130, 500, 777, 1000];

  it.each(starts)("has every tile a 2x zoom in or out at any point needs, from %s s at 100 px/s", (startS) => {
    const before = view(startS, 100);
    const ready = names([...planDrawing(manifest, before, 1, having()).load, ...planDrawing(manifest, before, 1, having()).prefetch]);
    for (const x of cursors) {
      for (const factor of [2, 0.5]) {
        expect(ready).toEqual(expect.arrayContaining(neededAfter(zoomAt(before, x, factor, limits))));
      }
    }
  });

  it.each(starts)("has every tile a pan of a third of the plot needs, from %s s at 200 px/s", (startS) => {
    const before = view(startS, 200);
    const plan = planDrawing(manifest, before, 1, having());
    const ready = names([...plan.load, ...plan.prefetch]);
    for (const dx of [-333, 333]) expect(ready).toEqual(expect.arrayContaining(neededAfter(panBy(before, dx, limits))));
  });
});

describe("a level 0 stored at the frame rate (engine 1.2: 93.75 px/s at 48 kHz)", () => {
  const atFrameRate = pyramidManifest(3600, 93.75);

  it("still zooms to 200 px/s and more: 4x level 0", () => {
    expect(limitsOf(atFrameRate).maxPxPerS).toBe(375);
  });

  it("draws level 0 stretched at 300 px/s, one tile pixel over 3.2 screen pixels", () => {
    const zoomed = view(1800, 300);
    const plan = planDrawing(atFrameRate, zoomed, 1, () => true);
    expect(plan.level).toBe(0);
    expect(plan.complete).toBe(true);
    const [tile] = plan.draw;
    const at = place(tile, zoomed, 1, 10_000) as NonNullable<ReturnType<typeof place>>;
    expect(at.dw / at.sw).toBeCloseTo(300 / 93.75, 1);
  });
});
