import { describe, expect, it } from "vitest";
import { fitGrid, moveFocus, nextClip } from "./grid";

describe("the grid of clips", () => {
  it("fits 24 clips in a large window, 12 to 24 in any, never fewer than 12", () => {
    expect(fitGrid(1800, 1000)).toEqual({ columns: 6, rows: 4, pageSize: 24 });
    for (const [width, height] of [[1232, 570], [900, 600], [640, 480], [300, 300], [4000, 3000]]) {
      const fit = fitGrid(width, height);
      expect(fit.pageSize).toBeGreaterThanOrEqual(12);
      expect(fit.pageSize).toBeLessThanOrEqual(24);
      expect(fit.columns * fit.rows).toBeGreaterThanOrEqual(fit.pageSize);
    }
  });

  it("keeps each clip at least 200 × 150 px when that leaves room for 12", () => {
    const fit = fitGrid(1232, 570);
    expect(1232 / fit.columns).toBeGreaterThanOrEqual(200);
    expect(570 / fit.rows).toBeGreaterThanOrEqual(150);
    expect(fit).toEqual({ columns: 6, rows: 3, pageSize: 18 });
  });

  it("of layouts with as many clips, takes the one whose clips are wider than tall, as a call reads", () => {
    // 1800 × 1000: 24 clips as 6 × 4 (300 × 250), not 4 × 6 (450 × 167) nor 8 × 3 (225 × 333).
    expect(fitGrid(1800, 1000)).toEqual({ columns: 6, rows: 4, pageSize: 24 });
    // 2400 × 620: as 8 × 3 (300 × 207), not 6 × 4 (400 × 155).
    expect(fitGrid(2400, 620)).toEqual({ columns: 8, rows: 3, pageSize: 24 });
  });

  it("moves left and right across rows, up and down in a column, and stops at the page's edges", () => {
    expect(moveFocus(5, "ArrowRight", 6, 24)).toBe(6);
    expect(moveFocus(6, "ArrowLeft", 6, 24)).toBe(5);
    expect(moveFocus(2, "ArrowDown", 6, 24)).toBe(8);
    expect(moveFocus(2, "ArrowUp", 6, 24)).toBe(2);
    expect(moveFocus(20, "ArrowDown", 6, 22)).toBe(20);
    expect(moveFocus(0, "ArrowLeft", 6, 24)).toBe(0);
    expect(moveFocus(23, "ArrowRight", 6, 24)).toBe(23);
  });

  it("after a decision, focuses the next clip, then the next page's first, and stays on the queue's last", () => {
    expect(nextClip(3, 24, true)).toEqual({ page: 0, index: 4 });
    expect(nextClip(23, 24, true)).toEqual({ page: 1, index: 0 });
    expect(nextClip(4, 5, false)).toEqual({ page: 0, index: 4 });
  });
});
