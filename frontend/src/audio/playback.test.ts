import { describe, expect, it } from "vitest";
import type { Frames } from "./clock";
import { type FreshUrls, type Media, Playback, switchSource } from "./playback";

/** An `<audio>` element that loads a URL on the next turn; ``broken`` URLs fail as an
 * expired presigned URL does (403 → MEDIA_ERR_SRC_NOT_SUPPORTED). */
class FakeAudio extends EventTarget implements Media {
  currentTime = 0;
  playbackRate = 1;
  preservesPitch = false;
  paused = true;
  error: Media["error"] = null;
  loads: string[] = [];
  broken = new Set<string>();
  private source = "";
  private loading: Promise<void> = Promise.resolve();

  get src(): string {
    return this.source;
  }

  set src(url: string) {
    // As the media element load algorithm: back to the start, the default speed, paused.
    this.source = url;
    this.loads.push(url);
    Object.assign(this, { currentTime: 0, playbackRate: 1, paused: true, error: null });
    this.loading = new Promise((resolve, reject) =>
      setTimeout(() => {
        // As Chromium: the error event first, then the pending play() rejected.
        if (this.broken.has(url)) {
          this.error = { code: 4, message: "MEDIA_ELEMENT_ERROR: Format error" };
          this.dispatchEvent(new Event("error"));
          reject(new DOMException("The element has no supported sources.", "NotSupportedError"));
        } else {
          this.dispatchEvent(new Event("loadedmetadata"));
          resolve();
        }
      }, 0),
    );
    this.loading.catch(() => {}); // a load nobody plays may fail unheard
  }

  /** Resolves once playing, as the element's: after the source loads, or never. */
  async play(): Promise<void> {
    if (this.error) throw new DOMException("The element has no supported sources.", "NotSupportedError");
    this.paused = false;
    this.dispatchEvent(new Event("play"));
    await this.loading.catch((failure: unknown) => {
      this.paused = true;
      throw failure;
    });
  }

  pause(): void {
    this.paused = true;
    this.dispatchEvent(new Event("pause"));
  }
}

const noFrames: Frames = { request: () => 0, cancel: () => {} };

