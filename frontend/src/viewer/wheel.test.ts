import { describe, expect, it } from "vitest";
import { wheelAction } from "./wheel";

const turn = (deltaY: number, more: Partial<Parameters<typeof wheelAction>[0]> = {}) => ({
  deltaX: 0,
  deltaY,
  deltaMode: 0,
  shiftKey: false,
  ...more,
});

describe("what the wheel does", () => {
  it("zooms in when turned up and out when turned down, by the amount turned", () => {
    expect(wheelAction(turn(-300), 1000)).toEqual({ zoom: 2 });
    expect(wheelAction(turn(300), 1000)).toEqual({ zoom: 0.5 });
    expect(wheelAction(turn(-3, { deltaMode: 1 }), 1000)).toEqual({ zoom: 2 ** (48 / 300) });
  });

  it("pans with Shift, whichever delta the browser fills in", () => {
    expect(wheelAction(turn(120, { shiftKey: true }), 1000)).toEqual({ panPx: 120 });
    expect(wheelAction(turn(0, { shiftKey: true, deltaX: -120 }), 1000)).toEqual({ panPx: -120 });
    expect(wheelAction(turn(1, { shiftKey: true, deltaMode: 2 }), 900)).toEqual({ panPx: 900 });
  });

  it("pans on a sideways swipe without Shift", () => {
    expect(wheelAction(turn(5, { deltaX: 40 }), 1000)).toEqual({ panPx: 40 });
  });
});
