import { describe, expect, it } from "vitest";
import { pyramidManifest } from "../viewer/fixtures";
import { place, planDrawing } from "../viewer/plan";
import { boxOnClip, clipView } from "./clip";
import { item } from "./fakeServer";

const EXTENT = { durationS: 3600, fMaxHz: 10_000 };

describe("a clip cut from the recording's tiles", () => {
  it("shows the box with padding in time and frequency", () => {
    const view = clipView(item("a", { start_s: 100, end_s: 104, low_hz: 3000, high_hz: 5000 }), EXTENT, 300, 150);
    // 4 s box: 1 s either side; 2 kHz band: 500 Hz (the least) above and below.
    expect(view).toEqual({ startS: 99, pxPerS: 50, widthPx: 300, heightPx: 150, fMinHz: 2500, fMaxHz: 5500 });
    expect(boxOnClip(item("a", { start_s: 100, end_s: 104, low_hz: 3000, high_hz: 5000 }), view)).toEqual({
      x: 50,
      y: 25,
      width: 200,
      height: 100,
    });
  });

  it("stays within the recording, and shows the whole band of a box without one", () => {
    const view = clipView(item("a", { start_s: 0.2, end_s: 3, low_hz: null, high_hz: null }), { durationS: 3.1, fMaxHz: 11_025 }, 200, 100);
    expect(view.startS).toBe(0);
    expect(view.startS + view.widthPx / view.pxPerS).toBeCloseTo(3.1, 9);
    expect([view.fMinHz, view.fMaxHz]).toEqual([0, 11_025]);
  });

  it("draws from the coarsest level sharp enough for the clip, cut at the box's seconds and hertz", () => {
    const manifest = pyramidManifest(3600); // levels at 200, 50, 12.5, ... px/s
    const view = clipView(item("a", { start_s: 1000, end_s: 1004, low_hz: 2000, high_hz: 4000 }), EXTENT, 240, 120);
    expect(view.pxPerS).toBe(40); // 6 s across 240 px
    const plan = planDrawing(manifest, view, 1, () => true);
    expect(plan.level).toBe(1); // 50 px/s ≥ 40: the coarsest level sharp enough
    expect(plan.complete).toBe(true);
    const [tile] = plan.draw;
    const at = place(tile, view, 1, manifest.f_max_hz);
    // The clip's 999–1005 s of the level's pixels, and its 1.5–4.5 kHz of 400 rows over 0–10 kHz.
    expect(at?.sx).toBe(Math.floor((999 - tile.start_s) * 50));
    expect(at?.sw).toBeGreaterThanOrEqual(300);
    expect(at?.sw).toBeLessThanOrEqual(302);
    expect(at?.sy).toBeCloseTo(((10_000 - 4500) * 400) / 10_000, 9);
    expect(at?.sh).toBeCloseTo((3000 * 400) / 10_000, 9);
    expect([at?.dy, at?.dh]).toEqual([0, 120]);
  });

  it("asks for the coarsest tile first and the needed one, so a clip is never blank", () => {
    const manifest = pyramidManifest(3600);
    const view = clipView(item("a", { start_s: 1000, end_s: 1003 }), EXTENT, 240, 120);
    const plan = planDrawing(manifest, view, 2, () => false);
    expect(plan.level).toBe(0); // at devicePixelRatio 2, 96 px/s: only level 0 is sharp enough
    const coarsest = Math.max(...manifest.tile_levels.map((l) => l.level));
    const [first, ...rest] = plan.load.map((tile) => tile.level);
    expect(first).toBe(coarsest);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((level) => level === 0)).toBe(true);
  });
});
