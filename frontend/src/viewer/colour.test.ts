import { describe, expect, it } from "vitest";
import engineColormap from "../../../chalicelib/spectrogram/colormap.py?raw";
import { colourLookup, colourPixels, OVERVIEW_COLOURS, palette, type ColourSettings } from "./colour";

// The sample's scale: v means -100 + 0.625 v dB; the loudest cell is +20 dB, so relative to
// it the floor (-80 dB) is v = 64, the middle (-40 dB) v = 128, the ceiling (0 dB) v = 192.
const db = { max_db: 20, floor_db: -80, tile_db_at_0: -100, tile_db_step: 0.625 };
const rgb = (lookup: Uint8ClampedArray, v: number) => Array.from(lookup.slice(v * 4, v * 4 + 4));
const hex = (value: string) => [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16));

describe("viridis", () => {
  it("is the engine's table, entry for entry", () => {
    const table = /_VIRIDIS_HEX = """([^"]*)"""/.exec(engineColormap)?.[1].trim().split(/\s+/) ?? [];
    expect(table).toHaveLength(256);
    expect(palette("viridis").map((c) => [...c])).toEqual(table.map(hex));
  });

  it("runs from matplotlib's dark purple to its yellow", () => {
    expect(palette("viridis")[0]).toEqual([68, 1, 84]);
    expect(palette("viridis")[128]).toEqual([33, 145, 140]);
    expect(palette("viridis")[255]).toEqual([253, 231, 37]);
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
