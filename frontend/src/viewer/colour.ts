import viridisTable from "../../../chalicelib/spectrogram/viridis.json";
import type { Manifest } from "../api/types";

/**
 * Matplotlib's 256-entry viridis, 8-bit RGB: the engine's own table, which it colours the
 * overview PNG with, so the tiles coloured here look like the overview.
 */
const VIRIDIS = viridisTable.map(([r, g, b]) => [r, g, b] as const);

export type ColourMap = "viridis" | "grey" | "inverted grey";
export const COLOUR_MAPS: readonly ColourMap[] = ["viridis", "grey", "inverted grey"];

/** How tile values become colours; floor and ceiling are dB relative to the loudest cell. */
export interface ColourSettings {
  map: ColourMap;
  floorDb: number;
  ceilingDb: number;
}

/** The overview's look: viridis over the 80 dB below the loudest cell. */
export const OVERVIEW_COLOURS: ColourSettings = { map: "viridis", floorDb: -80, ceilingDb: 0 };

/** The 256 colours of a map, darkest (floor) first, as RGB triples. */
export function palette(map: ColourMap): readonly (readonly [number, number, number])[] {
  if (map === "viridis") return VIRIDIS;
  const ramp = Array.from({ length: 256 }, (_, i) => (map === "grey" ? i : 255 - i));
  return ramp.map((v) => [v, v, v] as const);
}

type DbRange = Manifest["db_range"];

/**
 * Tile value (0..255) -> opaque RGBA, 1024 bytes: one mapping for the whole recording.
 * Value v is the absolute level tile_db_at_0 + v * tile_db_step dB; relative to max_db
 * it is placed between floor and ceiling and coloured by matplotlib's rule (the
 * engine's overview uses it too): index = floor(share * 256), clipped to 0..255.
 */
export function colourLookup(settings: ColourSettings, db: DbRange): Uint8ClampedArray {
  const colours = palette(settings.map);
  const span = Math.max(settings.ceilingDb - settings.floorDb, 1e-9);
  const lookup = new Uint8ClampedArray(256 * 4);
  for (let v = 0; v < 256; v++) {
    const relativeDb = db.tile_db_at_0 + v * db.tile_db_step - db.max_db;
    const share = (relativeDb - settings.floorDb) / span;
    const [r, g, b] = colours[Math.min(255, Math.max(0, Math.floor(share * 256)))];
    lookup.set([r, g, b, 255], v * 4);
  }
  return lookup;
}

/** Colour a tile's values into RGBA pixels through a lookup from {@link colourLookup}. */
export function colourPixels(values: Uint8Array, lookup: Uint8ClampedArray, out: Uint8ClampedArray): void {
  // One 32-bit copy a pixel: the lookup's 4 bytes land in the same order in `out`.
  const colours = new Uint32Array(lookup.buffer, lookup.byteOffset, 256);
  const pixels = new Uint32Array(out.buffer, out.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = colours[values[i]];
}
