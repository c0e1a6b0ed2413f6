import { describe, expect, it } from "vitest";
import { annotatorOf, COLUMNS_KEY, formatMeasurement, readColumns, saveColumns, unitOf } from "./columns";

const AVAILABLE = [
  { key: "Delta Time (s)", short: "ΔT", definition: "End time minus begin time." },
  { key: "Peak Freq (Hz)", short: "Peak F", definition: "Frequency of the loudest cell." },
  { key: "SNR (dB)", short: "SNR", definition: "In-band power over its surroundings." },
];

function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe("measurement columns", () => {
  it("are remembered, and read back in the server's order", () => {
    const storage = memory();
    expect(readColumns(storage, AVAILABLE)).toEqual([]);
    saveColumns(storage, ["SNR (dB)", "Delta Time (s)"]);
    expect(readColumns(storage, AVAILABLE)).toEqual(["Delta Time (s)", "SNR (dB)"]);
  });

  it("drop what the server no longer computes, and survive a damaged entry", () => {
    expect(readColumns(memory({ [COLUMNS_KEY]: '["Old Thing (Hz)", "SNR (dB)"]' }), AVAILABLE)).toEqual(["SNR (dB)"]);
    expect(readColumns(memory({ [COLUMNS_KEY]: "{not json" }), AVAILABLE)).toEqual([]);
    expect(readColumns(memory({ [COLUMNS_KEY]: '"SNR (dB)"' }), AVAILABLE)).toEqual([]);
  });

  it("take the unit from the key's brackets", () => {
    expect(unitOf("Peak Freq (Hz)")).toBe("Hz");
    expect(unitOf("Avg Entropy (bits)")).toBe("bits");
    expect(unitOf("Score")).toBe("");
  });

  it.each([
    ["Peak Freq (Hz)", 3012.5, "3.01 kHz"],
    ["BW 90% (Hz)", 431.2, "431 Hz"],
    ["Delta Time (s)", 0.0464, "46.4 ms"],
    ["Center Time (s)", 12.34567, "12.346 s"],
    ["Max Power (dB)", -23.456, "-23.5 dB"],
    ["Avg Entropy (bits)", 3.141592, "3.142 bits"],
    ["Score", 0.123456, "0.1235"],
  ])("format %s = %f as %s", (key, value, text) => {
    expect(formatMeasurement(key, value)).toBe(text);
  });
});

describe("the Annotator column", () => {
  it("names who created the box, else the machine that proposed it, else nobody yet", () => {
    expect(annotatorOf({ created_by: "ana", source: "raven" })).toBe("ana");
    expect(annotatorOf({ created_by: null, source: "detector:Whistles" })).toBe("detector: Whistles");
    expect(annotatorOf({ created_by: null, source: null })).toBe("");
  });
});
