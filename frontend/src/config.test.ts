import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { DETECTOR_PARAMETERS } from "./detector/fixture";

const PIPELINE = { jobBudgetS: 300, leaseS: 20, sweepEveryS: 300, uploadUrlS: 900, lateUploadS: 300 };
const TABLES = {
  detectorParameters: DETECTOR_PARAMETERS,
  detectorBands: ["energy", "preset"],
  maxDetectorPresets: 10,
  measurements: [{ key: "Peak Freq (Hz)", short: "Peak F", definition: "Loudest." }],
};
const BASE = { apiUrl: "http://127.0.0.1:8000", maxUploadBytes: 100, pipeline: PIPELINE };
const COGNITO = {
  kind: "cognito",
  domain: "sonagram-1.auth.eu-west-1.amazoncognito.com",
  clientId: "client123",
  redirectUri: "https://ui.example/",
};

describe("parseConfig", () => {
  it("signs in locally when the config names no method, as the local stack writes it", () => {
    expect(parseConfig(BASE)).toEqual({
      ...BASE,
      auth: { kind: "local" },
      detector: { parameters: [], bands: [], maxPresets: 0 },
      measurements: [],
      review: null,
    });
    expect(parseConfig({ ...BASE, auth: { kind: "local" } }).auth).toEqual({ kind: "local" });
  });

  it("takes Cognito's hosted UI with its domain, client and callback", () => {
    expect(parseConfig({ ...BASE, auth: COGNITO }).auth).toEqual(COGNITO);
  });

  it("takes the review queue's names, and names what is missing from them", () => {
    const review = {
      orders: ["confidence_desc", "sample"],
      states: ["unreviewed", "all"],
      sourceKinds: ["people", "detector"],
      defaults: { limit: 24, maxLimit: 200, perStratum: 10, bins: 10, seed: 1, targetPrecision: 0.9 },
      maxDecisions: 500,
      thresholds: [0.1, 0.15],
    };
    expect(parseConfig({ ...BASE, review }).review).toEqual(review);
    expect(() => parseConfig({ ...BASE, review: { ...review, orders: "sample" } })).toThrow("review needs orders");
  });

  it("takes the stage's pipeline timings", () => {
    expect(parseConfig({ ...BASE, pipeline: { ...PIPELINE, sweepEveryS: 60 } }).pipeline.sweepEveryS).toBe(60);
  });

  it("names a pipeline timing that is missing or not a time", () => {
    expect(() => parseConfig({ ...BASE, pipeline: undefined })).toThrow("needs pipeline.jobBudgetS (seconds");
    for (const wrong of [-1, "300", null, Number.NaN]) {
      expect(() => parseConfig({ ...BASE, pipeline: { ...PIPELINE, sweepEveryS: wrong } })).toThrow(
        "needs pipeline.sweepEveryS (seconds, a number of 0 or more)",
      );
    }
  });

  it("takes the detector's parameters and the measurements as the server lists them", () => {
    const config = parseConfig({ ...BASE, ...TABLES });
    expect(config.detector).toEqual({ parameters: DETECTOR_PARAMETERS, bands: ["energy", "preset"], maxPresets: 10 });
    expect(config.measurements).toEqual(TABLES.measurements);
    const [first, ...others] = DETECTOR_PARAMETERS;
    for (const wrong of [{ ...first, maximum: "100" }, { ...first, name: "loudness" }]) {
      expect(() => parseConfig({ ...BASE, ...TABLES, detectorParameters: [wrong, ...others] })).toThrow(
        "detectorParameters is not a list as the server writes it",
      );
    }
    expect(() => parseConfig({ ...BASE, ...TABLES, detectorParameters: others })).toThrow(
      "detectorParameters lack some of a preset's numbers",
    );
    expect(() => parseConfig({ ...BASE, ...TABLES, detectorBands: ["energy", "loudest"] })).toThrow(
      "detectorBands is not a list",
    );
    expect(() => parseConfig({ ...BASE, measurements: { key: "x" } })).toThrow("measurements is not a list");
  });

  it("names what is wrong", () => {
    expect(() => parseConfig({ apiUrl: "x" })).toThrow("needs apiUrl (a URL) and maxUploadBytes");
    expect(() => parseConfig(null)).toThrow("needs apiUrl");
    expect(() => parseConfig({ ...BASE, auth: { kind: "saml" } })).toThrow('auth.kind must be "local" or "cognito", not "saml"');
    for (const wrong of [
      { domain: "https://sonagram-1.auth.eu-west-1.amazoncognito.com" },
      { clientId: "" },
      { redirectUri: "not a url" },
    ]) {
      expect(() => parseConfig({ ...BASE, auth: { ...COGNITO, ...wrong } })).toThrow("cognito auth needs domain");
    }
  });
});
