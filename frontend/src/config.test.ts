import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const PIPELINE = { jobBudgetS: 300, leaseS: 20, sweepEveryS: 300, uploadUrlS: 900, lateUploadS: 300 };
const TABLES = {
  detectorParameters: [
    { name: "min_freq_hz", label: "Min frequency", unit: "Hz", default: 1000, minimum: 0, maximum: 500000, explanation: "Lowest." },
  ],
  detectorBands: ["energy", "preset"],
  maxDetectorPresets: 10,
  measurements: [{ key: "Peak Freq (Hz)", short: "Peak F", definition: "Loudest." }],
};
const BASE = { apiUrl: "http://127.0.0.1:8000", maxUploadBytes: 100, pipeline: PIPELINE, ...TABLES };
const COGNITO = {
  kind: "cognito",
  domain: "sonagram-1.auth.eu-west-1.amazoncognito.com",
  clientId: "client123",
  redirectUri: "https://ui.example/",
};

describe("parseConfig", () => {
  it("signs in locally when the config names no method, as the local stack writes it", () => {
    expect(parseConfig(BASE)).toEqual({ ...BASE, auth: { kind: "local" } });
    expect(parseConfig({ ...BASE, auth: { kind: "local" } }).auth).toEqual({ kind: "local" });
  });

  it("takes Cognito's hosted UI with its domain, client and callback", () => {
    expect(parseConfig({ ...BASE, auth: COGNITO }).auth).toEqual(COGNITO);
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

  it("takes the detector's parameters and the computed measurements the server serves", () => {
    const config = parseConfig(BASE);
    expect(config.detectorParameters[0].unit).toBe("Hz");
    expect([config.detectorBands, config.maxDetectorPresets]).toEqual([["energy", "preset"], 10]);
    expect(config.measurements.map((measurement) => measurement.key)).toEqual(["Peak Freq (Hz)"]);
  });

  it("names a table that is missing or not the server's", () => {
    expect(() => parseConfig({ ...BASE, measurements: undefined })).toThrow("needs measurements, the list");
    expect(() => parseConfig({ ...BASE, detectorParameters: [{ name: "x" }] })).toThrow("needs detectorParameters");
    expect(() => parseConfig({ ...BASE, detectorBands: [1] })).toThrow("needs detectorBands");
    expect(() => parseConfig({ ...BASE, maxDetectorPresets: 1.5 })).toThrow("needs maxDetectorPresets (a whole number)");
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
