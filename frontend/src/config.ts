import type { DetectorPreset } from "./api/types";
import { isBand, isPresetNumber, type PresetNumber, setsEveryNumber } from "./detector/presets";
import { parseReviewNames } from "./review/names";
import type { ReviewNames } from "./review/names";
import type { CognitoAuth } from "./signin/cognito";

/** How people sign in on this stage: a username (local), or Cognito's hosted UI (cloud). */
export type AuthConfig = { kind: "local" } | CognitoAuth;

/**
 * How long this stage's pipeline may take, in seconds, from the stage's own settings: a stage
 * may sweep every minute (the local stack) or every 5 (the cloud's schedule).
 */
export interface PipelineTimings {
  /** A rendering runs at most this long before it is stopped. */
  jobBudgetS: number;
  /** A dead attempt's claim on a job lapses this long after its last renewal. */
  leaseS: number;
  /** The sweeper comes back this often for the jobs nobody works on. */
  sweepEveryS: number;
  /** An upload URL is good this long. */
  uploadUrlS: number;
  /** The sweeper waits this much longer for an upload before saying it never arrived. */
  lateUploadS: number;
}

const TIMINGS: (keyof PipelineTimings)[] = ["jobBudgetS", "leaseS", "sweepEveryS", "uploadUrlS", "lateUploadS"];

/** One number of a detector preset as the form shows it (chalicelib/detector_presets.py). */
export interface DetectorParameter {
  name: PresetNumber;
  label: string;
  unit: string;
  default: number;
  minimum: number;
  maximum: number;
  /** One sentence: what the number does. */
  explanation: string;
}

/** The presets' form: its numbers, the band choices, how many presets a project may have. */
export interface DetectorSettings {
  parameters: DetectorParameter[];
  bands: DetectorPreset["band"][];
  maxPresets: number;
}

/** A measurement computed on every box: its key in `measurements`, a short name, its definition. */
export interface MeasurementName {
  key: string;
  short: string;
  definition: string;
}

/** What the server running the page tells it (/config.json, from the stage's settings). */
export interface Config {
  apiUrl: string;
  maxUploadBytes: number;
  auth: AuthConfig;
  pipeline: PipelineTimings;
  /** Empty lists where a server predates detectors and measurements: the page then offers neither. */
  detector: DetectorSettings;
  measurements: MeasurementName[];
  /** The review queue's orders, states, source kinds and defaults; null where a server has no queue. */
  review: ReviewNames | null;
}

export async function loadConfig(): Promise<Config> {
  const answer = await fetch("/config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`/config.json answered ${answer.status}: the page cannot find the API.`);
  return parseConfig(await answer.json());
}

/** The config, checked: a wrong one is named here rather than failing later in a request. */
export function parseConfig(raw: unknown): Config {
  const given = (raw ?? {}) as Record<string, unknown>;
  if (typeof given.apiUrl !== "string" || typeof given.maxUploadBytes !== "number") {
    throw new Error("/config.json needs apiUrl (a URL) and maxUploadBytes (a number).");
  }
  return {
    apiUrl: given.apiUrl,
    maxUploadBytes: given.maxUploadBytes,
    auth: parseAuth(given.auth),
    pipeline: parsePipeline(given.pipeline),
    detector: parseDetector(given),
    measurements: listOf(given.measurements, "measurements", isMeasurement),
    review: parseReviewNames(given.review),
  };
}

function parseDetector(given: Record<string, unknown>): DetectorSettings {
  const parameters = listOf(given.detectorParameters, "detectorParameters", isParameter);
  // The form sends whole presets: a parameter missing here would go out as no number at all.
  if (parameters.length > 0 && !setsEveryNumber(parameters.map((p) => p.name))) {
    throw new Error("/config.json's detectorParameters lack some of a preset's numbers: the page and the API differ.");
  }
  return {
    parameters,
    bands: listOf(given.detectorBands, "detectorBands", (band): band is DetectorPreset["band"] => typeof band === "string" && isBand(band)),
    maxPresets: typeof given.maxDetectorPresets === "number" ? given.maxDetectorPresets : 0,
  };
}

function listOf<T>(raw: unknown, name: string, valid: (item: unknown) => item is T): T[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw) && raw.every(valid)) return raw;
  throw new Error(`/config.json's ${name} is not a list as the server writes it: ${JSON.stringify(raw).slice(0, 120)}`);
}

function isParameter(raw: unknown): raw is DetectorParameter {
  const p = (raw ?? {}) as Record<string, unknown>;
  return (
    typeof p.name === "string" &&
    isPresetNumber(p.name) &&
    ["label", "unit", "explanation"].every((key) => typeof p[key] === "string") &&
    ["default", "minimum", "maximum"].every((key) => typeof p[key] === "number")
  );
}

function isMeasurement(raw: unknown): raw is MeasurementName {
  const m = (raw ?? {}) as Record<string, unknown>;
  return typeof m.key === "string" && typeof m.short === "string" && typeof m.definition === "string";
}

function parsePipeline(raw: unknown): PipelineTimings {
  const given = (raw ?? {}) as Record<string, unknown>;
  const timings: Partial<PipelineTimings> = {};
  for (const name of TIMINGS) {
    const value = given[name];
    if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
      throw new Error(`/config.json needs pipeline.${name} (seconds, a number of 0 or more), not ${JSON.stringify(value)}.`);
    }
    timings[name] = value;
  }
  return timings as PipelineTimings;
}

function parseAuth(raw: unknown): AuthConfig {
  if (raw === undefined) return { kind: "local" };
  const auth = (raw ?? {}) as Record<string, unknown>;
  if (auth.kind === "local") return { kind: "local" };
  if (auth.kind === "cognito") {
    const { domain, clientId, redirectUri } = auth;
    if (
      typeof domain === "string" &&
      /^[a-z0-9.-]+$/i.test(domain) &&
      typeof clientId === "string" &&
      clientId !== "" &&
      typeof redirectUri === "string" &&
      URL.canParse(redirectUri)
    ) {
      return { kind: "cognito", domain, clientId, redirectUri };
    }
    throw new Error(
      "/config.json's cognito auth needs domain (the hosted UI's host, no https://), clientId and redirectUri (a URL).",
    );
  }
  throw new Error(`/config.json's auth.kind must be "local" or "cognito", not ${JSON.stringify(auth.kind)}.`);
}
