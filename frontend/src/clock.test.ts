import { describe, expect, it } from "vitest";
import { clockTime, durationText } from "./clock";

describe("clock time", () => {
  it("reads seconds as h:mm:ss with the decimals asked for", () => {
    expect(clockTime(0)).toBe("0:00:00");
    expect(clockTime(5399)).toBe("1:29:59");
    expect(clockTime(5399.5, 1)).toBe("1:29:59.5");
    expect(clockTime(14_400)).toBe("4:00:00");
    expect(clockTime(59.96, 1)).toBe("0:01:00.0");
    expect(clockTime(3600.05, 2)).toBe("1:00:00.05");
  });

  it("gives a recording's length in seconds below an hour, as a clock from an hour on", () => {
    expect(durationText(null)).toBe("");
    expect(durationText(101.87)).toBe("101.9 s");
    expect(durationText(3599.9)).toBe("3599.9 s");
    expect(durationText(3600)).toBe("1:00:00");
    expect(durationText(14_400)).toBe("4:00:00");
  });
});
