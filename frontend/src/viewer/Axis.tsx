import { useLayoutEffect, useRef } from "react";
import type { Tick } from "./ticks";

export interface AxisProps {
  /** Below the plot (time) or left of it (frequency). */
  side: "bottom" | "left";
  /** Along the axis, CSS px: the plot's width or height. */
  lengthPx: number;
  /** Across the axis, CSS px. */
  depthPx: number;
  ticks: Tick[];
  /** A tick's place along the axis, CSS px from the plot's left or top. */
  position: (at: number) => number;
  title: string;
}

const MARK_PX = 5;
const FONT = "12px system-ui, sans-serif";
// Light text: the axes are drawn on the spectrogram's dark panel.
const INK = "#c9d1d9";

/** An axis drawn as text on its own canvas beside the plot, at devicePixelRatio. */
export function Axis({ side, lengthPx, depthPx, ticks, position, title }: AxisProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = side === "bottom" ? lengthPx : depthPx;
  const height = side === "bottom" ? depthPx : lengthPx;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = FONT;
    context.fillStyle = context.strokeStyle = INK;
    context.beginPath();
    for (const tick of ticks) {
      // Half-pixel offsets keep one-pixel marks sharp.
      const along = Math.round(position(tick.at)) + 0.5;
      if (side === "bottom") {
        context.moveTo(along, 0);
        context.lineTo(along, MARK_PX);
      } else {
        context.moveTo(width - MARK_PX, along);
        context.lineTo(width, along);
      }
    }
    context.stroke();
    for (const tick of ticks) {
      const along = position(tick.at);
      if (side === "bottom") {
        context.textAlign = along < 20 ? "left" : along > width - 20 ? "right" : "center";
        context.textBaseline = "top";
        context.fillText(tick.text, along, MARK_PX + 2);
      } else {
        context.textAlign = "right";
        context.textBaseline = along < 8 ? "top" : along > height - 8 ? "bottom" : "middle";
        context.fillText(tick.text, width - MARK_PX - 3, along);
      }
    }
    context.textAlign = "center";
    if (side === "bottom") {
      context.textBaseline = "bottom";
      context.fillText(title, width / 2, height);
    } else {
      context.translate(0, height / 2);
      context.rotate(-Math.PI / 2);
      context.textBaseline = "top";
      context.fillText(title, 0, 2);
    }
  }, [side, width, height, ticks, position, title]);

  return <canvas ref={canvasRef} aria-hidden="true" style={{ display: "block", width, height }} />;
}
