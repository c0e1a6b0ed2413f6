import type { TileLoader, TileValues } from "./tiles";

/**
 * Tiles are fetched and decoded in a worker, off the page's thread: a PNG's inflate, the
 * read back and the copy of one byte a pixel take tens of ms a tile, and on the page's
 * thread they would hold up the next wheel turn's drawing.
 */
export type DecodeRequest = { id: number; url: string } | { id: number; cancel: true };
export type DecodeAnswer = { id: number; tile: TileValues } | { id: number; error: string };

/** One end of a message channel: a Worker, the worker's own scope, a MessagePort. */
export interface Port {
  postMessage(message: unknown, options?: { transfer: Transferable[] }): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** The worker's side: loads with `load` what the page asks for, until it cancels. */
export function serveDecodes(port: Port, load: TileLoader): void {
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
    load(request.url, abort.signal).then(
      (tile) => {
        // The values' bytes move to the page rather than being copied.
        if (loads.delete(id)) port.postMessage({ id, tile }, { transfer: [tile.values.buffer as ArrayBuffer] });
      },
      (error: unknown) => {
        if (loads.delete(id)) port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
      },
    );
  };
}

/** The page's side: a TileLoader whose loads run at the other end of `port`. */
export function decodingLoader(port: Port): TileLoader {
  let lastId = 0;
  const waiting = new Map<number, { resolve: (tile: TileValues) => void; reject: (error: Error) => void }>();
  port.onmessage = (event: MessageEvent<DecodeAnswer>) => {
    const answer = event.data;
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ("tile" in answer) waiter?.resolve(answer.tile);
    else waiter?.reject(new Error(answer.error));
  };
  return (url, signal) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { resolve, reject });
      port.postMessage({ id, url } satisfies DecodeRequest);
      signal.addEventListener(
        "abort",
        () => {
          if (!waiting.delete(id)) return;
          port.postMessage({ id, cancel: true } satisfies DecodeRequest);
          reject(new Error(`The load of ${url} was cancelled`));
        },
        { once: true },
      );
    });
}
