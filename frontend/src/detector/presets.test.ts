import { describe, expect, it } from "vitest";
import type { DetectorSettings } from "../config";
import { checkDraft, checkDrafts, hasProblems, newDraft, problemOfServer, toDraft, toPreset } from "./presets";

// As /config.json serves them (chalicelib/detector_presets.py), two of the ten.
const SETTINGS: DetectorSettings = {
  parameters: [
    {
      name: "min_freq_hz",
      label: "Min frequency",
      unit: "Hz",
      default: 1000,
      minimum: 0,
      maximum: 500_000,
      explanation: "Lowest frequency of the band the detector listens to.",
    },
    {
      name: "max_freq_hz",
      label: "Max frequency",
      unit: "Hz",
      default: 10_000,
      minimum: 1,
      maximum: 500_000,
      explanation: "Highest frequency of the band.",
    },
    {
      name: "snr_threshold_db",
      label: "SNR threshold",
      unit: "dB",
      default: 6,
      minimum: 0,
      maximum: 100,
      explanation: "A frame is loud when its in-band power is this far above the noise level.",
    },
  ],
  bands: ["energy", "preset"],
  maxPresets: 2,
};

describe("detector preset drafts", () => {
  it("start from the parameters' defaults, enabled, with a name not taken", () => {
    expect(newDraft(SETTINGS, ["Preset 2"])).toEqual({
      name: "Preset 3",
      enabled: true,
      band: "energy",
      values: { min_freq_hz: "1000", max_freq_hz: "10000", snr_threshold_db: "6" },
    });
  });

  it("go to the server as numbers and come back the same", () => {
    const draft = { ...newDraft(SETTINGS, []), name: " Whistles ", values: { min_freq_hz: "2000", max_freq_hz: "4e3", snr_threshold_db: "10" } };
    const preset = toPreset(draft, SETTINGS.parameters);
    expect(preset).toEqual({ name: "Whistles", enabled: true, band: "energy", min_freq_hz: 2000, max_freq_hz: 4000, snr_threshold_db: 10 });
    expect(toDraft(preset, SETTINGS.parameters).values).toEqual({ min_freq_hz: "2000", max_freq_hz: "4000", snr_threshold_db: "10" });
  });

  it("fill a parameter a saved preset lacks with its default", () => {
    const draft = toDraft({ name: "Old", enabled: false, band: "preset", min_freq_hz: 500 }, SETTINGS.parameters);
    expect(draft.values).toEqual({ min_freq_hz: "500", max_freq_hz: "10000", snr_threshold_db: "6" });
  });

  it("name each field out of its parameter's limits, or not a number, with the unit", () => {
    const draft = { ...newDraft(SETTINGS, []), name: "  ", values: { min_freq_hz: "-1", max_freq_hz: "", snr_threshold_db: "1e" } };
    expect(checkDraft(draft, SETTINGS.parameters)).toEqual({
      name: "A preset needs a name.",
      min_freq_hz: "Min frequency must be from 0 to 500000 Hz.",
      max_freq_hz: "Max frequency needs a number (Hz).",
      snr_threshold_db: "SNR threshold needs a number (dB).",
    });
    expect(checkDraft(newDraft(SETTINGS, []), SETTINGS.parameters)).toEqual({});
  });

  it("refuse a name twice and more presets than a project may have", () => {
    const one = newDraft(SETTINGS, []);
    const checked = checkDrafts([one, { ...one }, { ...one, name: "Other" }], SETTINGS);
    expect(checked.presets[0]).toEqual({});
    expect(checked.presets[1]).toEqual({ name: "Another preset is named Preset 1." });
    expect(checked.list).toBe("A project has at most 2 presets; remove one.");
    expect(hasProblems(checked)).toBe(true);
    expect(hasProblems(checkDrafts([one], SETTINGS))).toBe(false);
  });

  it("put the server's refusal on the preset and field it names first", () => {
    const parameters = SETTINGS.parameters;
    expect(
      problemOfServer("detectors[1] ('band 2'): min_freq_hz (9e+04 Hz) must be below max_freq_hz (4e+04 Hz)", parameters),
    ).toEqual({ index: 1, field: "min_freq_hz" });
    expect(problemOfServer("detectors[0]: name must be 1-60 characters, not ''", parameters)).toEqual({ index: 0, field: "name" });
    expect(problemOfServer("detectors: two presets are named 'Bats'", parameters)).toBeNull();
  });
});
