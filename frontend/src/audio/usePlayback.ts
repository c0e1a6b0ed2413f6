import { useEffect, useState } from "react";
import { expose } from "../testhook";
import { type FreshUrls, Playback, words } from "./playback";
import { scheduleRefresh } from "./refresh";

export interface AudioSource {
  /** The manifest's audio_url; a new one is swapped in keeping the place, speed and play state. */
  audioUrl: string;
  /** The manifest's urls_expire_at: ``refresh`` is called well before then. */
  urlsExpireAt: string;
  /** Read the manifest again and re-render with its URLs; resolves to it. Also called once
   * when the audio fails (an expired URL), to resume from the fresh one. */
  refresh: () => Promise<FreshUrls>;
}

/** The recording's Playback, for the Player, the Cursor and click-to-seek. */
export function usePlayback({ audioUrl, urlsExpireAt, refresh }: AudioSource): Playback {
  const [playback] = useState(() => new Playback(refresh));

  useEffect(() => playback.renewWith(refresh), [playback, refresh]);
  useEffect(() => playback.setSource(audioUrl), [playback, audioUrl]);
  useEffect(
    () =>
      scheduleRefresh(urlsExpireAt, refresh, (failure) =>
        playback.report(`Could not renew the audio link (trying again): ${words(failure)}`),
      ),
    [playback, urlsExpireAt, refresh],
  );
  useEffect(() => {
    expose("audio", {
      currentTime: () => playback.clock.now().seconds,
      paused: () => !playback.clock.now().playing,
      seek: (seconds: number) => playback.seek(seconds),
      play: () => playback.play(),
      pause: () => playback.pause(),
    });
  }, [playback]);
  return playback;
}
