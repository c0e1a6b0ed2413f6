/**
 * The tiles the review's clips are cut from: each recording's manifest read once, its tiles
 * fetched, decoded and coloured by the viewer's own cache and workers (viewer/tiles.ts,
 * viewer/decoding.ts) with the recording's colour mapping (viewer/colour.ts), and shared by
 * every clip of that recording. Clips of the page shown come first; the next page's load after.
 */
import type { Manifest, Tile } from "../api/types";
import { colourLookup, colourPixels, OVERVIEW_COLOURS } from "../viewer/colour";
import type { Decoder } from "../viewer/decoding";
import { Lru, TileCache, tileName, type Colouring, type TileValues } from "../viewer/tiles";

/** Tiles kept a recording: a clip needs one or two of a level, a few levels as stand-ins. */
const TILES_PER_RECORDING = 16;
/** Recordings whose tiles are kept: two pages' worth of clips, each of its own recording. */
const RECORDINGS_KEPT = 48;
/** A failed tile reads the manifest again (its URLs may have expired), at most this often. */
const MANIFEST_AGAIN_MS = 30_000;
/** A manifest whose URLs expire sooner than this is read again before use. */
const URLS_MARGIN_MS = 60_000;

/** One recording's tiles, for the clips that show it. */
export class RecordingTiles {
  private readonly cache: TileCache;
  private readonly images = new Lru<ImageBitmap | OffscreenCanvas>(TILES_PER_RECORDING);
  private readonly colouring: Colouring;
  private readonly wants = new Map<string, { priority: number; tiles: Tile[] }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    public manifest: Manifest,
    decoding: Decoder,
    onFailure: () => void,
  ) {
    const lookup = colourLookup(OVERVIEW_COLOURS, manifest.db_range);
    this.colouring = { settings: `clips ${manifest.db_range.max_db}`, lookup };
    this.cache = new TileCache({
      // The workers colour with the colouring of the moment of each request: this recording's.
      load: (source, signal) => {
        decoding.colourWith(this.colouring);
        return decoding.load(source, signal);
      },
      onTile: (tile, values) => {
        this.adopt(tile, values);
        this.changed();
      },
      onFailure,
      maxTiles: TILES_PER_RECORDING,
    });
  }

  /** The tiles a clip wants, most wanted first; `priority` orders clips (lower first). */
  want(clip: string, priority: number, tiles: Tile[]): void {
    this.wants.set(clip, { priority, tiles });
    this.wantAll();
  }

  release(clip: string): void {
    if (this.wants.delete(clip)) this.wantAll();
  }

  wanted(): boolean {
    return this.wants.size > 0;
  }

  has(tile: Tile): boolean {
    return this.cache.values(tile) !== undefined;
  }

  /** The tile coloured, ready to draw; undefined until it is decoded. */
  image(tile: Tile): ImageBitmap | OffscreenCanvas | undefined {
    const kept = this.images.get(tileName(tile));
    if (kept) return kept;
    const values = this.cache.values(tile);
    if (!values) return undefined;
    const canvas = new OffscreenCanvas(values.width, values.height);
    const image = new ImageData(values.width, values.height);
    colourPixels(values.values, this.colouring.lookup, image.data);
    canvas.getContext("2d")?.putImageData(image, 0, 0);
    this.images.set(tileName(tile), canvas);
    return canvas;
  }

  /** The background while tiles load: the floor's colour. */
  floorColour(): string {
    const [r, g, b] = this.colouring.lookup;
    return `rgb(${r}, ${g}, ${b})`;
  }

  /** A fresh manifest (new URLs for the same tiles): the clips plan again with it. */
  renew(manifest: Manifest): void {
    this.manifest = manifest;
    this.changed();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  stop(): void {
    this.cache.stop();
  }

  private wantAll(): void {
    const ordered = [...this.wants.values()].sort((a, b) => a.priority - b.priority).flatMap((want) => want.tiles);
    this.cache.want(ordered.filter((tile, i) => ordered.findIndex((t) => tileName(t) === tileName(tile)) === i));
  }

  private adopt(tile: Tile, values: TileValues): void {
    const coloured = values.coloured;
    if (!coloured) return;
    values.coloured = undefined;
    if (coloured.settings === this.colouring.settings) this.images.set(tileName(tile), coloured.image);
    else coloured.image.close();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Every recording's tiles for the review page: manifests read once each, recordings kept a while. */
export class ClipTiles {
  private readonly manifests = new Map<string, Promise<Manifest>>();
  private readonly recordings = new Map<string, RecordingTiles>();
  private readonly renewedAt = new Map<string, number>();
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly readManifest: (recordingId: string) => Promise<Manifest>,
    private readonly decoding: Decoder,
  ) {}

  /**
   * The recording's manifest, read the first time it is asked for, and again once its URLs
   * are about to expire (a long review outlives them; the audio needs a live one).
   */
  manifest(recordingId: string): Promise<Manifest> {
    const expiresAt = this.expiries.get(recordingId);
    if (expiresAt !== undefined && Date.now() > expiresAt - URLS_MARGIN_MS) {
      this.manifests.delete(recordingId);
      this.expiries.delete(recordingId);
    }
    let manifest = this.manifests.get(recordingId);
    if (!manifest) {
      manifest = this.readManifest(recordingId);
      manifest.then(
        (read) => {
          this.expiries.set(recordingId, Date.parse(read.urls_expire_at));
          this.recordings.get(recordingId)?.renew(read);
        },
        // A failed read is tried again by the next clip that asks.
        () => this.manifests.delete(recordingId),
      );
      this.manifests.set(recordingId, manifest);
    }
    return manifest;
  }

  /** The recording's tiles (once its manifest is read). */
  of(recordingId: string, manifest: Manifest): RecordingTiles {
    let tiles = this.recordings.get(recordingId);
    if (tiles) {
      // The most recently used last: the first ones are let go first.
      this.recordings.delete(recordingId);
    } else {
      tiles = new RecordingTiles(manifest, this.decoding, () => void this.renew(recordingId));
    }
    this.recordings.set(recordingId, tiles);
    this.letGo();
    return tiles;
  }

  stop(): void {
    for (const tiles of this.recordings.values()) tiles.stop();
  }

  private async renew(recordingId: string): Promise<void> {
    const last = this.renewedAt.get(recordingId) ?? -Infinity;
    if (performance.now() - last < MANIFEST_AGAIN_MS) return;
    this.renewedAt.set(recordingId, performance.now());
    this.manifests.delete(recordingId);
    try {
      // A fresh read renews the recording's tiles (see manifest()).
      await this.manifest(recordingId);
    } catch {
      // The clip keeps its stand-ins; the next failed tile asks again.
    }
  }

  private letGo(): void {
    for (const [recordingId, tiles] of this.recordings) {
      if (this.recordings.size <= RECORDINGS_KEPT) return;
      if (tiles.wanted()) continue;
      tiles.stop();
      this.recordings.delete(recordingId);
    }
  }
}
