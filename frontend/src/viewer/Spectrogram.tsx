import { useEffect, useLayoutEffect, useRef } from "react";
import type { Manifest, Tile } from "../api/types";
import { expose } from "../testhook";
import { colourLookup, colourPixels, type ColourSettings } from "./colour";
import { spectrogramLabel } from "./label";
import { place, planDrawing, type Strip } from "./plan";
import { decoder, type Decoder } from "./decoding";
import { Lru, TileCache, tileName, type TileValues } from "./tiles";
import { hzToY, timeToX, xToTime, yToHz, type View } from "./view";

export interface SpectrogramProps {
  manifest: Manifest;
  view: View;
  colours: ColourSettings;
  /** The recording's name, for the accessible name. */
  label: string;
  /** A tile failed to load (its URL may have expired: a fresh manifest brings new ones). */
  onTileFailed?: (tile: Tile) => void;
}

/** A tile coloured for one colour setting, kept while that setting lasts. */
interface Coloured {
  settings: string;
  /** As the worker coloured it, or coloured here after the settings changed. */
  image: ImageBitmap | OffscreenCanvas;
}

/** A zoom or a jump often needs two tiles at once: one worker would decode them in turn. */
const DECODING_WORKERS = 2;

/** Coloured tiles kept: the visible ones of a few levels, with room to pan back. */
const COLOURED_TILES = 32;

/**
 * The spectrogram of one rendering (remount it, e.g. key it by recording, for another):
 * the needed level's visible tiles coloured in the page, coarser ones beneath while they
 * load, on one canvas the size of the plot at devicePixelRatio.
 */
export function Spectrogram(props: SpectrogramProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The painter draws on animation frames, after renders: it reads the newest props here.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const painter = useRef<Painter>(null);
  useLayoutEffect(() => {
    painter.current = new Painter(latest);
  }, []);

  useLayoutEffect(() => {
    painter.current?.viewChanged(canvasRef.current);
  }, [props.manifest, props.view, props.colours]);

  useEffect(() => {
    const current = painter.current;
    const canvas = () => canvasRef.current?.getBoundingClientRect() ?? new DOMRect();
    const view = () => latest.current.view;
    expose("viewer", {
      get view() {
        return view();
      },
      get level() {
        return current?.level;
      },
      timeToX: (seconds: number) => canvas().left + timeToX(view(), seconds),
      xToTime: (clientX: number) => xToTime(view(), clientX - canvas().left),
      hzToY: (hz: number) => canvas().top + hzToY(view(), hz),
      yToHz: (clientY: number) => yToHz(view(), clientY - canvas().top),
      drawn: () => current?.drawn(),
    });
    return () => current?.stop();
  }, []);

  const { view } = props;
  return (
    <canvas
      ref={canvasRef}
      role="img"
      aria-label={spectrogramLabel(props.label, view)}
      style={{ display: "block", width: view.widthPx, height: view.heightPx }}
    />
  );
}

/** Draws on animation frames, at most one a frame, whenever the view or a tile changes. */
class Painter {
  level: number | undefined;
  private canvas: HTMLCanvasElement | null = null;
  private frame = 0;
  /** performance.now() when the current view was fully drawn; null while it is not. */
  private drawnAt: number | null = null;
  private waiting: ((at: number) => void)[] = [];
  private readonly coloured = new Lru<Coloured>(COLOURED_TILES);
  private lookup: { settings: string; colours: Uint8ClampedArray } = {
    settings: "",
    colours: new Uint8ClampedArray(0),
  };
  private overview: HTMLImageElement | undefined;
  private readonly tiles: TileCache;
  private readonly decoding = sharedDecoder();

  constructor(private readonly props: { current: SpectrogramProps }) {
    this.tiles = new TileCache({
      load: this.decoding.load,
      onTile: (tile, values) => {
        this.adopt(tile, values);
        // Once the view is fully drawn a new tile changes nothing on it (it is prefetched).
        if (this.drawnAt === null) this.schedule();
      },
      onFailure: (tile) => this.props.current.onTileFailed?.(tile),
    });
  }

  viewChanged(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    this.drawnAt = null;
    this.schedule();
  }

