import { Checkbox, IconButton, Select, Tooltip } from "@radix-ui/themes";
import { Pause, Play } from "lucide-react";
import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";
import { CLOCK_FROM_S, clockTime } from "../clock";
import { type Playback, SPEEDS } from "./playback";

export interface PlayerProps {
  /** From usePlayback. */
  playback: Playback;
  /** The manifest's duration_s (decoded samples: truer than an MP3 header). */
  durationS: number;
  /** Whether the view follows the cursor while playing (the page keeps it for the Cursor). */
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
}

export function readout(seconds: number, durationS: number): string {
  if (durationS >= CLOCK_FROM_S) return `${clockTime(seconds, 1)} / ${clockTime(durationS, 1)}`;
  return `${seconds.toFixed(1)} s / ${durationS.toFixed(1)} s`;
}

/** The recording's one `<audio>` element and its controls (Space plays and pauses: keys/useViewerKeys.ts). */
export function Player({ playback, durationS, follow, onFollowChange }: PlayerProps) {
  const state = useSyncExternalStore(playback.subscribe, playback.snapshot);
  const time = useRef<HTMLSpanElement>(null);
  // The element's ref callback, through a function of ours: given as the ref itself, the
  // Playback would count as a ref object to React's compiler, unreadable during render.
  const attach = useCallback((media: HTMLAudioElement | null) => playback.attach(media), [playback]);

  // The readout changes ten times a second while playing: written straight into React's
  // text node, so React does not render the player that often.
  useEffect(
    () =>
      playback.clock.subscribe(({ seconds }) => {
        const text = readout(seconds, durationS);
        const node = time.current?.firstChild;
        if (node && node.nodeValue !== text) node.nodeValue = text;
      }),
    [playback, durationS],
  );

  return (
    <div className="player">
      <audio ref={attach} preload="metadata" />
      <Tooltip content={state.paused ? "Play (Space)" : "Pause (Space)"}>
        <IconButton size="2" aria-label={state.paused ? "Play" : "Pause"} onClick={() => playback.toggle()}>
          {state.paused ? <Play size={16} aria-hidden="true" /> : <Pause size={16} aria-hidden="true" />}
        </IconButton>
      </Tooltip>
      <Select.Root size="1" value={String(state.rate)} onValueChange={(value) => playback.setRate(Number(value))}>
        <Tooltip content="Playback speed">
          <Select.Trigger aria-label="Speed" variant="soft" />
        </Tooltip>
        <Select.Content>
          {SPEEDS.map((speed) => (
            <Select.Item key={speed} value={String(speed)}>
              {speed}×
            </Select.Item>
          ))}
        </Select.Content>
      </Select.Root>
      <label className="field-label">
        <Checkbox size="1" checked={follow} onCheckedChange={(on) => onFollowChange(on === true)} />
        Follow
      </label>
      <span ref={time} className="time" role="timer">
        {readout(playback.clock.now().seconds, durationS)}
      </span>
      {state.problem && <p role="alert">{state.problem}</p>}
    </div>
  );
}
