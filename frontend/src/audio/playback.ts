/**
 * One recording's playback: the `<audio>` element, its presigned URL (swapped for a fresh
 * one without losing the place, the speed or whether it plays), the clock the cursor reads,
 * and what went wrong, in words. No React here: the Player renders it, the cursor and the
 * page's click-to-seek call it.
 */
import { AudioClock, type Frames, type Moment } from "./clock";

/** What playback needs of an `<audio>` element (tests pass a fake). */
export interface Media extends EventTarget {
  src: string;
  currentTime: number;
  readonly paused: boolean;
  playbackRate: number;
  preservesPitch: boolean;
  readonly error: { readonly code: number; readonly message: string } | null;
  play(): Promise<void>;
  pause(): void;
}

/** The manifest's fields a fresh read gives playback. */
export interface FreshUrls {
  audio_url: string;
  urls_expire_at: string;
}

/** A stretch of the recording played on its own (a box's time span), s. */
export interface Span {
  startS: number;
  endS: number;
  /** Start over at the end, until stopped, rather than stop there. */
  loop: boolean;
}

export interface PlaybackState {
  /** False from Play until Pause (or the end), also while a fresh URL loads. */
  paused: boolean;
  rate: number;
  /** What went wrong, as a sentence; null while all is well. */
  problem: string | null;
  /** The span being played (playSpan), until it ends, loops no more or playback is paused or moved. */
  span: Span | null;
}

/** Playback speeds offered (Chromium plays 0.0625 to 16). */
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** Where playback was, to be restored on another source. */
export interface Place {
  seconds: number;
  rate: number;
  /** Read once the new source is ready: Play or Pause may be pressed meanwhile. */
  playing(): boolean;
}

const MEDIA_ERRORS: Record<number, string> = {
  1: "loading the audio was stopped",
  2: "the network failed while loading the audio",
  3: "the audio could not be decoded",
  4: "the audio could not be loaded: its link may have expired, or the browser cannot play this format",
};

export function describeMediaError(error: Media["error"]): string {
  if (!error) return "the audio failed for an unknown reason";
  const what = MEDIA_ERRORS[error.code] ?? `the audio failed (media error ${error.code})`;
  return error.message ? `${what} (${error.message})` : what;
}

