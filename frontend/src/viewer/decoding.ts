import type { Colouring, TileLoader, TileSource, TileValues } from "./tiles";

/**
 * Tiles are fetched, decoded and coloured in a worker, off the page's thread: a PNG's
 * inflate, the read back, the copy of one byte a pixel and the colouring take tens of ms
 * a tile, and on the page's thread they would hold up the next wheel turn's drawing.
 */
export type DecodeRequest = { id: number; source: TileSource; colouring?: Colouring } | { id: number; cancel: true };
export type DecodeAnswer = { id: number; tile: TileValues } | { id: number; error: string };

/** One end of a message channel: a Worker, the worker's own scope, a MessagePort. */
export interface Port {
  postMessage(message: unknown, options?: { transfer: Transferable[] }): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** How the worker loads a tile: fetched, decoded, and coloured when a colouring is given. */
export type ColouringLoader = (source: TileSource, signal: AbortSignal, colouring?: Colouring) => Promise<TileValues>;

/** The worker's side: loads with `load` what the page asks for, until it cancels. */
export function serveDecodes(port: Port, load: ColouringLoader): void {
  const loads = new Map<number, AbortController>();
  port.onmessage = (event: MessageEvent<DecodeRequest>) => {
    const request = event.data;
    if ("cancel" in request) {
      loads.get(request.id)?.abort();
      loads.delete(request.id);
      return;
    }
    const { id } = request;
    const abort = new AbortController();
    loads.set(id, abort);
    load(request.source, abort.signal, request.colouring).then(
      (tile) => {
        // The values' bytes and the coloured image move to the page rather than being copied.
        const transfer: Transferable[] = [tile.values.buffer as ArrayBuffer];
        if (tile.coloured) transfer.push(tile.coloured.image);
        if (loads.delete(id)) port.postMessage({ id, tile }, { transfer });
        else tile.coloured?.image.close();
      },
      (error: unknown) => {
        if (loads.delete(id)) port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
      },
    );
  };
}

/** The page's side of the worker. */
export interface Decoder {
  /** Loads tiles at the other ends of the ports. */
  load: TileLoader;
  /** The colours tiles loaded from now on come coloured with (until the next call). */
  colourWith(colouring: Colouring): void;
}

interface Waiter {
  port: Port;
  resolve: (tile: TileValues) => void;
  reject: (error: Error) => void;
}

/** The page's side of one or more workers: each load goes to the least busy. */
export function decoder(ports: readonly Port[]): Decoder {
  let colouring: Colouring | undefined;
  let lastId = 0;
  const waiting = new Map<number, Waiter>();
  const answered = (event: MessageEvent<DecodeAnswer>) => {
    const answer = event.data;
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (!waiter && "tile" in answer) answer.tile.coloured?.image.close(); // cancelled meanwhile
    if ("tile" in answer) waiter?.resolve(answer.tile);
    else waiter?.reject(new Error(answer.error));
  };
  for (const port of ports) port.onmessage = answered;
  const leastBusy = () => {
    const busy = (port: Port) => [...waiting.values()].filter((waiter) => waiter.port === port).length;
    return ports.reduce((best, port) => (busy(port) < busy(best) ? port : best));
  };
  const load: TileLoader = (source, signal) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      const port = leastBusy();
      waiting.set(id, { port, resolve, reject });
      port.postMessage({ id, source, colouring } satisfies DecodeRequest);
      signal.addEventListener(
        "abort",
        () => {
          if (!waiting.delete(id)) return;
          port.postMessage({ id, cancel: true } satisfies DecodeRequest);
          reject(new Error(`The load of ${source.url} was cancelled`));
        },
        { once: true },
      );
    });
  return {
    load,
    colourWith: (next) => {
      colouring = next;
    },
  };
}
