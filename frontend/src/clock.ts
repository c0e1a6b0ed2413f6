/** From an hour on, times read as a clock (1:29:59) rather than in seconds (5399). */
export const CLOCK_FROM_S = 3600;

/** `h:mm:ss` with `decimals` digits of the second: 5399.5 s, 1 decimal → "1:29:59.5". */
export function clockTime(seconds: number, decimals = 0): string {
  const scale = 10 ** decimals;
  const total = Math.round(Math.max(0, seconds) * scale);
  const whole = Math.floor(total / scale);
  const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const secs = String(whole % 60).padStart(2, "0");
  const fraction = decimals > 0 ? `.${String(total % scale).padStart(decimals, "0")}` : "";
  return `${Math.floor(whole / 3600)}:${minutes}:${secs}${fraction}`;
}

/** A recording's length as its list shows it: "102.0 s", or "4:00:00" from an hour on. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return "";
  return seconds >= CLOCK_FROM_S ? clockTime(seconds) : `${seconds.toFixed(1)} s`;
}
