/**
 * Shapes issue 17's server adds (detector presets, proposals, detection state, computed
 * measurements), written here by hand while those routes live on other branches. Once
 * ./openapi.ts is regenerated from the merged server, each becomes a part of it in
 * ./types.ts and this file goes (docs/browser-app.md, Detector presets).
 */

/** Who reviewed a box, when, and its label before that review. */
export interface Review {
  state: "accepted" | "rejected";
  by: string | null;
  at: string | null;
  label_before: string | null;
}

/** What a box says of where it came from: null = drawn by a person, "detector:<preset>", "birdnet", … */
export interface BoxOrigin {
  source: string | null;
  review: Review | null;
}

/** A project's band-limited energy detector settings (chalicelib/detector_presets.py). */
export interface DetectorPreset {
  name: string;
  enabled: boolean;
  band: string;
  /** Each number parameter /config.json's `detectorParameters` names, in its unit. */
  [parameter: string]: number | string | boolean;
}

/** One preset's last run on a recording: proposals kept, candidates found, refused and why. */
export interface PresetOutcome {
  proposals: number;
  candidates: number;
  refused: { too_short: number; too_long: number; low_occupancy: number };
}

/** A recording's detection state, served as `detection` in its JSON. */
export interface Detection {
  state: "queued" | "running" | "done" | "failed";
  at: string | null;
  error: string | null;
  presets: Record<string, PresetOutcome>;
}

/** The detector fields of a project's and a recording's JSON. */
export interface WithDetectors {
  detectors: DetectorPreset[];
}
export interface WithDetection {
  detection: Detection | null;
}

/** GET /recordings/{id}/measurements: computed values per box, and boxes still being measured. */
export interface MeasurementsAnswer {
  measurements: Record<string, Record<string, number>>;
  pending: string[];
}