  /** Resolves with the time the current view was fully drawn, checked a frame from now. */
  drawn(): Promise<number> {
    return new Promise((resolve) =>
      requestAnimationFrame(() => {
        if (this.drawnAt === null) this.waiting.push(resolve);
        else resolve(this.drawnAt);
      }),
    );
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.tiles.stop();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const context = this.canvas?.getContext("2d");
    if (!this.canvas || !context) return;
    const { manifest, view, colours } = this.props.current;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(view.widthPx * dpr);
    const height = Math.round(view.heightPx * dpr);
    // Setting a canvas's size clears it even when unchanged: only when it changes.
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;

    const lookup = this.lookupFor(colours, manifest);
    context.fillStyle = `rgb(${lookup[0]}, ${lookup[1]}, ${lookup[2]})`;
    context.fillRect(0, 0, width, height);

    const plan = planDrawing(manifest, view, dpr, (tile) => this.tiles.values(tile) !== undefined);
    this.level = plan.level;
    // Prefetching waits until the view is drawn: until then it would compete with the
    // tiles the view needs (and the view may move on), so it is cancelled meanwhile.
    this.tiles.want(plan.complete ? [...plan.load, ...plan.prefetch] : plan.load);
    if (plan.level === undefined) {
      this.drawOverview(context, manifest, view, dpr);
    }
    for (const tile of plan.draw) {
      const values = this.tiles.values(tile);
      const at = place(tile, view, dpr, manifest.f_max_hz);
      if (values && at) {
        const image = this.colouredTile(tile, values, lookup);
        // Smoothing averages columns when shrinking; stretched, it would blur each tile on
        // its own and leave a visible step where two tiles meet, so stretch pixels square.
        context.imageSmoothingEnabled = at.dw < at.sw;
        context.drawImage(image, at.sx, at.sy, at.sw, at.sh, at.dx, at.dy, at.dw, at.dh);
      }
    }
    if (plan.complete && plan.level !== undefined) this.finished();
  }

  private finished(): void {
    // The first full drawing of this view counts; later redraws of it change nothing.
    this.drawnAt ??= performance.now();
    for (const resolve of this.waiting.splice(0)) resolve(this.drawnAt);
  }

  /** A rendering without tiles: the overview PNG (already coloured, viridis, fixed scale). */
  private drawOverview(context: CanvasRenderingContext2D, manifest: Manifest, view: View, dpr: number): void {
    if (!this.overview) {
      this.overview = new Image();
      this.overview.onload = () => this.schedule();
      this.overview.src = manifest.image_url;
    }
    if (!this.overview.complete || !this.overview.naturalWidth) return;
    const strip: Strip = { start_s: 0, ...manifest.overview };
    const at = place(strip, view, dpr, manifest.f_max_hz);
    if (at) context.drawImage(this.overview, at.sx, at.sy, at.sw, at.sh, at.dx, at.dy, at.dw, at.dh);
    this.finished();
  }

  private lookupFor(colours: ColourSettings, manifest: Manifest): Uint8ClampedArray {
    const settings = settingsKey(colours, manifest);
    if (this.lookup.settings !== settings) {
      this.lookup = { settings, colours: colourLookup(colours, manifest.db_range) };
      this.decoding.colourWith({ settings, lookup: this.lookup.colours });
    }
    return this.lookup.colours;
  }

  /** Keep the colouring a tile came with, if it is for the settings of now. */
  private adopt(tile: Tile, values: TileValues): void {
    const coloured = values.coloured;
    if (!coloured) return;
    values.coloured = undefined;
    if (coloured.settings === this.lookup.settings) this.coloured.set(tileName(tile), coloured);
    else coloured.image.close();
  }

  private colouredTile(tile: Tile, values: TileValues, lookup: Uint8ClampedArray): ImageBitmap | OffscreenCanvas {
    const name = tileName(tile);
    const settings = this.lookup.settings;
    const kept = this.coloured.get(name);
    if (kept?.settings === settings) return kept.image;
    // Coloured again after a settings change: the last colouring's canvas is reused.
    const canvas = kept?.image instanceof OffscreenCanvas ? kept.image : new OffscreenCanvas(values.width, values.height);
    const image = new ImageData(values.width, values.height);
    colourPixels(values.values, lookup, image.data);
    canvas.getContext("2d")?.putImageData(image, 0, 0);
    this.coloured.set(name, { settings, image: canvas });
    return canvas;
  }
}

let shared: Decoder | undefined;

/** Decoding workers for the page, started by the first spectrogram (or review clip) and kept. */
export function sharedDecoder(): Decoder {
  shared ??= decoder(
    Array.from(
      { length: DECODING_WORKERS },
      () => new Worker(new URL("./decode.worker.ts", import.meta.url), { type: "module" }),
    ),
  );
  return shared;
}

function settingsKey(colours: ColourSettings, manifest: Manifest): string {
  return `${colours.map} ${colours.floorDb} ${colours.ceilingDb} ${manifest.db_range.max_db}`;
}
