import { describe, expect, it } from "vitest";
import { type Dropped, filesIn } from "./folders";

const file = (name: string): Dropped => ({
  isFile: true,
  isDirectory: false,
  file: (found) => setTimeout(() => found(new File(["x"], name))),
});

/** A folder whose reader hands out its entries `batch` at a time, as Chromium does with 100. */
const folder = (entries: Dropped[], batch = 2): Dropped => ({
  isFile: false,
  isDirectory: true,
  createReader: () => {
    let at = 0;
    return {
      readEntries: (found) =>
        setTimeout(() => {
          found(entries.slice(at, at + batch));
          at += batch;
        }),
    };
  },
});

describe("filesIn", () => {
  it("opens folders inside folders and reads every batch of a long one", async () => {
    const dropped = [
      file("loose.wav"),
      folder([file("a.wav"), file("b.mp3"), folder([file("deep.flac"), file("notes.txt")]), file("c.wav"), file("d.wav")]),
    ];
    const names = (await filesIn(dropped)).map((f) => f.name);
    expect(names).toEqual(["loose.wav", "a.wav", "b.mp3", "deep.flac", "notes.txt", "c.wav", "d.wav"]);
  });

  it("gives nothing for empty folders", async () => {
    expect(await filesIn([folder([]), folder([folder([])])])).toEqual([]);
  });

  it("fails when the browser cannot read an entry", async () => {
    const unreadable: Dropped = {
      isFile: true,
      isDirectory: false,
      file: (_found, failed) => failed(new DOMException("gone", "NotFoundError")),
    };
    await expect(filesIn([folder([unreadable])])).rejects.toThrow("gone");
  });
});
