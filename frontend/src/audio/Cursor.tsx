import { useEffect, useLayoutEffect, useRef } from "react";
import { timeToX, type View } from "../viewer/view";
import type { AudioClock } from "./clock";
import { followedStart } from "./follow";

export interface CursorProps {
  /** The spectrogram's view; the cursor is an overlay of exactly that plot. */
  view: View;
  clock: AudioClock;
  durationS: number;
  /** While playing with follow on, a page turn is asked for through onFollow. */
  follow: boolean;
  /** Show the view from ``startS`` (same zoom). */
  onFollow: (startS: number) => void;
}

/**
 * A thin line at the playing time, moved on every animation frame by its transform: React
 * renders it only when its props change.
 */
export function Cursor({ view, clock, durationS, follow, onFollow }: CursorProps) {
  const line = useRef<HTMLDivElement>(null);
  const latest = useRef({ view, durationS, follow, onFollow });
  useLayoutEffect(() => {
    latest.current = { view, durationS, follow, onFollow };
  }, [view, durationS, follow, onFollow]);

  useEffect(() => {
    let drawn = "";
    // The view a page turn was asked from: one request until the new view arrives.
    let turnedFrom: View | null = null;
    return clock.subscribe(({ seconds, playing }) => {
      const { view, durationS, follow, onFollow } = latest.current;
      const x = timeToX(view, seconds);
      const shown = x >= 0 && x <= view.widthPx;
      const style = shown ? `translateX(${x.toFixed(2)}px)` : "";
      if (line.current && style !== drawn) {
        line.current.style.transform = style;
        line.current.style.visibility = shown ? "visible" : "hidden";
        drawn = style;
      }
      if (playing && follow && turnedFrom !== view) {
        const start = followedStart(view, seconds, durationS);
        if (start !== null) {
          turnedFrom = view;
          onFollow(start);
        }
      }
    });
  }, [clock]);

  return (
    <div
      className="audio-cursor"
      aria-hidden="true"
      style={{ width: view.widthPx, height: view.heightPx }}
    >
      <div ref={line} className="audio-cursor-line" />
    </div>
  );
}
