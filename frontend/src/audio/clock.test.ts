import { describe, expect, it } from "vitest";
import { AudioClock, type Frames, type Moment } from "./clock";

class FakeFrames implements Frames {
  queued = new Map<number, () => void>();
  private next = 1;
  request(run: () => void): number {
    this.queued.set(this.next, run);
    return this.next++;
  }
  cancel(id: number): void {
    this.queued.delete(id);
  }
  /** One animation frame. */
  step(): void {
    const runs = [...this.queued.values()];
    this.queued.clear();
    for (const run of runs) run();
  }
}

describe("AudioClock", () => {
  it("reads the time on every frame, not only when the element says", () => {
    const frames = new FakeFrames();
    const moment: Moment = { seconds: 0, playing: true };
    const clock = new AudioClock(() => ({ ...moment }), frames);
    const heard: number[] = [];
    clock.subscribe(({ seconds }) => heard.push(seconds));
    for (const seconds of [0.016, 0.033, 0.05]) {
      moment.seconds = seconds;
      frames.step();
    }
    expect(heard).toEqual([0.016, 0.033, 0.05]);
  });

  it("asks for frames only while someone listens", () => {
    const frames = new FakeFrames();
    const clock = new AudioClock(() => ({ seconds: 1, playing: false }), frames);
    expect(frames.queued.size).toBe(0);
    const first = clock.subscribe(() => {});
    const second = clock.subscribe(() => {});
    expect(frames.queued.size).toBe(1);
    first();
    frames.step();
    expect(frames.queued.size).toBe(1);
    second();
    expect(frames.queued.size).toBe(0);
  });

  it("stops when the last listener leaves during a frame", () => {
    const frames = new FakeFrames();
    const clock = new AudioClock(() => ({ seconds: 1, playing: true }), frames);
    const stop = clock.subscribe(() => stop());
    frames.step();
    expect(frames.queued.size).toBe(0);
  });
});
