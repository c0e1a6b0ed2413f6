import type { Tile } from "../api/types";
import { colourPixels } from "./colour";

/** A decoded tile: one dB value (0..255) a pixel, row 0 = the highest frequency. */
export interface TileValues {
  width: number;
  height: number;
  values: Uint8Array;
  /**
   * The tile coloured as it was decoded, for the colour settings named: whoever draws
   * takes it (and removes it, since decoded tiles outnumber coloured ones kept).
   */
  coloured?: ColouredTile;
}

/** A tile's pixels through one colour lookup; `settings` names the lookup. */
export interface ColouredTile {
  settings: string;
  image: ImageBitmap;
}

/** The colour lookup the tiles decoded from now on are coloured with too. */
export interface Colouring {
  settings: string;
  lookup: Uint8ClampedArray;
}

/** Where a tile's PNG is: a whole object, or a byte range of an object of tiles. */
export interface TileSource {
  url: string;
  range?: string;
}

export type TileLoader = (source: TileSource, signal: AbortSignal) => Promise<TileValues>;

/**
 * A tile's name in caches: level and index, never the URL, since presigned URLs expire
 * and a fresh manifest brings new ones for the same pixels.
 */
export function tileName(tile: Pick<Tile, "level" | "index">): string {
  return `${tile.level}/${tile.index}`;
}

/** A map that keeps its `capacity` most recently used entries. */
export class Lru<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // A Map iterates in insertion order: re-inserting makes this the newest.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }
}

export interface TileCacheOptions {
  load: TileLoader;
  /** A tile has been decoded: time to draw again. */
  onTile: (tile: Tile, values: TileValues) => void;
  /** A tile could not be loaded (an expired URL, say); it is tried again with a new URL. */
  onFailure?: (tile: Tile, error: unknown) => void;
  maxLoading?: number;
  maxTiles?: number;
}

/**
 * Decoded tiles for one rendering: fetches what the view wants, most wanted first, a few
 * at a time, cancels what it no longer wants, and keeps the most recently used.
 */
export class TileCache {
  private readonly decoded: Lru<TileValues>;
  private readonly loading = new Map<string, AbortController>();
  /** The URL each failed tile failed with: not asked again until the manifest changes it. */
  private readonly failed = new Map<string, string>();
  private queue: Tile[] = [];

  constructor(private readonly options: TileCacheOptions) {
    this.decoded = new Lru(options.maxTiles ?? 150);
  }

  /** A decoded tile, if there is one (and it counts as used). */
  values(tile: Pick<Tile, "level" | "index">): TileValues | undefined {
    return this.decoded.get(tileName(tile));
  }

  /**
   * The tiles wanted now, most wanted first: loads start in this order, and loads of
   * tiles not in the list are cancelled.
   */
  want(tiles: readonly Tile[]): void {
    const wanted = new Set(tiles.map(tileName));
    for (const [name, abort] of this.loading) {
      if (!wanted.has(name)) {
        abort.abort();
        this.loading.delete(name);
      }
    }
    this.queue = tiles.filter((tile) => {
      const name = tileName(tile);
      return !this.decoded.has(name) && !this.loading.has(name) && this.failed.get(name) !== tile.url;
    });
    this.startLoads();
  }

  /** Cancel every load (the viewer is closing). */
  stop(): void {
    this.want([]);
  }

  private startLoads(): void {
    const maxLoading = this.options.maxLoading ?? 6;
    while (this.loading.size < maxLoading && this.queue.length) {
      this.startLoad(this.queue.shift() as Tile);
    }
  }

  private startLoad(tile: Tile): void {
    const name = tileName(tile);
    const abort = new AbortController();
    this.loading.set(name, abort);
    const settle = (keep: () => void) => {
      // A cancelled load's late answer is dropped; its slot was freed when it was cancelled.
      if (this.loading.get(name) !== abort) return;
      this.loading.delete(name);
      keep();
      this.startLoads();
    };
    this.options.load({ url: tile.url, range: "range" in tile ? tile.range : undefined }, abort.signal).then(
      (values) =>
        settle(() => {
          this.decoded.set(name, values);
          this.failed.delete(name);
          this.options.onTile(tile, values);
        }),
      (error: unknown) =>
        settle(() => {
          this.failed.set(name, tile.url);
          this.options.onFailure?.(tile, error);
        }),
    );
  }
}

/**
 * A tile's PNG: its range of its object of tiles (an HTTP Range request), or its own
 * object. A server that ignores Range answers 200 with the whole object: the tile is
 * then cut from it.
 */
export async function fetchTilePng(source: TileSource, signal: AbortSignal, fetcher: typeof fetch = fetch): Promise<Blob> {
  const { url, range } = source;
  const response = await fetcher(url, range ? { signal, headers: { Range: range } } : { signal });
  const what = range ? `${range} of ${url}` : url;
  if (!response.ok) throw new Error(`The tile at ${what} could not be loaded: HTTP ${response.status}`);
  const body = await response.blob();
  if (!range || response.status === 206) return body.slice(0, body.size, "image/png");
  const [first, last] = range.replace("bytes=", "").split("-").map(Number);
  return body.slice(first, last + 1, "image/png");
}

/**
 * Fetch and decode a tile in the browser, and colour it with `colouring` if given.
 * Colour-space conversion and premultiplication are off so the grey PNG's bytes arrive
 * unchanged; red = green = blue = the value.
 */
export async function fetchTileValues(source: TileSource, signal: AbortSignal, colouring?: Colouring): Promise<TileValues> {
  const bitmap = await createImageBitmap(await fetchTilePng(source, signal), {
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
  });
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("This browser gives no 2D canvas to decode tiles with");
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height);
    const values = new Uint8Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = rgba.data[i * 4];
    if (!colouring) return { width, height, values };
    // The grey pixels are read: their buffer takes the colours.
    colourPixels(values, colouring.lookup, rgba.data);
    context.putImageData(rgba, 0, 0);
    return { width, height, values, coloured: { settings: colouring.settings, image: canvas.transferToImageBitmap() } };
  } finally {
    bitmap.close();
  }
}
