import type { DetectorPreset } from "../api/types";
import type { DetectorParameter, DetectorSettings } from "../config";

/**
 * A preset as the form holds it: numbers as typed (a half-typed "1e" must not become NaN in
 * the field), turned into a preset by `toPreset` once every field reads as a number.
 */
export interface PresetDraft {
  name: string;
  enabled: boolean;
  band: DetectorPreset["band"];
  values: Record<string, string>;
}

/** A preset's numbers: every field of the server's preset but its name, switch and band. */
export type PresetNumber = Exclude<keyof DetectorPreset, "name" | "enabled" | "band">;

/**
 * Each of a preset's numbers, read by name. The schema has no index signature, so the numbers
 * are listed here: the compiler then checks that each is set, and this list fails the build
 * when the server's schema (src/api/openapi.ts) gains or loses one.
 */
function presetNumbers(read: (name: PresetNumber) => number): Record<PresetNumber, number> {
  return {
    min_freq_hz: read("min_freq_hz"),
    max_freq_hz: read("max_freq_hz"),
    min_duration_s: read("min_duration_s"),
    max_duration_s: read("max_duration_s"),
    min_separation_s: read("min_separation_s"),
    noise_block_s: read("noise_block_s"),
    noise_hop_s: read("noise_hop_s"),
    noise_percentile: read("noise_percentile"),
    snr_threshold_db: read("snr_threshold_db"),
    min_occupancy_pct: read("min_occupancy_pct"),
  };
}

const PRESET_NUMBERS: ReadonlySet<string> = new Set(Object.keys(presetNumbers(() => 0)));

export function isPresetNumber(name: string): name is PresetNumber {
  return PRESET_NUMBERS.has(name);
}

/** Whether a form with these parameters sets every number of a preset. */
export function setsEveryNumber(names: readonly string[]): boolean {
  return [...PRESET_NUMBERS].every((name) => names.includes(name));
}

/** The bands a proposal may span, as the server's schema names them. */
export function isBand(band: string): band is DetectorPreset["band"] {
  return band === "energy" || band === "preset";
}

/** What is wrong with one preset, by field ("name", "band" or a parameter's name); empty when nothing. */
export type FieldProblems = Record<string, string>;

/** A new preset: the parameters' defaults, enabled, the first band, a name not used yet. */
export function newDraft(settings: DetectorSettings, taken: readonly string[]): PresetDraft {
  let n = taken.length + 1;
  while (taken.includes(`Preset ${n}`)) n++;
  return {
    name: `Preset ${n}`,
    enabled: true,
    band: settings.bands[0] ?? "energy",
    values: Object.fromEntries(settings.parameters.map((p) => [p.name, String(p.default)])),
  };
}

/** A saved preset in the form. */
export function toDraft(preset: DetectorPreset, parameters: readonly DetectorParameter[]): PresetDraft {
  return {
    name: preset.name,
    enabled: preset.enabled,
    band: preset.band,
    values: Object.fromEntries(
      parameters.map((p) => [p.name, String(preset[p.name])]),
    ),
  };
}

/** The preset the server stores: /config.json lists every number (`parseConfig` checks), so the form sets each. */
export function toPreset(draft: PresetDraft): DetectorPreset {
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    band: draft.band,
    ...presetNumbers((name) => Number(draft.values[name])),
  };
}

/**
 * Each field the form can judge by itself: a name, a number within its parameter's limits.
 * Rules between fields (min below max) are the server's: its 400 lands on the field it names
 * (`problemOfServer`).
 */
export function checkDraft(draft: PresetDraft, parameters: readonly DetectorParameter[]): FieldProblems {
  const problems: FieldProblems = {};
  if (!draft.name.trim()) problems.name = "A preset needs a name.";
  for (const p of parameters) {
    const typed = (draft.values[p.name] ?? "").trim();
    const value = Number(typed);
    if (typed === "" || !Number.isFinite(value)) problems[p.name] = `${p.label} needs a number (${p.unit}).`;
    else if (value < p.minimum || value > p.maximum) {
      problems[p.name] = `${p.label} must be from ${p.minimum} to ${p.maximum} ${p.unit}.`;
    }
  }
  return problems;
}

/** The whole list: each preset's own problems, and what is wrong with the list (too many, a name twice). */
export function checkDrafts(
  drafts: readonly PresetDraft[],
  settings: DetectorSettings,
): { presets: FieldProblems[]; list: string | null } {
  const presets = drafts.map((draft) => checkDraft(draft, settings.parameters));
  const names = drafts.map((d) => d.name.trim());
  names.forEach((name, i) => {
    if (name && names.indexOf(name) !== i) presets[i].name ??= `Another preset is named ${name}.`;
  });
  const list =
    drafts.length > settings.maxPresets ? `A project has at most ${settings.maxPresets} presets; remove one.` : null;
  return { presets, list };
}

export function hasProblems(checked: { presets: FieldProblems[]; list: string | null }): boolean {
  return checked.list !== null || checked.presets.some((p) => Object.keys(p).length > 0);
}

/**
 * Where the server's refusal belongs: it names the preset as `detectors[i]` and the field
 * by its name ("detectors[1] ('Bats'): min_freq_hz (9e+04 Hz) must be below max_freq_hz …"),
 * the first one written being the one to change. Null: about the list as a whole.
 */
export function problemOfServer(
  message: string,
  parameters: readonly DetectorParameter[],
): { index: number; field: string } | null {
  const index = /detectors\[(\d+)\]/.exec(message);
  if (!index) return null;
  // The preset's name in brackets comes first; a name such as "band B" is not a field.
  const after = message.slice(index.index + index[0].length).replace(/^\s*\((['"]).*?\1\)/, "");
  const fields = ["name", "band", "enabled", ...parameters.map((p) => p.name)];
  const found = fields
    .map((field) => ({ field, at: after.search(new RegExp(`\\b${field}\\b`)) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  return { index: Number(index[1]), field: found?.field ?? "name" };
}
