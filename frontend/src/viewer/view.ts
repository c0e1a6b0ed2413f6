/**
 * What the spectrogram shows: a time span at a zoom, over a frequency band, on a plot of
 * a given size. Everything that draws or hit-tests (tiles, boxes, cursor, axes) converts
 * seconds and hertz to CSS pixels of the plot through these functions and nothing else,
 * so boxes stay in s/Hz and land right at every zoom.
 */
export interface View {
  /** Time at the plot's left edge, s. */
  startS: number;
  /** Zoom: CSS pixels per second. */
  pxPerS: number;
  /** Plot size in CSS pixels. */
  widthPx: number;
  heightPx: number;
  /** Frequency at the plot's bottom and top edges, Hz. */
  fMinHz: number;
  fMaxHz: number;
}

export function timeToX(view: View, seconds: number): number {
  return (seconds - view.startS) * view.pxPerS;
}

export function xToTime(view: View, x: number): number {
  return view.startS + x / view.pxPerS;
}

/** Low frequencies at the bottom: y grows downward as on screen. */
export function hzToY(view: View, hz: number): number {
  return ((view.fMaxHz - hz) / (view.fMaxHz - view.fMinHz)) * view.heightPx;
}

export function yToHz(view: View, y: number): number {
  return view.fMaxHz - (y / view.heightPx) * (view.fMaxHz - view.fMinHz);
}

/** Time at the plot's right edge, s. */
export function endS(view: View): number {
  return xToTime(view, view.widthPx);
}

/** How far a view may go: the recording's length and band, and the deepest zoom. */
export interface Limits {
  durationS: number;
  fMaxHz: number;
  /** Deepest zoom, CSS px/s (the shallowest is the whole recording across the plot). */
  maxPxPerS: number;
}

/** Narrowest frequency band, as a share of the whole: a few tile rows still show. */
const MIN_BAND_SHARE = 1 / 64;

function within(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The zoom at which the whole recording just fills the plot's width. */
export function wholeRecordingPxPerS(widthPx: number, limits: Limits): number {
  return widthPx / limits.durationS;
}

/**
 * The nearest view inside the recording: zoom between "whole recording" and the deepest,
 * time within 0..duration, band within 0..fMaxHz. A recording so short that it fills the
 * plot beyond the deepest zoom is simply shown whole.
 */
export function clampView(view: View, limits: Limits): View {
  const minPxPerS = wholeRecordingPxPerS(view.widthPx, limits);
  const pxPerS = within(view.pxPerS, minPxPerS, Math.max(limits.maxPxPerS, minPxPerS));
  const spanS = view.widthPx / pxPerS;
  const startS = within(view.startS, 0, Math.max(0, limits.durationS - spanS));
  const band = within(
    view.fMaxHz - view.fMinHz,
    limits.fMaxHz * MIN_BAND_SHARE,
    limits.fMaxHz,
  );
  const fMinHz = within(view.fMinHz, 0, limits.fMaxHz - band);
  return { ...view, startS, pxPerS, fMinHz, fMaxHz: fMinHz + band };
}

/** Zoom time by `factor` (> 1 closer) keeping the time under plot x where it is. */
export function zoomAt(view: View, x: number, factor: number, limits: Limits): View {
  const pinned = xToTime(view, x);
  const zoomed = clampView({ ...view, pxPerS: view.pxPerS * factor }, limits);
  return clampView({ ...zoomed, startS: pinned - x / zoomed.pxPerS }, limits);
}

/** Zoom frequency by `factor` (> 1 closer) keeping the frequency under plot y where it is. */
export function zoomBandAt(view: View, y: number, factor: number, limits: Limits): View {
  const pinned = yToHz(view, y);
  const share = 1 - y / view.heightPx;
  const band = within((view.fMaxHz - view.fMinHz) / factor, limits.fMaxHz * MIN_BAND_SHARE, limits.fMaxHz);
  const fMinHz = pinned - share * band;
  return clampView({ ...view, fMinHz, fMaxHz: fMinHz + band }, limits);
}

/** Move the view right by `dxPx` CSS pixels (left when negative). */
export function panBy(view: View, dxPx: number, limits: Limits): View {
  return clampView({ ...view, startS: view.startS + dxPx / view.pxPerS }, limits);
}

/** The whole recording across the plot, keeping the frequency band. */
export function wholeRecording(view: View, limits: Limits): View {
  return clampView({ ...view, startS: 0, pxPerS: wholeRecordingPxPerS(view.widthPx, limits) }, limits);
}
