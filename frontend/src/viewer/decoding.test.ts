import { afterEach, describe, expect, it } from "vitest";
import { decoder, serveDecodes, type Port } from "./decoding";
import type { TileValues } from "./tiles";

/** The worker's loads, finished or failed by the test; both ends talk over a real MessageChannel. */
function channel() {
  const loads: { url: string; signal: AbortSignal; finish: (bytes: number[]) => void; fail: () => void }[] = [];
  const { port1, port2 } = new MessageChannel();
  serveDecodes(port2 as unknown as Port, (url, signal) =>
    new Promise<TileValues>((resolve, reject) => {
      loads.push({
        url,
        signal,
        finish: (bytes) => resolve({ width: bytes.length, height: 1, values: Uint8Array.from(bytes) }),
        fail: () => reject(new Error(`The tile at ${url} could not be loaded: HTTP 403`)),
      });
    }),
  );
  opened.push(port1, port2);
  return { loads, load: decoder(port1 as unknown as Port).load };
}

const opened: MessagePort[] = [];
afterEach(() => opened.splice(0).forEach((port) => port.close()));
const delivered = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("decoding tiles in a worker", () => {
  it("answers each load with its own tile's values", async () => {
    const { loads, load } = channel();
    const first = load("http://bucket/a.png", new AbortController().signal);
    const second = load("http://bucket/b.png", new AbortController().signal);
    await delivered();
    expect(loads.map((l) => l.url)).toEqual(["http://bucket/a.png", "http://bucket/b.png"]);
    loads[1].finish([2, 2]);
    loads[0].finish([1]);
    expect(await first).toEqual({ width: 1, height: 1, values: Uint8Array.from([1]) });
    expect(await second).toEqual({ width: 2, height: 1, values: Uint8Array.from([2, 2]) });
  });

  it("passes the worker's failure on as an error naming the tile", async () => {
    const { loads, load } = channel();
    const tile = load("http://bucket/a.png", new AbortController().signal);
    await delivered();
    loads[0].fail();
    await expect(tile).rejects.toThrow("The tile at http://bucket/a.png could not be loaded: HTTP 403");
  });

  it("cancels the worker's load when the page no longer wants the tile", async () => {
    const { loads, load } = channel();
    const abort = new AbortController();
    const tile = load("http://bucket/a.png", abort.signal);
    await delivered();
    abort.abort();
    await expect(tile).rejects.toThrow("cancelled");
    await delivered();
    expect(loads[0].signal.aborted).toBe(true);
  });
});
