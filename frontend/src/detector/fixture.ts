import type { DetectorParameter } from "../config";

/** A preset's parameters as /config.json serves them (chalicelib/detector_presets.py), for tests. */
export const DETECTOR_PARAMETERS: DetectorParameter[] = (
  [
    ["min_freq_hz", "Min frequency", "Hz", 1000, 0, 500_000],
    ["max_freq_hz", "Max frequency", "Hz", 10_000, 1, 500_000],
    ["min_duration_s", "Min duration", "s", 0.05, 0, 60],
    ["max_duration_s", "Max duration", "s", 5, 0.001, 3600],
    ["min_separation_s", "Min separation", "s", 0.1, 0, 60],
    ["noise_block_s", "Noise block size", "s", 5, 0.1, 600],
    ["noise_hop_s", "Noise block hop size", "s", 1, 0.01, 600],
    ["noise_percentile", "Noise percentile", "%", 20, 0, 100],
    ["snr_threshold_db", "SNR threshold", "dB", 6, 0, 100],
    ["min_occupancy_pct", "Min occupancy", "%", 50, 0, 100],
  ] as const
).map(([name, label, unit, value, minimum, maximum]) => ({
  name,
  label,
  unit,
  default: value,
  minimum,
  maximum,
  explanation: `What ${label.toLowerCase()} does.`,
}));
