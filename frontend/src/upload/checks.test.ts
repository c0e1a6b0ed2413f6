import { describe, expect, it } from "vitest";
import { refusal } from "./checks";

const MIB = 1024 * 1024;

describe("refusal", () => {
  it("accepts every supported extension in any letter case", () => {
    for (const name of ["a.wav", "b.MP3", "c.Flac", "d.ogg", "e.opus", "f.m4a", "g.aac", "h.aif", "i.AIFF"]) {
      expect(refusal({ name, size: 10 }, 100 * MIB)).toBeNull();
    }
  });

  it("refuses other extensions and names without one, naming the file", () => {
    expect(refusal({ name: "notes.txt", size: 10 }, 100 * MIB)).toMatch(/^notes\.txt is not a supported audio file/);
    expect(refusal({ name: "wav", size: 10 }, 100 * MIB)).toMatch(/not a supported/);
    expect(refusal({ name: ".mp3", size: 10 }, 100 * MIB)).toMatch(/not a supported/);
  });

  it("refuses a file over the limit, and an empty one", () => {
    expect(refusal({ name: "big.wav", size: 100 * MIB }, 100 * MIB)).toBeNull();
    expect(refusal({ name: "big.wav", size: 100 * MIB + 1 }, 100 * MIB)).toBe(
      "big.wav is 100.0 MiB, more than the 100 MiB limit.",
    );
    expect(refusal({ name: "small.wav", size: 2 * MIB }, MIB)).toBe("small.wav is 2 MiB, more than the 1 MiB limit.");
    expect(refusal({ name: "empty.wav", size: 0 }, MIB)).toBe("empty.wav is empty.");
  });
});