async function settled(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function fresh(audio_url: string): FreshUrls {
  return { audio_url, urls_expire_at: "2026-12-04T11:00:00Z" };
}

/** A Playback on a fake element that has played ``url`` to 42 s at 1.5×. */
async function playingAt42(url: string, renew: () => Promise<FreshUrls>) {
  const audio = new FakeAudio();
  const playback = new Playback(renew, noFrames);
  playback.attach(audio);
  playback.setSource(url);
  await settled();
  playback.setRate(1.5);
  await playback.play();
  audio.currentTime = 42;
  return { audio, playback };
}

describe("switchSource", () => {
  it("keeps the place, the speed and playing", async () => {
    const audio = new FakeAudio();
    Object.assign(audio, { currentTime: 42, playbackRate: 1.5, paused: false });
    await switchSource(audio, "fresh", { seconds: 42, rate: 1.5, playing: () => true });
    expect(audio.src).toBe("fresh");
    expect([audio.currentTime, audio.playbackRate, audio.preservesPitch, audio.paused]).toEqual([
      42,
      1.5,
      true,
      false,
    ]);
  });

  it("keeps a paused recording paused", async () => {
    const audio = new FakeAudio();
    await switchSource(audio, "fresh", { seconds: 7, rate: 1, playing: () => false });
    expect([audio.currentTime, audio.paused]).toEqual([7, true]);
  });

  it("fails in words when the new URL does", async () => {
    const audio = new FakeAudio();
    audio.broken.add("expired");
    await expect(
      switchSource(audio, "expired", { seconds: 7, rate: 1, playing: () => true }),
    ).rejects.toThrow("its link may have expired");
  });
});

describe("Playback", () => {
  it("swaps a new URL in where it was", async () => {
    const { audio, playback } = await playingAt42("first", () => Promise.reject(new Error("unused")));
    playback.setSource("second");
    await settled();
    expect(audio.loads).toEqual(["first", "second"]);
    expect([audio.currentTime, audio.playbackRate, audio.paused]).toEqual([42, 1.5, false]);
    expect(playback.snapshot()).toEqual({ paused: false, rate: 1.5, problem: null, span: null });
  });

  it("plays after a swap when Play was pressed during it", async () => {
    const audio = new FakeAudio();
    const playback = new Playback(() => Promise.reject(new Error("unused")), noFrames);
    playback.attach(audio);
    playback.setSource("first");
    await settled();
    playback.setSource("second");
    void playback.play();
    await settled();
    expect([audio.src, audio.paused]).toEqual(["second", false]);
  });

  it("asks once for a fresh URL when the audio fails, and resumes from it", async () => {
    const renewals: string[] = [];
    const { audio, playback } = await playingAt42("first", async () => {
      renewals.push("asked");
      return fresh("renewed");
    });
    audio.dispatchEvent(new Event("error")); // the URL expired while playing
    await settled();
    expect(renewals).toEqual(["asked"]);
    expect(audio.loads).toEqual(["first", "renewed"]);
    expect([audio.currentTime, audio.playbackRate, audio.paused]).toEqual([42, 1.5, false]);
    expect(playback.snapshot().problem).toBeNull();
  });

  it("says so, and asks no more, when the fresh URL fails too", async () => {
    const renewals: string[] = [];
    const { audio, playback } = await playingAt42("first", async () => {
      renewals.push("asked");
      return fresh("renewed");
    });
    audio.broken.add("renewed");
    audio.dispatchEvent(new Event("error"));
    await settled();
    audio.dispatchEvent(new Event("error"));
    await settled();
    expect(renewals).toEqual(["asked"]);
    expect(playback.snapshot()).toMatchObject({ paused: true });
    expect(playback.snapshot().problem).toMatch(/^Could not play the audio: .*link may have expired/);
  });

  it("says so when the manifest cannot be read again", async () => {
    const { audio, playback } = await playingAt42("first", () =>
      Promise.reject(new Error("the network is down")),
    );
    audio.dispatchEvent(new Event("error"));
    await settled();
    expect(playback.snapshot()).toMatchObject({
      paused: true,
      problem: "Could not renew the audio link: the network is down",
    });
  });

  it("renews a failing URL that came on schedule again, once", async () => {
    const renewals: string[] = [];
    const { audio, playback } = await playingAt42("first", async () => {
      renewals.push("asked");
      return fresh(`renewed ${renewals.length}`);
    });
    audio.dispatchEvent(new Event("error"));
    await settled();
    playback.setSource("scheduled"); // the page read the manifest on time
    await settled();
    audio.dispatchEvent(new Event("error"));
    await settled();
    expect(renewals).toEqual(["asked", "asked"]);
    expect(audio.loads).toEqual(["first", "renewed 1", "scheduled", "renewed 2"]);
  });

  it("plays the renewed URL when Play was pressed as the first one failed", async () => {
    const audio = new FakeAudio();
    audio.broken.add("expired");
    const playback = new Playback(async () => fresh("renewed"), noFrames);
    playback.attach(audio);
    playback.setSource("expired");
    const played = playback.play();
    await settled();
    await played;
    expect([audio.src, audio.paused]).toEqual(["renewed", false]);
    expect(playback.snapshot()).toEqual({ paused: false, rate: 1, problem: null, span: null });
  });

  it("says so when Play is pressed on audio that failed for good", async () => {
    const audio = new FakeAudio();
    audio.broken.add("expired");
    audio.broken.add("renewed");
    const playback = new Playback(async () => fresh("renewed"), noFrames);
    playback.attach(audio);
    playback.setSource("expired");
    await settled();
    await playback.play();
    expect(playback.snapshot()).toMatchObject({ paused: true });
    expect(playback.snapshot().problem).toMatch(/^Could not play the audio: /);
  });

  it("shows a refused play in words", async () => {
    const audio = new FakeAudio();
    audio.play = () => Promise.reject(new DOMException("play() needs a user gesture", "NotAllowedError"));
    const playback = new Playback(() => Promise.reject(new Error("unused")), noFrames);
    playback.attach(audio);
    playback.setSource("first");
    await playback.play();
    expect(playback.snapshot()).toMatchObject({
      paused: true,
      problem: "Could not play the audio: play() needs a user gesture",
    });
  });

  it("follows the element's own pause (the end of the recording)", async () => {
    const { audio, playback } = await playingAt42("first", () => Promise.reject(new Error("unused")));
    audio.pause();
    expect(playback.snapshot().paused).toBe(true);
  });

  describe("a span", () => {
    /** Frames run by hand: ``tick`` is one animation frame. */
    function handFrames() {
      let waiting: (() => void) | null = null;
      const frames: Frames = {
        request: (run) => {
          waiting = run;
          return 1;
        },
        cancel: () => {
          waiting = null;
        },
      };
      return { frames, tick: () => waiting?.(), running: () => waiting !== null };
    }

    async function playingSpan(loop: boolean) {
      const audio = new FakeAudio();
      const hand = handFrames();
      const playback = new Playback(() => Promise.reject(new Error("unused")), hand.frames);
      playback.attach(audio);
      playback.setSource("first");
      await settled();
      playback.playSpan({ startS: 2, endS: 3.5, loop });
      await settled();
      return { audio, playback, ...hand };
    }

    it("plays from its start and pauses at its end", async () => {
      const { audio, playback, tick, running } = await playingSpan(false);
      expect([audio.currentTime, audio.paused]).toEqual([2, false]);
      expect(playback.snapshot().span).toEqual({ startS: 2, endS: 3.5, loop: false });
      audio.currentTime = 3.4;
      tick();
      expect(audio.paused).toBe(false);
      audio.currentTime = 3.52;
      tick();
      expect([audio.paused, playback.snapshot().paused, playback.snapshot().span]).toEqual([true, true, null]);
      expect(running()).toBe(false); // nobody hears the clock any more
    });

    it("starts over at its end when looped, until paused", async () => {
      const { audio, playback, tick } = await playingSpan(true);
      for (let round = 0; round < 3; round++) {
        audio.currentTime = 3.51;
        tick();
        expect([audio.currentTime, audio.paused]).toEqual([2, false]);
      }
      playback.toggle();
      expect([audio.paused, playback.snapshot().span]).toEqual([true, null]);
    });

    it("ends when the audio is sought elsewhere or paused by the element", async () => {
      const sought = await playingSpan(true);
      sought.playback.seek(10);
      sought.tick();
      expect([sought.audio.currentTime, sought.playback.snapshot().span]).toEqual([10, null]);
      const paused = await playingSpan(true);
      paused.audio.pause(); // a media key
      expect(paused.playback.snapshot().span).toBeNull();
    });

    it("replaces the span playing", async () => {
      const { audio, playback, tick } = await playingSpan(true);
      playback.playSpan({ startS: 5, endS: 6, loop: false });
      expect(audio.currentTime).toBe(5);
      audio.currentTime = 6;
      tick();
      expect([audio.paused, playback.snapshot().span]).toEqual([true, null]);
    });
  });
});
