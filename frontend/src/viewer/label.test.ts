import { expect, it } from "vitest";
import { spectrogramLabel } from "./label";

it("names the recording, the time span and the band the spectrogram shows", () => {
  const view = { startS: 12, pxPerS: 200, widthPx: 1100, heightPx: 400, fMinHz: 0, fMaxHz: 10_000 };
  expect(spectrogramLabel("dawn.mp3", view)).toBe("Spectrogram of dawn.mp3, 12.0–17.5 s, 0–10 kHz");
  expect(spectrogramLabel("x.wav", { ...view, fMinHz: 2250, fMaxHz: 4000 })).toBe(
    "Spectrogram of x.wav, 12.0–17.5 s, 2.3–4 kHz",
  );
});
