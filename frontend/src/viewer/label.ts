import { endS, type View } from "./view";

const kHz = (hz: number) => String(Number((hz / 1000).toFixed(1)));

/** The spectrogram's accessible name: what it shows, e.g. "Spectrogram of a.mp3, 12.0–17.5 s, 0–10 kHz". */
export function spectrogramLabel(name: string, view: View): string {
  const time = `${view.startS.toFixed(1)}–${endS(view).toFixed(1)} s`;
  return `Spectrogram of ${name}, ${time}, ${kHz(view.fMinHz)}–${kHz(view.fMaxHz)} kHz`;
}
