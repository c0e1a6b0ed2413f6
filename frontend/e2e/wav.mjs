// A test recording written here rather than checked in: 16-bit mono PCM WAV of rising
// whistles over faint noise, so the spectrogram shows something to box and the audio
// something to play. Seeded, so every run draws the same picture.
import { writeFileSync } from "node:fs";

export function writeWhistles(path, { seconds = 12, sampleRate = 22050 } = {}) {
  const n = seconds * sampleRate;
  const data = Buffer.alloc(44 + 2 * n);
  data.write("RIFF", 0);
  data.writeUInt32LE(36 + 2 * n, 4);
  data.write("WAVEfmt ", 8);
  data.writeUInt32LE(16, 16); // fmt chunk size
  data.writeUInt16LE(1, 20); // PCM
  data.writeUInt16LE(1, 22); // mono
  data.writeUInt32LE(sampleRate, 24);
  data.writeUInt32LE(2 * sampleRate, 28);
  data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34);
  data.write("data", 36);
  data.writeUInt32LE(2 * n, 40);
  // mulberry32: a plain LCG's low bits repeat and draw lines across the spectrogram.
  let seed = 9;
  const noise = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5) * 0.02;
  };
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const inCall = t % 2;
    // A 0.5 s whistle every 2 s rising from 3 to 5 kHz.
    const loud = inCall < 0.5 ? 0.5 : 0;
    phase += (2 * Math.PI * (3000 + 4000 * inCall)) / sampleRate;
    const sample = loud * Math.sin(phase) + noise();
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), 44 + 2 * i);
  }
  writeFileSync(path, data);
}
