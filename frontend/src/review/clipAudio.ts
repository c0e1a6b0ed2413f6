/**
 * Space on a clip plays the box's time span and stops at its end: one `<audio>` for the page,
 * given the clip's recording's audio URL (audio/playback.ts's switchSource, which waits for the
 * new source and puts it at the start), its end watched on every animation frame, since
 * `timeupdate` comes only about four times a second.
 */
import { type Media, switchSource, words } from "../audio/playback";

export interface Span {
  audioUrl: string;
  startS: number;
  endS: number;
}

export class ClipAudio {
  private media: Media | null = null;
  private frame = 0;
  private playing: Span | null = null;

  constructor(private readonly onProblem: (problem: string | null) => void) {}

  /** The `<audio>` element's ref callback. */
  readonly attach = (media: Media | null): void => {
    this.media = media;
  };

  /** Play the span, or stop if it is the one playing. */
  async toggle(span: Span): Promise<void> {
    if (this.playing && sameSpan(this.playing, span) && !this.media?.paused) {
      this.stop();
      return;
    }
    const media = this.media;
    if (!media) return;
    this.stop();
    this.playing = span;
    try {
      if (media.src === span.audioUrl) {
        media.currentTime = span.startS;
        await media.play();
      } else {
        await switchSource(media, span.audioUrl, { seconds: span.startS, rate: 1, playing: () => this.playing === span });
      }
      this.onProblem(null);
      this.watch(span);
    } catch (failure) {
      // A newer span took over meanwhile: nothing went wrong.
      if (this.playing !== span || (failure instanceof DOMException && failure.name === "AbortError")) return;
      this.playing = null;
      this.onProblem(`Could not play the clip: ${words(failure)}`);
    }
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.playing = null;
    this.media?.pause();
  }

  private watch(span: Span): void {
    const check = () => {
      if (this.playing !== span || !this.media) return;
      if (this.media.currentTime >= span.endS || this.media.paused) this.stop();
      else this.frame = requestAnimationFrame(check);
    };
    this.frame = requestAnimationFrame(check);
  }
}

function sameSpan(a: Span, b: Span): boolean {
  return a.audioUrl === b.audioUrl && a.startS === b.startS && a.endS === b.endS;
}
