import { describe, expect, it } from "vitest";
import type { Tile } from "../api/types";
import { pyramidManifest } from "./fixtures";
import { fetchTilePng, Lru, TileCache, tileName, type TileSource, type TileValues } from "./tiles";

/** A loader whose loads the test finishes by hand. */
function fakeLoader() {
  const loads: { url: string; range?: string; signal: AbortSignal; finish: () => void; fail: () => void }[] = [];
  const load = ({ url, range }: TileSource, signal: AbortSignal) =>
    new Promise<TileValues>((resolve, reject) => {
      const values = { width: 1, height: 1, values: Uint8Array.from([url.length]) };
      loads.push({ url, range, signal, finish: () => resolve(values), fail: () => reject(new Error("403")) });
    });
  return { loads, load };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
// 600 s at 200 px/s: 30 tiles at level 0.
const level0 = pyramidManifest(600).tiles.filter((tile) => tile.level === 0);
const withUrl = (tile: Tile, url: string): Tile => ({ ...tile, url });

function cache(maxTiles = 150) {
  const loader = fakeLoader();
  const arrived: string[] = [];
  const failed: string[] = [];
  const tiles = new TileCache({
    load: loader.load,
    onTile: (tile) => arrived.push(tileName(tile)),
    onFailure: (tile) => failed.push(tileName(tile)),
    maxTiles,
  });
  return { ...loader, arrived, failed, tiles };
}

describe("loading tiles", () => {
  it("loads at most six at a time, most wanted first, and the rest as they finish", async () => {
    const { loads, tiles, arrived } = cache();
    const wanted = [level0[5], level0[4], level0[6], level0[3], level0[7], level0[2], level0[8], level0[1]];
    tiles.want(wanted);
    expect(loads.map((l) => l.url)).toEqual(wanted.slice(0, 6).map((t) => t.url));
    loads[1].finish();
    await settled();
    expect(arrived).toEqual(["0/4"]);
    expect(tiles.values(level0[4])).toBeDefined();
    expect(loads.map((l) => l.url)).toEqual(wanted.slice(0, 7).map((t) => t.url));
  });

  it("cancels the loads of tiles no longer wanted and drops their late answers", async () => {
    const { loads, tiles, arrived } = cache();
    tiles.want(level0.slice(0, 8));
    tiles.want(level0.slice(20, 22));
    expect(loads.slice(0, 6).every((l) => l.signal.aborted)).toBe(true);
    expect(loads.slice(6).map((l) => l.url)).toEqual([level0[20].url, level0[21].url]);
    loads[0].finish();
    await settled();
    expect(arrived).toEqual([]);
    expect(tiles.values(level0[0])).toBeUndefined();
  });

  it("keeps loading a tile still wanted, without asking twice", () => {
    const { loads, tiles } = cache();
    tiles.want([level0[3]]);
    tiles.want([level0[2], level0[3]]);
    expect(loads.map((l) => l.url)).toEqual([level0[3].url, level0[2].url]);
    expect(loads[0].signal.aborted).toBe(false);
  });

  it("keeps a decoded tile when a new manifest brings a new URL for it", async () => {
    const { loads, tiles } = cache();
    tiles.want([level0[0]]);
    loads[0].finish();
    await settled();
    tiles.want([withUrl(level0[0], "http://bucket/fresh")]);
    expect(loads).toHaveLength(1);
    expect(tiles.values(level0[0])).toBeDefined();
  });

  it("does not ask a failed URL again, but does ask a new one", async () => {
    const { loads, tiles, failed } = cache();
    tiles.want([level0[0]]);
    loads[0].fail();
    await settled();
    expect(failed).toEqual(["0/0"]);
    tiles.want([level0[0]]);
    expect(loads).toHaveLength(1);
    tiles.want([withUrl(level0[0], "http://bucket/fresh")]);
    expect(loads.map((l) => l.url)).toEqual([level0[0].url, "http://bucket/fresh"]);
  });

  it("keeps only the most recently used decoded tiles", async () => {
    const { loads, tiles } = cache(3);
    tiles.want(level0.slice(0, 3));
    loads.forEach((l) => l.finish());
    await settled();
    tiles.values(level0[0]); // used again: now the newest
    tiles.want([level0[3]]);
    loads[3].finish();
    await settled();
    expect([0, 1, 2, 3].map((i) => tiles.values(level0[i]) !== undefined)).toEqual([true, false, true, true]);
  });

  it("asks for a tile in an object of tiles by its byte range", () => {
    const { loads, tiles } = cache();
    const inLevel = { ...level0[1], url: "http://bucket/tiles/0-0.pngs", range: "bytes=5000-9999" };
    tiles.want([inLevel]);
    expect(loads.map((l) => [l.url, l.range])).toEqual([["http://bucket/tiles/0-0.pngs", "bytes=5000-9999"]]);
  });

  it("stops every load when the viewer closes", () => {
    const { loads, tiles } = cache();
    tiles.want(level0.slice(0, 3));
    tiles.stop();
    expect(loads.every((l) => l.signal.aborted)).toBe(true);
  });
});

describe("least recently used", () => {
  it("forgets the oldest entry beyond its capacity", () => {
    const lru = new Lru<number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect([lru.has("a"), lru.has("b"), lru.has("c")]).toEqual([true, false, true]);
  });
});

/** A fetch that answers from `object` as a server does, honouring Range or not. */
function fakeFetch(object: Uint8Array<ArrayBuffer>, honoursRange = true) {
  const asked: { url: string; headers: Record<string, string> }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    asked.push({ url: String(input), headers });
    const range = headers.Range?.match(/^bytes=(\d+)-(\d+)$/);
    if (!range || !honoursRange) return new Response(object, { status: 200 });
    const [first, last] = [Number(range[1]), Number(range[2])];
    const part = object.slice(first, last + 1);
    return new Response(part, { status: 206, headers: { "Content-Range": `bytes ${first}-${last}/${object.length}` } });
  }) as typeof fetch;
  return { asked, fetcher };
}

