import { describe, expect, it } from "vitest";
import type { DetectorPreset } from "../api/types";
import type { DetectorSettings } from "../config";
import {
  checkDraft,
  checkDrafts,
  hasProblems,
  newDraft,
  problemOfServer,
  toDraft,
  toPreset,
} from "./presets";
import { DETECTOR_PARAMETERS } from "./fixture";

const SETTINGS: DetectorSettings = {
  parameters: DETECTOR_PARAMETERS,
  bands: ["energy", "preset"],
  maxPresets: 2,
};
// Each parameter's default as the form shows it, and as the server stores it.
const DEFAULTS = Object.fromEntries(DETECTOR_PARAMETERS.map((p) => [p.name, String(p.default)]));
const SAVED: DetectorPreset = {
  name: "Whistles",
  enabled: false,
  band: "preset",
  min_freq_hz: 2000,
  max_freq_hz: 4000,
  min_duration_s: 0.05,
  max_duration_s: 5,
  min_separation_s: 0.1,
  noise_block_s: 5,
  noise_hop_s: 1,
  noise_percentile: 20,
  snr_threshold_db: 10,
  min_occupancy_pct: 50,
};

describe("detector preset drafts", () => {
  it("start from the parameters' defaults, enabled, with a name not taken", () => {
    expect(newDraft(SETTINGS, ["Preset 2"])).toEqual({ name: "Preset 3", enabled: true, band: "energy", values: DEFAULTS });
  });

  it("go to the server as numbers, every one of them, and come back the same", () => {
    const draft = {
      ...newDraft(SETTINGS, []),
      name: " Whistles ",
      enabled: false,
      band: "preset" as const,
      values: { ...DEFAULTS, min_freq_hz: "2000", max_freq_hz: "4e3", snr_threshold_db: "10" },
    };
    expect(toPreset(draft)).toEqual(SAVED);
    expect(toDraft(SAVED, SETTINGS.parameters)).toEqual({ ...draft, name: "Whistles", values: { ...draft.values, max_freq_hz: "4000" } });
  });

  it("name each field out of its parameter's limits, or not a number, with the unit", () => {
    const draft = {
      ...newDraft(SETTINGS, []),
      name: "  ",
      values: { ...DEFAULTS, min_freq_hz: "-1", max_freq_hz: "", snr_threshold_db: "1e" },
    };
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
