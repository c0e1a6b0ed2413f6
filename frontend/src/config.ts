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

/** One number of a detector preset as its form shows it (chalicelib/detector_presets.py). */
export interface DetectorParameter {
  name: string;
  label: string;
  unit: string;
  default: number;
  minimum: number;
  maximum: number;
  /** One sentence for the people who set it. */
  explanation: string;
}

/** A measurement the server computes on every box (chalicelib/measurement_names.py). */
export interface ComputedMeasurement {
  /** Its key in a box's measurements: Raven's column name, unit in brackets. */
  key: string;
  /** A short name for narrow columns. */
  short: string;
  definition: string;
}

/** What the server running the page tells it (/config.json, from the stage's settings). */
export interface Config {
  apiUrl: string;
  maxUploadBytes: number;
  auth: AuthConfig;
  pipeline: PipelineTimings;
  detectorParameters: DetectorParameter[];
  /** Where a proposal's band comes from: "energy" (the event's) or "preset" (the preset's). */
  detectorBands: string[];
  maxDetectorPresets: number;
  /** The computed measurements, in column order. */
  measurements: ComputedMeasurement[];
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
    detectorParameters: listOf<DetectorParameter>(given.detectorParameters, "detectorParameters", ["name", "label", "unit", "explanation"]),
    detectorBands: listOf<string>(given.detectorBands, "detectorBands", []),
    maxDetectorPresets: count(given.maxDetectorPresets, "maxDetectorPresets"),
    measurements: listOf<ComputedMeasurement>(given.measurements, "measurements", ["key", "short", "definition"]),
  };
}

/** A list /config.json must hold; each item an object with the string fields ``texts``
 * (or, with none named, a string). */
function listOf<T>(raw: unknown, name: string, texts: string[]): T[] {
  const fine = (item: unknown) =>
    texts.length === 0
      ? typeof item === "string"
      : typeof item === "object" && item !== null && texts.every((text) => typeof (item as Record<string, unknown>)[text] === "string");
  if (!Array.isArray(raw) || !raw.every(fine)) {
    throw new Error(`/config.json needs ${name}, the list the server serves, not ${JSON.stringify(raw)?.slice(0, 80)}.`);
  }
  return raw as T[];
}

function count(raw: unknown, name: string): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0) {
    throw new Error(`/config.json needs ${name} (a whole number), not ${JSON.stringify(raw)}.`);
  }
  return raw;
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
