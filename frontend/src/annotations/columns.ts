import type { Annotation } from "../api/types";
import type { MeasurementName } from "../config";
import { sourceWords } from "./proposals";

/** Where the box list's measurement columns are remembered, across recordings and visits. */
export const COLUMNS_KEY = "sonagram.columns";

/**
 * The measurement keys the person chose to see, in the server's column order; keys the
 * server no longer computes are dropped, and nothing remembered (or unreadable) means none.
 */
export function readColumns(storage: Pick<Storage, "getItem">, available: readonly MeasurementName[]): string[] {
  let chosen: unknown;
  try {
    chosen = JSON.parse(storage.getItem(COLUMNS_KEY) ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(chosen)) return [];
  return available.map((m) => m.key).filter((key) => chosen.includes(key));
}

export function saveColumns(storage: Pick<Storage, "setItem">, keys: readonly string[]): void {
  storage.setItem(COLUMNS_KEY, JSON.stringify(keys));
}

/** The unit a Raven-style key names in brackets: "Peak Freq (Hz)" → "Hz"; none → "". */
export function unitOf(key: string): string {
  return /\(([^()]+)\)\s*$/.exec(key)?.[1] ?? "";
}

/**
 * A value as an annotator reads it: frequencies in kHz from 1 kHz up, times in ms under a
 * second, dB to a tenth, anything else to four significant digits.
 */
export function formatMeasurement(key: string, value: number): string {
  const unit = unitOf(key);
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case "Hz":
      return Math.abs(value) >= 1000 ? `${(value / 1000).toFixed(2)} kHz` : `${value.toFixed(0)} Hz`;
    case "s":
      return Math.abs(value) < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(3)} s`;
    case "dB":
      return `${value.toFixed(1)} dB`;
    default:
      return unit ? `${Number(value.toPrecision(4))} ${unit}` : String(Number(value.toPrecision(4)));
  }
}

/**
 * What the Annotator column says of a box: who created it (as the server names them: a
 * username, on the cloud a Cognito sub); for a machine's box, the machine (its source); for
 * a box not saved yet, nothing.
 */
export function annotatorOf(box: Pick<Annotation, "created_by" | "source">): string {
  if (box.created_by) return box.created_by;
  return box.source ? sourceWords(box.source) : "";
}
