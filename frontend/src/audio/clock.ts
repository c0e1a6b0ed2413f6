/**
 * Where playback is, read on every animation frame: `timeupdate` comes about four times a
 * second, so a cursor that follows it jumps; reading `currentTime` per frame gives
 * ~60 distinct values a second.
 */

export interface Frames {
  request(run: () => void): number;
  cancel(id: number): void;
}

const animationFrames: Frames = {
  request: (run) => requestAnimationFrame(run),
  cancel: (id) => cancelAnimationFrame(id),
};

export interface Moment {
  /** Position in the recording, s. */
  seconds: number;
  /** Whether the sound is moving (the element is not paused). */
  playing: boolean;
}

export class AudioClock {
  private readonly listeners = new Set<(moment: Moment) => void>();
  private frame: number | null = null;

  constructor(
    private readonly read: () => Moment,
    private readonly frames: Frames = animationFrames,
  ) {}

  now(): Moment {
    return this.read();
  }

  /** Hear the moment on every frame until the returned function is called. Frames are
   * requested only while someone listens. */
  subscribe(listener: (moment: Moment) => void): () => void {
    this.listeners.add(listener);
    if (this.frame === null) this.frame = this.frames.request(this.tick);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.frame !== null) {
        this.frames.cancel(this.frame);
        this.frame = null;
      }
    };
  }

  private readonly tick = () => {
    // Asked before the listeners run, so one that unsubscribes the last cancels it.
    this.frame = this.frames.request(this.tick);
    const moment = this.read();
    for (const listener of [...this.listeners]) listener(moment);
  };
}
