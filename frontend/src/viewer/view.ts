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
