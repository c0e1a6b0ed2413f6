import { describe, expect, it } from "vitest";
import type { Manifest, Tile } from "../api/types";
import { place, planDrawing } from "./plan";
import { plotView, pyramidManifest } from "./fixtures";
import { limitsOf } from "./limits";
import { tileName } from "./tiles";
import { clampView, panBy, zoomAt, type View } from "./view";

const manifest = pyramidManifest(102); // levels 0..2 at 200, 50, 12.5 px/s
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
  const zoomed = view(21, 200); // level 0, tile 1 only; level 1 tile 0; level 2 tile 0

  it("loads the coarsest tile first, then the visible ones", () => {
    const plan = planDrawing(manifest, zoomed, 1, having());
    expect(plan.level).toBe(0);
    expect(names(plan.load)).toEqual(["2/0", "0/1"]);
    expect(plan).toMatchObject({ draw: [], complete: false });
  });

  it("draws coarser levels at hand beneath, coarsest first, until the needed tiles are there", () => {
    const plan = planDrawing(manifest, zoomed, 1, having("2/0", "1/0", "0/4"));
    expect(names(plan.draw)).toEqual(["2/0", "1/0"]);
    expect(plan.complete).toBe(false);
  });

  it("draws only the needed level once it is all there", () => {
    const plan = planDrawing(manifest, zoomed, 1, having("2/0", "1/0", "0/1"));
    expect(names(plan.draw)).toEqual(["0/1"]);
    expect(plan.complete).toBe(true);
  });

  it("needs only the coarsest tile for the whole recording", () => {
    const whole = view(0, 1000 / 102);
    const plan = planDrawing(manifest, whole, 1, having("2/0"));
    expect(names(plan.load)).toEqual(["2/0"]);
    expect(plan).toMatchObject({ level: 2, complete: true });
  });

  it("has nothing to plan for a rendering without tiles", () => {
    const overviewOnly = { ...manifest, tile_levels: [], tiles: [] };
    expect(planDrawing(overviewOnly, zoomed, 1, having())).toEqual({ level: undefined, draw: [], load: [], prefetch: [], complete: true });
  });
});

describe("prefetching for the next move", () => {
  it("names the neighbours, then the sharper level's tiles, then the coarser level's", () => {
    // 600 s: levels 0..3 at 200, 50, 12.5, 3.125 px/s, tiles 20.48, 81.92, 327.68 s and all.
    // 250..275 s at 40 px/s: level 1's tile 3; level 0's tiles 12 and 13; a zoom out by
    // 4 (the step to level 2) reaches 175..350 s: level 2's tiles 0 and 1.
    const plan = planDrawing(pyramidManifest(600), view(250, 40), 1, having());
    expect(plan.level).toBe(1);
    expect(names(plan.load)).toEqual(["3/0", "1/3"]);
    expect(names(plan.prefetch)).toEqual(["1/2", "1/4", "0/12", "0/13", "2/0", "2/1"]);
  });

  it("reaches as far as a zoom out by the manifest's step: 2 before engine 1.3", () => {
    // Levels at 200, 100, 50, 25 px/s: 250..275 s at 40 px/s is level 2's tile 3; a zoom
    // out by 2 reaches 225..300 s, in level 3's tile 1 (163.84..327.68 s) alone.
    const plan = planDrawing(pyramidManifest(600, { step: 2 }), view(250, 40), 1, having());
    expect(plan.level).toBe(2);
    expect(names(plan.load)).toEqual(["5/0", "2/3"]);
    expect(names(plan.prefetch)).toEqual(["2/2", "2/4", "1/6", "3/1"]);
  });

  it("has no sharper level to name at the sharpest, and nothing it loads anyway", () => {
    const plan = planDrawing(manifest, view(21, 200), 1, having());
    expect(names(plan.prefetch)).toEqual(["0/0", "0/2", "1/0"]);
  });

  const neededAfter = (pyramid: Manifest, next: View) => {
    const plan = planDrawing(pyramid, next, 1, having());
    return plan.load.filter((tile) => tile.level === plan.level).map(tileName);
  };
  const readyAt = (pyramid: Manifest, at: View) => {
    const plan = planDrawing(pyramid, at, 1, having());
    return names([...plan.load, ...plan.prefetch]);
  };
  const cursors = [0, 130, 500, 777, 1000];

  // Engine 1.3 writes a level a quarter of the one before, earlier engines a half: the
  // prefetch follows the manifest's step. At 100, 30 and 8 px/s the needed level has a
  // coarser one in both.
  describe.each([2, 4])("with levels %sx apart", (step) => {
    const pyramid = pyramidManifest(600, { step });
    const zooms = [1 / step, 0.5, 2, step].filter((factor, i, all) => all.indexOf(factor) === i);
    const views = [100, 30, 8].flatMap((pxPerS) => [0, 17.3, 61.2, 250, 327, 480, 590].map((startS) => [startS, pxPerS]));

    it.each(views)("has every tile a zoom in or out by up to the step at any point needs, from %s s at %s px/s", (startS, pxPerS) => {
      const limits = limitsOf(pyramid);
      const before = clampView(view(startS, pxPerS), limits);
      const ready = readyAt(pyramid, before);
      for (const x of cursors) {
        for (const factor of zooms) {
          expect(ready).toEqual(expect.arrayContaining(neededAfter(pyramid, zoomAt(before, x, factor, limits))));
        }
      }
    });
  });

  const starts = [0, 17.3, 40, 61.2, 70, 75, 84];
  const limits = limitsOf(manifest);

  it.each(starts)("has every tile a pan of a third of the plot needs, from %s s at 200 px/s", (startS) => {
    const before = view(startS, 200);
    const ready = readyAt(manifest, before);
    for (const dx of [-333, 333]) expect(ready).toEqual(expect.arrayContaining(neededAfter(manifest, panBy(before, dx, limits))));
  });
});

describe("a level 0 stored at the frame rate (engine 1.2: 93.75 px/s at 48 kHz)", () => {
  const atFrameRate = pyramidManifest(3600, { px0: 93.75 });

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
