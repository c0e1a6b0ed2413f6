import { afterEach, describe, expect, it, vi } from "vitest";
import type { Manifest } from "../api/types";
import type { Decoder } from "../viewer/decoding";
import { pyramidManifest } from "../viewer/fixtures";
import { ClipTiles } from "./clipTiles";

const unusedDecoder: Decoder = {
  load: () => Promise.reject(new Error("no tiles in this test")),
  colourWith: () => undefined,
};

describe("the clips' manifests", () => {
  afterEach(() => vi.useRealTimers());

  it("are read once a recording however many clips ask, and again when their URLs are about to expire", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-12-07T15:00:00Z") });
    const reads: string[] = [];
    const tiles = new ClipTiles(async (id): Promise<Manifest> => {
      reads.push(id);
      return { ...pyramidManifest(60), urls_expire_at: "2026-12-07T16:00:00Z" };
    }, unusedDecoder);
    await Promise.all([tiles.manifest("r1"), tiles.manifest("r1"), tiles.manifest("r2")]);
    await tiles.manifest("r1");
    expect(reads).toEqual(["r1", "r2"]);
    vi.setSystemTime(Date.parse("2026-12-07T15:59:30Z"));
    await tiles.manifest("r1");
    expect(reads).toEqual(["r1", "r2", "r1"]);
  });

  it("are read again after a failed read", async () => {
    let fail = true;
    const tiles = new ClipTiles(async () => {
      if (fail) throw new Error("503");
      return pyramidManifest(60);
    }, unusedDecoder);
    await expect(tiles.manifest("r1")).rejects.toThrow("503");
    fail = false;
    await expect(tiles.manifest("r1")).resolves.toMatchObject({ duration_s: 60 });
  });
});