const bytesOf = async (blob: Blob) => Array.from(new Uint8Array(await blob.arrayBuffer()));
const level = new Uint8Array(300).map((_, i) => i % 251);
const signal = new AbortController().signal;

describe("fetching a tile's PNG", () => {
  it("reads a tile in an object of tiles with a Range request, as a PNG", async () => {
    const { asked, fetcher } = fakeFetch(level);
    const png = await fetchTilePng({ url: "http://bucket/tiles/0-0.pngs", range: "bytes=100-199" }, signal, fetcher);
    expect(asked).toEqual([{ url: "http://bucket/tiles/0-0.pngs", headers: { Range: "bytes=100-199" } }]);
    expect(await bytesOf(png)).toEqual(Array.from(level.slice(100, 200)));
    expect(png.type).toBe("image/png");
  });

  it("cuts the tile from the whole object when the server ignores Range", async () => {
    const { fetcher } = fakeFetch(level, false);
    const png = await fetchTilePng({ url: "http://bucket/tiles/0-0.pngs", range: "bytes=250-299" }, signal, fetcher);
    expect(await bytesOf(png)).toEqual(Array.from(level.slice(250, 300)));
  });

  it("reads a tile of an older rendering, an object of its own, whole and without Range", async () => {
    const { asked, fetcher } = fakeFetch(level);
    const png = await fetchTilePng({ url: "http://bucket/tiles/0/000000.png" }, signal, fetcher);
    expect(asked[0].headers).toEqual({});
    expect(await bytesOf(png)).toEqual(Array.from(level));
  });

  it("names the tile and the HTTP status when the load fails", async () => {
    const fetcher = (async () => new Response("expired", { status: 403 })) as typeof fetch;
    await expect(
      fetchTilePng({ url: "http://bucket/tiles/1-0.pngs", range: "bytes=0-9" }, signal, fetcher),
    ).rejects.toThrow("The tile at bytes=0-9 of http://bucket/tiles/1-0.pngs could not be loaded: HTTP 403");
  });
});
