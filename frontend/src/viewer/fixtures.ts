import type { Manifest, Tile, TileLevel } from "../api/types";
import type { View } from "./view";

/** A 1000 x 400 px plot of 0..10 kHz, for tests. */
export function plotView(startS: number, pxPerS: number, widthPx = 1000): View {
  return { startS, pxPerS, widthPx, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };
}


/**
 * A manifest shaped as the engine writes it (chalicelib/spectrogram/tiles.py): each level
 * has 1/`step` of the px/s of the one before, from `px0`, until one tile of 4096 px holds
 * the recording (engine 1.3 merges 4 pixels a level; engines before it, 2). For tests.
 */
export function pyramidManifest(
  durationS: number,
  { px0 = 200, step = 4, originS = -512 / 88_200 }: { px0?: number; step?: number; originS?: number } = {},
): Manifest {
  const tileWidth = 4096;
  const levels: TileLevel[] = [];
  const tiles: Tile[] = [];
  let width = Math.ceil((durationS - originS) * px0);
  for (let level = 0; ; level++) {
    const pxPerS = px0 / step ** level;
    const count = Math.ceil(width / tileWidth);
    levels.push({ level, px_per_s: pxPerS, width, tiles: count, start_s: originS, end_s: originS + width / pxPerS });
    for (let index = 0; index < count; index++) {
      const tileW = Math.min(tileWidth, width - index * tileWidth);
      const start = originS + (index * tileWidth) / pxPerS;
      const key = `tiles/${level}/${String(index).padStart(6, "0")}.png`;
      tiles.push({ level, index, key, url: `http://bucket/${key}`, start_s: start, end_s: start + tileW / pxPerS, px_per_s: pxPerS, width: tileW, height: 400 });
    }
    if (width <= tileWidth) break;
    width = Math.ceil(width / step);
  }
  return {
    engine_version: "test",
    sample_rate: 44_100,
    channels: 1,
    duration_s: durationS,
    n_fft: 2048,
    hop_length: 512,
    f_max_hz: 10_000,
    width: 3200,
    height: 400,
    px_per_s: 3200 / durationS,
    db_range: { max_db: 20, floor_db: -80, tile_db_at_0: -100, tile_db_step: 0.625 },
    overview: { key: "overview.png", width: 3200, height: 400, px_per_s: 3200 / durationS },
    image_url: "http://bucket/overview.png",
    audio_url: "http://bucket/audio.wav",
    urls_expire_at: "2026-12-04T04:00:00Z",
    tile_levels: levels,
    tiles,
  };
}
