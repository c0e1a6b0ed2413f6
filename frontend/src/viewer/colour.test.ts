import { describe, expect, it } from "vitest";
import engineTable from "../../../chalicelib/spectrogram/viridis.json";
import { colourLookup, colourPixels, OVERVIEW_COLOURS, palette, type ColourSettings } from "./colour";

// The sample's scale: v means -100 + 0.625 v dB; the loudest cell is +20 dB, so relative to
// it the floor (-80 dB) is v = 64, the middle (-40 dB) v = 128, the ceiling (0 dB) v = 192.
const db = { max_db: 20, floor_db: -80, tile_db_at_0: -100, tile_db_step: 0.625 };
const rgb = (lookup: Uint8ClampedArray, v: number) => Array.from(lookup.slice(v * 4, v * 4 + 4));

describe("viridis", () => {
  it("is the table the engine colours the overview with", () => {
    expect(palette("viridis").map((c) => [...c])).toEqual(engineTable);
  });

  it("is matplotlib's, its float table rounded to 8 bits", () => {
    // Entries of matplotlib's _viridis_data (matplotlib/_cm_listed.py), every 51st.
    const matplotlib: [number, [number, number, number]][] = [
      [0, [0.267004, 0.004874, 0.329415]],
      [51, [0.253935, 0.265254, 0.529983]],
      [102, [0.163625, 0.471133, 0.558148]],
      [153, [0.134692, 0.658636, 0.517649]],
      [204, [0.477504, 0.821444, 0.318195]],
      [255, [0.993248, 0.906157, 0.143936]],
    ];
    expect(palette("viridis")).toHaveLength(256);
    for (const [index, rgb] of matplotlib) {
      expect(palette("viridis")[index]).toEqual(rgb.map((v) => Math.round(v * 255)));
    }
  });

  it("gets lighter from the floor to the top, as viridis does", () => {
    const luma = palette("viridis").map(([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b);
    // Each colour at least as light as the one before, up to 8-bit rounding.
    luma.slice(1).forEach((l, i) => expect(l).toBeGreaterThan(luma[i] - 0.5));
    expect(luma[255] - luma[0]).toBeGreaterThan(180);
  });
});

describe("tile values to colours", () => {
  const overview = colourLookup(OVERVIEW_COLOURS, db);

  it("puts the floor and everything below it at the darkest colour", () => {
    expect(rgb(overview, 64)).toEqual([68, 1, 84, 255]);
    expect(rgb(overview, 0)).toEqual([68, 1, 84, 255]);
    expect(rgb(overview, 65)).toEqual([69, 4, 87, 255]); // 0.625 dB above: index 2
  });

  it("puts the middle at the middle colour", () => {
    expect(rgb(overview, 128)).toEqual([33, 145, 140, 255]);
  });

  it("puts the ceiling and everything above it at the brightest colour", () => {
    expect(rgb(overview, 192)).toEqual([253, 231, 37, 255]);
    expect(rgb(overview, 255)).toEqual([253, 231, 37, 255]);
    expect(rgb(overview, 191)).toEqual([251, 231, 35, 255]); // 0.625 dB below: index 254
  });

  it("follows the floor and ceiling the annotator sets, and grey maps", () => {
    const narrow: ColourSettings = { map: "grey", floorDb: -50, ceilingDb: -10 };
    const grey = colourLookup(narrow, db);
    expect(rgb(grey, 112)).toEqual([0, 0, 0, 255]); // -50 dB
    expect(rgb(grey, 144)).toEqual([128, 128, 128, 255]); // -30 dB
    expect(rgb(grey, 176)).toEqual([255, 255, 255, 255]); // -10 dB
    const inverted = colourLookup({ ...narrow, map: "inverted grey" }, db);
    expect(rgb(inverted, 112)).toEqual([255, 255, 255, 255]);
    expect(rgb(inverted, 144)).toEqual([127, 127, 127, 255]);
  });

  it("colours every pixel of a tile through the lookup", () => {
    const values = Uint8Array.from([0, 128, 255, 64]);
    const out = new Uint8ClampedArray(16);
    colourPixels(values, overview, out);
    expect(Array.from(out)).toEqual([68, 1, 84, 255, 33, 145, 140, 255, 253, 231, 37, 255, 68, 1, 84, 255]);
  });
});
