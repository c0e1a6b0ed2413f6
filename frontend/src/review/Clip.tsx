import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Manifest } from "../api/types";
import { place, planDrawing } from "../viewer/plan";
import type { View } from "../viewer/view";
import { boxOnClip, clipView } from "./clip";
import type { ClipTiles, RecordingTiles } from "./clipTiles";
import type { Verdict } from "./decisions";
import type { ReviewItem } from "../api/types";

export interface ClipProps {
  item: ReviewItem;
  /** 1-based place on the page, and the page's size: the clip's accessible name says both. */
  number: number;
  pageSize: number;
  verdict: Verdict;
  /** The server refused the last decision on this box, in its words. */
  error?: string;
  focused: boolean;
  widthPx: number;
  heightPx: number;
  tiles: ClipTiles;
  /** Lower loads first: the page's clips in order. */
  priority: number;
  onFocus: () => void;
}

const STATE_WORDS = { accepted: "accepted", rejected: "rejected" } as const;

export function stateWord(verdict: Verdict): string {
  return verdict.state ? STATE_WORDS[verdict.state] : "unreviewed";
}

export function confidenceWord(confidence: number | null): string {
  return confidence === null ? "no confidence" : confidence.toFixed(2);
}

/** One box as a clip of its recording's spectrogram, its box outlined, its label, confidence and state beneath. */
export function Clip(props: ClipProps) {
  const { item, verdict, focused, widthPx, heightPx, tiles } = props;
  const manifest = useManifest(tiles, item.recording_id);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawn = useClipDrawing(canvas, manifest, props);
  const state = stateWord(verdict);
  const label = verdict.label || "unlabelled";
  return (
    <div
      className={`review-clip ${state}${focused ? " focused" : ""}`}
      role="img"
      aria-label={`Clip ${props.number} of ${props.pageSize}: ${label}, ${confidenceWord(item.confidence)}, ${state}${props.error ? `, not saved: ${props.error}` : ""}`}
      aria-current={focused ? "true" : undefined}
      data-state={state}
      data-drawn={drawn ? "true" : "false"}
      data-clip={item.annotation_id}
      onClick={props.onFocus}
      style={{ width: widthPx }}
    >
      <canvas ref={canvas} style={{ width: widthPx, height: heightPx }} />
      <div className="review-clip-caption">
        <span className="review-clip-what" title={label}>
          <span className="review-clip-label">{label}</span>
          {verdict.label !== item.label && <span className="review-clip-before"> (was {item.label || "unlabelled"})</span>}
        </span>
        <span className="review-clip-confidence">{confidenceWord(item.confidence)}</span>
        <span className="review-clip-state">{state}</span>
        <span className="review-clip-where">
          {item.filename} {item.start_s.toFixed(1)}–{item.end_s.toFixed(1)} s
        </span>
        {props.error && <span className="review-clip-error">Not saved: {props.error}</span>}
      </div>
    </div>
  );
}

function useManifest(tiles: ClipTiles, recordingId: string): Manifest | null {
  const [manifest, setManifest] = useState<Manifest | null>(null);
  useEffect(() => {
    let stopped = false;
    tiles.manifest(recordingId).then(
      (read) => !stopped && setManifest(read),
      // The clip stays the floor's colour; its caption still says what it is.
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [tiles, recordingId]);
  return manifest;
}

/**
 * Draws the clip whenever one of its recording's tiles arrives, at most once a frame; true once
 * every tile of the level it needs is drawn.
 */
function useClipDrawing(canvas: React.RefObject<HTMLCanvasElement | null>, manifest: Manifest | null, props: ClipProps): boolean {
  const { item, widthPx, heightPx, tiles, priority } = props;
  const [drawnFor, setDrawnFor] = useState<string | null>(null);
  const clipKey = `${item.recording_id}/${item.annotation_id}/${widthPx}x${heightPx}`;
  const latestPriority = useRef(priority);
  useLayoutEffect(() => {
    latestPriority.current = priority;
  });

  useEffect(() => {
    if (!manifest) return;
    const recording = tiles.of(item.recording_id, manifest);
    const want = `clip ${clipKey}`;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const element = canvas.current;
      if (!element) return;
      const view = clipView(item, { durationS: recording.manifest.duration_s, fMaxHz: recording.manifest.f_max_hz }, widthPx, heightPx);
      if (paint(element, recording, view, item, (tilesOf) => recording.want(want, latestPriority.current, tilesOf))) {
        setDrawnFor(clipKey);
      }
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = recording.subscribe(schedule);
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
      recording.release(want);
    };
  }, [manifest, tiles, item, widthPx, heightPx, clipKey, canvas]);

  return drawnFor === clipKey;
}

/** Draw the clip with the tiles at hand; true when the level it needs is complete. */
function paint(
  canvas: HTMLCanvasElement,
  recording: RecordingTiles,
  view: View,
  box: ReviewItem,
  want: (tiles: ReturnType<typeof planDrawing>["load"]) => void,
): boolean {
  const context = canvas.getContext("2d");
  if (!context) return false;
  const dpr = window.devicePixelRatio || 1;
  const width = Math.round(view.widthPx * dpr);
  const height = Math.round(view.heightPx * dpr);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const manifest = recording.manifest;
  const plan = planDrawing(manifest, view, dpr, (tile) => recording.has(tile));
  want(plan.load);
  context.fillStyle = recording.floorColour();
  context.fillRect(0, 0, width, height);
  for (const tile of plan.draw) {
    const image = recording.image(tile);
    const at = place(tile, view, dpr, manifest.f_max_hz);
    if (!image || !at) continue;
    context.imageSmoothingEnabled = at.dw < at.sw;
    context.drawImage(image, at.sx, at.sy, at.sw, at.sh, at.dx, at.dy, at.dw, at.dh);
  }
  const outline = boxOnClip(box, view);
  context.strokeStyle = "#fff";
  context.lineWidth = 2 * dpr;
  context.setLineDash([]);
  context.strokeRect(outline.x * dpr, outline.y * dpr, outline.width * dpr, outline.height * dpr);
  context.strokeStyle = "#000";
  context.lineWidth = dpr;
  context.setLineDash([4 * dpr, 4 * dpr]);
  context.strokeRect(outline.x * dpr, outline.y * dpr, outline.width * dpr, outline.height * dpr);
  return plan.complete && plan.level !== undefined;
}
