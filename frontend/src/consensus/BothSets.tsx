import { useLayoutEffect, useRef } from "react";
import type { View } from "../viewer/view";
import { drawBothSets } from "./bothSets";
import "./consensus.css";
import type { RecordingAgreement } from "./useRecordingAgreement";

/**
 * Both blind annotators' boxes over the spectrogram (A solid, B dash-dot), once their
 * agreement is read and while "Show both annotators' boxes" is on. Clicks go through to the
 * boxes' layer under it.
 */
export function BothSets({ view, agreement, labels }: { view: View; agreement: RecordingAgreement; labels: readonly string[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const shown = agreement.view.kind === "ready" && agreement.showBoth ? agreement.view : null;
  const current = shown && agreement.current !== null ? (shown.agreement.pairs[agreement.current] ?? null) : null;

  useLayoutEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (!shown || !element || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(view.widthPx * ratio);
    element.height = Math.round(view.heightPx * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawBothSets(ctx, { view, pairs: shown.agreement.pairs, labels, current });
  }, [view, shown, labels, current]);

  if (!shown) return null;
  return <canvas ref={canvas} className="both-sets" aria-hidden="true" style={{ width: view.widthPx, height: view.heightPx }} />;
}