export function words(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/** Load ``url`` into ``media`` and put it back at ``place``; rejects if the URL fails. */
export async function switchSource(media: Media, url: string, place: Place): Promise<void> {
  const loaded = new Promise<void>((resolve, reject) => {
    const settle = (event: Event) => {
      media.removeEventListener("loadedmetadata", settle);
      media.removeEventListener("error", settle);
      if (event.type === "error") reject(new Error(describeMediaError(media.error)));
      else resolve();
    };
    media.addEventListener("loadedmetadata", settle);
    media.addEventListener("error", settle);
  });
  media.src = url;
  await loaded;
  media.currentTime = place.seconds;
  // A new source resets the speed to the default.
  media.playbackRate = place.rate;
  media.preservesPitch = true;
  if (place.playing()) await media.play();
}

export class Playback {
  readonly clock: AudioClock;
  private media: Media | null = null;
  private url = "";
  private state: PlaybackState = { paused: true, rate: 1, problem: null, span: null };
  // Hears the clock while a span plays, to stop or start over at its end.
  private spanWatch: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  // A swap's own events are its business: its promise says how it went.
  private swapping = false;
  // A failed URL is renewed once; a renewed one that fails too is reported. A URL from the
  // page's schedule gets its own chance.
  private renewed = false;
  private renewing = false;

  /** ``renew`` reads the manifest again (the page's refresh) for a fresh audio URL. */
  constructor(
    private renew: () => Promise<FreshUrls>,
    frames?: Frames,
  ) {
    this.clock = new AudioClock(() => this.moment(), frames);
  }

  /** Renew with ``renew`` from now on: the page's newest refresh. */
  renewWith(renew: () => Promise<FreshUrls>): void {
    this.renew = renew;
  }

  /** The `<audio>` element's ref callback. */
  readonly attach = (media: Media | null): void => {
    for (const [type, handler] of this.handlers) {
      this.media?.removeEventListener(type, handler);
      media?.addEventListener(type, handler);
    }
    this.media = media;
    if (media) {
      media.preservesPitch = true;
      media.playbackRate = this.state.rate;
      if (this.url && media.src !== this.url) media.src = this.url;
    }
  };

  /** Play from ``url``; a later URL is swapped in keeping the place, speed and play state. */
  setSource(url: string): void {
    if (url === this.url) return;
    const first = this.url === "";
    this.url = url;
    this.renewed = false;
    if (!this.media) return;
    if (first) this.media.src = url;
    else void this.swap(url);
  }

  async play(): Promise<void> {
    this.set({ paused: false });
    if (!this.media || this.swapping) return; // a swap in progress plays when done
    try {
      await this.media.play();
      this.set({ problem: null });
    } catch (failure) {
      // A pause or a new source interrupted it: nothing went wrong.
      if (failure instanceof DOMException && failure.name === "AbortError") return;
      // The source failed and is being renewed: the fresh one plays when ready.
      if (this.renewing) return;
      this.set({ paused: true, problem: `Could not play the audio: ${words(failure)}` });
    }
  }

  pause(): void {
    this.endSpan();
    this.set({ paused: true });
    this.media?.pause();
  }

  /**
   * Play ``span`` alone: from its start to its end, where playback pauses, or (``loop``)
   * starts over. Checked on every frame of the clock: it stops within a frame of the end.
   * Pausing or seeking ends it.
   */
  playSpan(span: Span): void {
    this.endSpan();
    this.set({ span });
    if (this.media) this.media.currentTime = Math.max(0, span.startS);
    this.spanWatch = this.clock.subscribe(({ seconds }) => this.atSpanEnd(seconds));
    void this.play();
  }

  toggle(): void {
    if (this.state.paused) void this.play();
    else this.pause();
  }

  seek(seconds: number): void {
    this.endSpan();
    if (this.media) this.media.currentTime = Math.max(0, seconds);
  }

  setRate(rate: number): void {
    this.set({ rate });
    if (this.media) {
      this.media.playbackRate = rate;
      this.media.preservesPitch = true;
    }
  }

  /** Say what went wrong (say, a failed renewal of the URLs). */
  report(problem: string): void {
    this.set({ problem });
  }

  /** For useSyncExternalStore: the state changes only through ``set``. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): PlaybackState => this.state;

  private moment(): Moment {
    return this.media
      ? { seconds: this.media.currentTime, playing: !this.media.paused }
      : { seconds: 0, playing: false };
  }

  private atSpanEnd(seconds: number): void {
    const span = this.state.span;
    if (!span || seconds < span.endS) return;
    if (!span.loop) this.pause();
    else if (this.media) this.media.currentTime = Math.max(0, span.startS);
  }

  private endSpan(): void {
    this.spanWatch?.();
    this.spanWatch = null;
    if (this.state.span) this.set({ span: null });
  }

  private set(change: Partial<PlaybackState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  private async swap(url: string): Promise<void> {
    const media = this.media;
    if (!media) return;
    const place = {
      seconds: media.currentTime,
      rate: this.state.rate,
      playing: () => !this.state.paused,
    };
    this.swapping = true;
    try {
      await switchSource(media, url, place);
      this.set({ problem: null });
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === "AbortError")) {
        this.set({ paused: true, problem: `Could not play the audio: ${words(failure)}` });
      }
    } finally {
      this.swapping = false;
    }
  }

  private async renewAfterFailure(): Promise<void> {
    this.renewed = true;
    this.renewing = true;
    const failed = this.url;
    try {
      const fresh = await this.renew();
      if (fresh.audio_url === failed) throw new Error("the server gave the same link again");
      this.url = fresh.audio_url;
      await this.swap(fresh.audio_url);
    } catch (failure) {
      this.set({ paused: true, problem: `Could not renew the audio link: ${words(failure)}` });
    } finally {
      this.renewing = false;
    }
  }

  private failed(): void {
    if (this.swapping) return;
    if (this.renewed) {
      const why = describeMediaError(this.media?.error ?? null);
      this.set({ paused: true, problem: `Could not play the audio: ${why}` });
    } else {
      void this.renewAfterFailure();
    }
  }

  // The element's own play and pause (media keys, the end) are the user's too.
  private played(): void {
    if (this.state.paused) this.set({ paused: false });
  }

  private paused(): void {
    this.endSpan();
    if (!this.state.paused) this.set({ paused: true });
  }

  private readonly handlers: [string, () => void][] = [
    ["play", () => this.played()],
    ["pause", () => this.paused()],
    ["error", () => this.failed()],
  ];
}
