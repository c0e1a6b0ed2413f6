import { describe, expect, it } from "vitest";
import { type UploadItem, type UploadState, toStart } from "./queue";

const items = (...states: UploadState[]): UploadItem[] =>
  states.map((state, key) => ({ key, file: new File([], `${key}.wav`), projectId: null, state, progress: 0, message: null }));

describe("toStart", () => {
  it("starts at most three at a time, oldest first", () => {
    expect(toStart(items("waiting", "waiting", "waiting", "waiting")).map((i) => i.key)).toEqual([0, 1, 2]);
    expect(toStart(items("uploading", "done", "waiting", "waiting", "waiting")).map((i) => i.key)).toEqual([2, 3]);
    expect(toStart(items("uploading", "uploading", "uploading", "waiting"))).toEqual([]);
  });

  it("never starts refused, failed or cancelled files", () => {
    expect(toStart(items("refused", "failed", "cancelled", "done"))).toEqual([]);
  });
});
