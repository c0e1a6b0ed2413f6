import { afterEach, describe, expect, it } from "vitest";
import { decoder, serveDecodes, type Port } from "./decoding";
import type { Colouring, TileValues } from "./tiles";

/**
 * Workers whose loads the test finishes or fails; each talks to the page over a real
 * MessageChannel. `arrived(n)` settles once the workers have been asked for n loads.
 */
function channel(workers = 1) {
  const loads: {
    worker: number;
    url: string;
    range?: string;
    signal: AbortSignal;
    colouring?: Colouring;
    finish: (bytes: number[]) => void;
    fail: () => void;
  }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      waiters.push({ count, resolve });
      settle();
    });
  const settle = () => {
    for (const waiter of waiters.filter((w) => loads.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const pagePorts = Array.from({ length: workers }, (_, worker) => {
    const { port1, port2 } = new MessageChannel();
    opened.push(port1, port2);
    serveDecodes(port2 as unknown as Port, ({ url, range }, signal, colouring) =>
      new Promise<TileValues>((resolve, reject) => {
        loads.push({
          worker,
          url,
          range,
          signal,
          colouring,
          finish: (bytes) => resolve({ width: bytes.length, height: 1, values: Uint8Array.from(bytes) }),
          fail: () => reject(new Error(`The tile at ${url} could not be loaded: HTTP 403`)),
        });
        settle();
      }),
    );
    return port1 as unknown as Port;
  });
  const { load, colourWith } = decoder(pagePorts);
  return { loads, arrived, load, colourWith };
}

const opened: MessagePort[] = [];
afterEach(() => opened.splice(0).forEach((port) => port.close()));
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });

describe("decoding tiles in a worker", () => {
  it("answers each load with its own tile's values", async () => {
    const { loads, arrived, load } = channel();
    const first = load({ url: "http://bucket/a.png" }, new AbortController().signal);
    const second = load({ url: "http://bucket/b.png" }, new AbortController().signal);
    await arrived(2);
    expect(loads.map((l) => l.url)).toEqual(["http://bucket/a.png", "http://bucket/b.png"]);
    loads[1].finish([2, 2]);
    loads[0].finish([1]);
    expect(await first).toEqual({ width: 1, height: 1, values: Uint8Array.from([1]) });
    expect(await second).toEqual({ width: 2, height: 1, values: Uint8Array.from([2, 2]) });
  });

  it("hands the worker the tile's byte range of its object", async () => {
    const { loads, arrived, load } = channel();
    void load({ url: "http://bucket/tiles/0-0.pngs", range: "bytes=100-199" }, new AbortController().signal);
    void load({ url: "http://bucket/tiles/0/000000.png" }, new AbortController().signal);
    await arrived(2);
    expect(loads.map((l) => [l.url, l.range])).toEqual([
      ["http://bucket/tiles/0-0.pngs", "bytes=100-199"],
      ["http://bucket/tiles/0/000000.png", undefined],
    ]);
  });

  it("passes the worker's failure on as an error naming the tile", async () => {
    const { loads, arrived, load } = channel();
    const tile = load({ url: "http://bucket/a.png" }, new AbortController().signal);
    await arrived(1);
    loads[0].fail();
    await expect(tile).rejects.toThrow("The tile at http://bucket/a.png could not be loaded: HTTP 403");
  });

  it("cancels the worker's load when the page no longer wants the tile", async () => {
    const { loads, arrived, load } = channel();
    const abort = new AbortController();
    const tile = load({ url: "http://bucket/a.png" }, abort.signal);
    await arrived(1);
    abort.abort();
    await expect(tile).rejects.toThrow("cancelled");
    // Settles only once the worker's load is aborted (else the test times out).
    await aborted(loads[0].signal);
  });

  it("sends each load to the worker with the fewest loads", async () => {
    const { loads, arrived, load } = channel(2);
    const signal = new AbortController().signal;
    const first = load({ url: "http://bucket/a.png" }, signal);
    void load({ url: "http://bucket/b.png" }, signal);
    await arrived(2);
    loads[0].finish([1]);
    await first;
    void load({ url: "http://bucket/c.png" }, signal);
    await arrived(3);
    expect(loads.map((l) => [l.url, l.worker])).toEqual([
      ["http://bucket/a.png", 0],
      ["http://bucket/b.png", 1],
      ["http://bucket/c.png", 0],
    ]);
  });

  it("asks for tiles coloured with the colours of the moment", async () => {
    const { loads, arrived, load, colourWith } = channel();
    const signal = new AbortController().signal;
    void load({ url: "http://bucket/a.png" }, signal);
    const viridis: Colouring = { settings: "viridis -80 0", lookup: new Uint8ClampedArray(1024).fill(7) };
    colourWith(viridis);
    void load({ url: "http://bucket/b.png" }, signal);
    await arrived(2);
    expect(loads.map((l) => l.colouring)).toEqual([undefined, viridis]);
  });
});
